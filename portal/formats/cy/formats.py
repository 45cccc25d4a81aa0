"""Welsh: the same shapes as English ("29 Tachwedd 2026", 24-hour times).

Django's "cy" dates are already day-first; its times are 12-hour ("2:30 y.b."), which the
portal does not use in either language."""

DATE_FORMAT = "j F Y"  # 29 Tachwedd 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 29 Tachwedd 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"  # Tachwedd 2026
MONTH_DAY_FORMAT = "j F"  # 29 Tachwedd
SHORT_DATE_FORMAT = "d/m/Y"  # 29/11/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 29/11/2026 14:30
FIRST_DAY_OF_WEEK = 1  # Dydd Llun
