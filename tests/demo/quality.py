"""Checks that demo text reads like a real borough's: no placeholder phrases, phone numbers only
in Ofcom's ranges reserved for drama, no "by phone" without a number, no forum on a bank
holiday or a Sunday, no season or month in a title that its date contradicts.

The bank holidays are computed here (Easter by the Gregorian computus, the May and August
Mondays, Christmas and Boxing Day with their substitutes), independently of the demo loaders.
"""

from __future__ import annotations

import datetime
import re

PLACEHOLDERS = [
    (re.compile(r"lorem\s+ipsum", re.I), "lorem ipsum"),
    (re.compile(r"\bTODO\b"), "TODO"),
    (re.compile(r"\bTBC\b|\bTBD\b"), "TBC"),
    # "For example, ..." is ordinary English; "example" as a name or filler is not.
    (re.compile(r"(?<!for )\bexamples?\b", re.I), "example"),
    (re.compile(r"\btest(s|ing)?\b", re.I), "test"),
    (re.compile(r"placeholder", re.I), "placeholder"),
    (re.compile(r"\bx{3,}\b", re.I), "xxx"),
    (re.compile(r"\bfoo\b|\bbar\b baz", re.I), "foo"),
    (re.compile(r"\bSample\b"), "Sample"),
]
# Addresses on domains reserved for documentation (RFC 2606) are the email and web analogue of
# the drama phone ranges: they are what a demo should use, so they are not placeholder text.
RESERVED_ADDRESS = re.compile(
    r"(?:https?://)?[\w.+-]*@?[\w.-]*\bexample\.(?:org|com|net)(?:/[\w./-]*)?", re.I)
# Block ids in stored StreamField JSON: a UUID's last group can hold a run of digits.
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
PHONE = re.compile(r"(?<![\d.,-])(?:\+44\s?\(?0?\)?\s?|0)\d(?:\s?\d){8,9}(?![\d.,-]?\d)")
# Ofcom's numbers for TV, radio and film (drama) use: area code and local-number prefix.
DRAMA_RANGES = [
    ("020", "79460"), ("0113", "4960"), ("0114", "4960"), ("0115", "4960"), ("0116", "4960"),
    ("0117", "4960"), ("0118", "4960"), ("0121", "4960"), ("0131", "4960"), ("0141", "4960"),
    ("0151", "4960"), ("0161", "4960"), ("0191", "4980"), ("028", "96496"), ("029", "20180"),
    ("01632", "960"), ("01632", "961"), ("07700", "900"), ("08081", "570"), ("0909", "8790"),
    ("03069", "990"),
]
BY_PHONE = re.compile(r"\b(by (tele)?phone|phone us|call us|ring us|ring|call|phone)\b", re.I)
SEASONS = {"spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11),
           "winter": (12, 1, 2)}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]


def placeholder_phrases(text: str) -> list[str]:
    """The placeholder phrases in `text` (reserved example addresses aside)."""
    text = RESERVED_ADDRESS.sub(" ", text or "")
    return [name for pattern, name in PLACEHOLDERS if pattern.search(text)]


def digits(number: str) -> str:
    """A UK number as national digits: "+44 20 7946 0123" -> "02079460123"."""
    only = re.sub(r"\D", "", number)
    if only.startswith("44"):
        only = "0" + only[2:].lstrip("0")
    return only


def in_drama_range(number: str) -> bool:
    """Whether a UK phone number is in one of Ofcom's ranges reserved for drama."""
    national = digits(number)
    return any(national.startswith(code + prefix) and len(national) in (10, 11)
               for code, prefix in DRAMA_RANGES)


def phone_numbers(text: str) -> list[str]:
    """Phone-number-like strings in `text`."""
    return [match.group(0) for match in PHONE.finditer(
        RESERVED_ADDRESS.sub(" ", UUID.sub(" ", text or "")))]


def bad_phone_numbers(text: str) -> list[str]:
    """The phone numbers in `text` outside the drama ranges."""
    return [number for number in phone_numbers(text) if not in_drama_range(number)]


def mentions_phoning(text: str) -> bool:
    """Whether `text` tells people to phone (so a number must be given)."""
    return bool(BY_PHONE.search(text or "")) and not re.search(
        r"\bphone (?:app|charging|signal)|mobile phones?\b", text or "", re.I)


def easter(year: int) -> datetime.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return datetime.date(year, month, day)


def _first_monday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> datetime.date:
    day = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=day.weekday())


def bank_holidays(year: int) -> set[datetime.date]:
    """England and Wales bank holidays of a year (the usual rules; the one-off extra days of
    2020-2023 are not in the demo's years)."""
    new_year = datetime.date(year, 1, 1)
    while new_year.weekday() >= 5:
        new_year += datetime.timedelta(days=1)
    holidays = {new_year, easter(year) - datetime.timedelta(days=2),
                easter(year) + datetime.timedelta(days=1), _first_monday(year, 5),
                _last_monday(year, 5), _last_monday(year, 8)}
    christmas, boxing = datetime.date(year, 12, 25), datetime.date(year, 12, 26)
    if christmas.weekday() >= 5:  # Saturday or Sunday: the next free weekdays
        christmas, boxing = (christmas + datetime.timedelta(days=7 - christmas.weekday()),
                             christmas + datetime.timedelta(days=8 - christmas.weekday()))
    elif boxing.weekday() == 5:  # Christmas on a Friday
        boxing += datetime.timedelta(days=2)
    holidays |= {christmas, boxing}
    return holidays


def date_problems(title: str, day: datetime.date) -> list[str]:
    """What is implausible about a forum called `title` held on `day`."""
    problems = []
    if day in bank_holidays(day.year):
        problems.append(f"on a bank holiday ({day:%a %d %b %Y})")
    if day.weekday() == 6:
        problems.append(f"on a Sunday ({day:%d %b %Y})")
    if (day.month, day.day) in {(12, 24), (12, 31)}:
        problems.append(f"on {day:%d %B}")
    words = re.findall(r"[a-z]+", (title or "").lower())
    for season, months in SEASONS.items():
        if season in words and day.month not in months:
            problems.append(f"“{season}” in the title but held on {day:%d %B}")
    for number, month in enumerate(MONTHS, start=1):
        if month in words and month != "may" and day.month != number:
            problems.append(f"“{month}” in the title but held on {day:%d %B}")
    return problems
