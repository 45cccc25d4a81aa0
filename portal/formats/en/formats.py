"""English as written in the UK: "29 November 2026", "29/11/2026", 24-hour times.

Django's own "en" formats are American ("Nov. 29, 2026", "11/29/2026", "11:04 p.m."), and it
reads "03/04/2026" as 4 March; these replace them so that dates shown and dates typed agree.
Format strings use Django's date syntax; the *_INPUT_FORMATS use Python's strptime syntax."""

DATE_FORMAT = "j F Y"  # 29 November 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 29 November 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"  # November 2026
MONTH_DAY_FORMAT = "j F"  # 29 November
SHORT_DATE_FORMAT = "d/m/Y"  # 29/11/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 29/11/2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO first (what date pickers and the admin send), then day-first as people write it here.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-29
    "%d/%m/%Y",  # 29/11/2026
    "%d/%m/%y",  # 29/11/26
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # 2026-11-29 14:30:59
    "%Y-%m-%d %H:%M:%S.%f",  # 2026-11-29 14:30:59.000200
    "%Y-%m-%d %H:%M",  # 2026-11-29 14:30
    "%d/%m/%Y %H:%M:%S",  # 29/11/2026 14:30:59
    "%d/%m/%Y %H:%M",  # 29/11/2026 14:30
    "%d/%m/%y %H:%M",  # 29/11/26 14:30
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
