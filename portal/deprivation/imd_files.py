"""Reading the English Indices of Deprivation 2019 CSV files (Files 1, 2 and 6).

The published files name their columns at length ("Income Rank (where 1 is most deprived)"),
write some numbers with quoted thousands separators ("13,163") and end lines with CRLF. Columns
are matched on their names without the "(where ...)" note and case, so File 1 and File 2's
longer headers both match; other columns (the local authority's code and name) are ignored and
reported as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.csv_input import CSVRows, ProblemList

from .models import AREA_COUNT, DOMAIN_KEYS

CODE_COLUMN = "LSOA code (2011)"
NAME_COLUMN = "LSOA name (2011)"
IMD_COLUMNS = {
    "imd_rank": "Index of Multiple Deprivation (IMD) Rank",
    "imd_decile": "Index of Multiple Deprivation (IMD) Decile",
}
DOMAIN_TITLES = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "housing": "Barriers to Housing and Services",
    "living_environment": "Living Environment",
}
DOMAIN_COLUMNS = {
    f"{key}_{part}": f"{DOMAIN_TITLES[key]} {part.title()}"
    for key in DOMAIN_KEYS for part in ("rank", "decile")
}
POPULATION_COLUMNS = {"population": "Total population: mid 2015 (excluding prisoners)"}
# Population columns are matched on this start, whatever year the file gives.
POPULATION_PREFIX = "total population"
CODE_PATTERN = re.compile(r"^[EW]\d{8}$")


def _normalised(header: str) -> str:
    """"Income Rank (where 1 is most deprived)" -> "income rank"."""
    header = re.sub(r"\(where [^)]*\)", "", header)
    return " ".join(header.replace("\u00a0", " ").split()).lower()


@dataclass
class ParsedFile:
    """One CSV file's values by area code, with its problems and ignored columns."""

    label: str
    values: dict[str, dict] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)


def _match_columns(fieldnames: list[str], wanted: dict[str, str], prefix_key: str | None):
    """({key: header found}, [missing expected headers], [ignored headers])."""
    by_normal = {_normalised(name): name for name in fieldnames if name}
    found, missing = {}, []
    for key, expected in wanted.items():
        header = by_normal.get(_normalised(expected))
        if header is None and key == prefix_key:
            header = next((name for normal, name in by_normal.items()
                           if normal.startswith(POPULATION_PREFIX)), None)
        if header is None:
            missing.append(expected)
        else:
            found[key] = header
    used = set(found.values()) | {by_normal.get(_normalised(CODE_COLUMN)),
                                  by_normal.get(_normalised(NAME_COLUMN))}
    ignored = [name for name in fieldnames if name and name not in used]
    return found, missing, ignored


def _number(text: str) -> int | None:
    """"13,163" -> 13163; None when it is not a whole number."""
    cleaned = (text or "").strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"\d+(\.0+)?", cleaned):
        return None
    return int(float(cleaned))


def _check_range(key: str, value: int) -> str | None:
    if key.endswith("decile") and not 1 <= value <= 10:
        return _("a decile must be from 1 to 10")
    if key.endswith("rank") and not 1 <= value <= AREA_COUNT:
        return _("a rank must be from 1 to %(count)s") % {"count": f"{AREA_COUNT:,}"}
    if key == "population" and value > 1_000_000:
        return _("an area's population must be under 1,000,000")
    return None


def read_file(text: str, label: str, wanted: dict[str, str], prefix_key=None) -> ParsedFile:
    """Parse one IoD CSV file into `ParsedFile`: every bad value is a numbered problem."""
    parsed = ParsedFile(label=label)
    reader = CSVRows(text)
    if reader.problem:
        parsed.problems.append((1, f"{label}: {reader.problem}"))
        return parsed
    code_header = next((name for name in reader.fieldnames
                        if _normalised(name) == _normalised(CODE_COLUMN)), None)
    found, missing, parsed.ignored_columns = _match_columns(reader.fieldnames, wanted, prefix_key)
    if code_header is None:
        missing.insert(0, CODE_COLUMN)
    if missing:
        parsed.problems.append((1, _("%(file)s is missing the columns: %(columns)s.") % {
            "file": label, "columns": "; ".join(f"“{name}”" for name in missing)}))
        return parsed
    name_header = next((name for name in reader.fieldnames
                        if _normalised(name) == _normalised(NAME_COLUMN)), None)
    for line, row, problem in reader:
        if problem:
            parsed.problems.append((line, f"{label}: {problem}"))
            continue
        _read_row(parsed, line, row, code_header, name_header, found)
    if not parsed.values and not parsed.problems:
        parsed.problems.append((1, _("%(file)s has no rows.") % {"file": label}))
    return parsed


def _read_row(parsed: ParsedFile, line: int, row: dict, code_header, name_header, found):
    code = (row.get(code_header) or "").strip().upper()
    if not CODE_PATTERN.match(code):
        parsed.problems.append((line, _("%(file)s, row %(line)s: “%(code)s” is not an LSOA "
                                        "code such as E01000471.") % {
            "file": parsed.label, "line": line, "code": code[:20]}))
        return
    if code in parsed.values:
        parsed.problems.append((line, _("%(file)s, row %(line)s: %(code)s appears twice (first "
                                        "on row %(first)s).") % {
            "file": parsed.label, "line": line, "code": code, "first": parsed.rows[code]}))
        return
    values = {}
    for key, header in found.items():
        text = row.get(header) or ""
        value = _number(text)
        reason = (_("“%(text)s” is not a whole number") % {"text": text.strip()[:20]}
                  if value is None else _check_range(key, value))
        if reason:
            parsed.problems.append((line, _("%(file)s, row %(line)s, column “%(column)s”: "
                                            "%(reason)s.") % {
                "file": parsed.label, "line": line, "column": header, "reason": reason}))
            return
        values[key] = value
    parsed.values[code] = values
    parsed.rows[code] = line
    if name_header:
        parsed.names[code] = (row.get(name_header) or "").strip()[:120]
