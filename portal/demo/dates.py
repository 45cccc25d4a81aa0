"""Dates a real council would choose for demo events: a Tuesday, Wednesday or Thursday
evening, never on a bank holiday or over Christmas and New Year, and the season to call it."""

from __future__ import annotations

import datetime

# England and Wales bank holidays (GOV.UK, https://www.gov.uk/bank-holidays), the demo's years.
BANK_HOLIDAYS = {
    datetime.date(*day) for day in [
        (2024, 1, 1), (2024, 3, 29), (2024, 4, 1), (2024, 5, 6), (2024, 5, 27), (2024, 8, 26),
        (2024, 12, 25), (2024, 12, 26),
        (2025, 1, 1), (2025, 4, 18), (2025, 4, 21), (2025, 5, 5), (2025, 5, 26), (2025, 8, 25),
        (2025, 12, 25), (2025, 12, 26),
        (2026, 1, 1), (2026, 4, 3), (2026, 4, 6), (2026, 5, 4), (2026, 5, 25), (2026, 8, 31),
        (2026, 12, 25), (2026, 12, 28),
        (2027, 1, 1), (2027, 3, 26), (2027, 3, 29), (2027, 5, 3), (2027, 5, 31), (2027, 8, 30),
        (2027, 12, 27), (2027, 12, 28),
        (2028, 1, 3), (2028, 4, 14), (2028, 4, 17), (2028, 5, 1), (2028, 5, 29), (2028, 8, 28),
        (2028, 12, 25), (2028, 12, 26),
    ]
}
MEETING_DAYS = (1, 2, 3)  # Tuesday, Wednesday, Thursday
SEASONS = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring",
           6: "summer", 7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}


def is_holiday_period(day: datetime.date) -> bool:
    """A bank holiday, or the Christmas and New Year fortnight when nobody holds a forum."""
    return (day in BANK_HOLIDAYS or (day.month == 12 and day.day >= 20)
            or (day.month == 1 and day.day <= 3))


def meeting_day(day: datetime.date, forwards: bool = True) -> datetime.date:
    """`day`, or the nearest Tuesday to Thursday after it (before it if not `forwards`) that
    is outside the holidays."""
    step = datetime.timedelta(days=1 if forwards else -1)
    while day.weekday() not in MEETING_DAYS or is_holiday_period(day):
        day += step
    return day


def season(day: datetime.date) -> str:
    """The (meteorological) season of a date: "spring", "summer", "autumn" or "winter"."""
    return SEASONS[day.month]
