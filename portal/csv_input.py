"""Reading uploaded CSV text: rows the csv module cannot parse become numbered problems.

Python's csv module raises `csv.Error` for a field longer than its limit (131,072 characters)
and for some malformed quoting; an import calling it directly answers with a server error.
Here each such record becomes a problem in the import's report and reading goes on with the
next line.

Imports also list what went wrong row by row; a file of a hundred thousand bad rows must not
answer with a page listing them all. `ProblemList` keeps the first `MAX_LISTED` and counts
the rest.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_LISTED = 100


def csv_problem(error: csv.Error) -> str:
    """What a csv.Error means, in words for the person who made the file."""
    text = str(error)
    if text.startswith("field larger than field limit"):
        return _("A field is longer than %(limit)s characters, so the row cannot be read. "
                 "Check for a missing closing quote (\") before this line.") % {
            "limit": f"{csv.field_size_limit():,}"}
    return _("The row cannot be read as CSV (%(error)s).") % {"error": text}


class CSVRows:
    """The rows of CSV text as dicts keyed by the stripped header names.

    `fieldnames` is the header ([] when there is none); `problem` says why the header could
    not be read. Iterating yields (line number, row, None) for each record (the line it ends
    on), or (line number, None, problem) for one the csv module refuses (the line it starts
    on)."""

    def __init__(self, text: str):
        self._reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
        self.problem: str | None = None
        try:
            self.fieldnames = [(name or "").strip() for name in self._reader.fieldnames or []]
        except csv.Error as exc:
            self.fieldnames = []
            self.problem = csv_problem(exc)
        self._reader.fieldnames = self.fieldnames

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    def __iter__(self) -> Iterator[tuple[int, dict | None, str | None]]:
        if self.problem is not None:
            return
        last_line = self._reader.line_num
        while True:
            try:
                row = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # the unreadable record starts on the line after the last one read
                yield last_line + 1, None, csv_problem(exc)
                last_line = max(self._reader.line_num, last_line + 1)
                continue
            last_line = self._reader.line_num
            yield last_line, row, None


@dataclass
class ProblemList:
    """(row or line number, message) pairs: the first `limit` kept, the rest only counted."""

    limit: int = MAX_LISTED
    listed: list[tuple[int, str]] = field(default_factory=list)
    count: int = 0

    def append(self, item: tuple[int, str]) -> None:
        self.count += 1
        if len(self.listed) < self.limit:
            self.listed.append(item)

    def extend(self, items) -> None:
        for item in items:
            self.append(item)

    @property
    def unlisted(self) -> int:
        return self.count - len(self.listed)

    def more_text(self) -> str:
        """"and 99,900 more problems", or "" when every problem is listed."""
        if not self.unlisted:
            return ""
        return ngettext("… and %(count)s more problem, not listed.",
                        "… and %(count)s more problems, not listed.",
                        self.unlisted) % {"count": f"{self.unlisted:,}"}

    def __iter__(self):
        return iter(self.listed)

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __getitem__(self, index):
        return self.listed[index]
