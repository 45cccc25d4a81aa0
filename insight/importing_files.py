"""Reading an uploaded feedback file: CSV or XLSX, told apart by what is in it.

The size is checked first, from what the upload handler already knows, so a file over
`INSIGHT_IMPORT_MAX_MB` is never read. Then the content decides: an XLSX file is a zip holding
a workbook, and anything else must be text (no NUL bytes, no PDF or image header). CSV text is
read as UTF-8 (with or without a byte-order mark), or else as Windows-1252, which is what Excel
on Windows saves as "CSV" and keeps "£" and curly quotes; the page names the encoding used.

XLSX cells are read with openpyxl in read-only mode and never evaluated: a formula cell is
read as the formula's text (`=SUM(A1:A3)`), kept as literal text like a CSV cell starting with
`=`, `+`, `-` or `@`, and counted so the officer is told. Nothing here writes a spreadsheet.
"""

from __future__ import annotations

import datetime
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.csv_input import CSVRows

CSV, XLSX = "csv", "xlsx"
PROBLEM = "__problem__"  # a row the file reader could not read: the message
EXTENSIONS = {".csv": CSV, ".txt": CSV, ".xlsx": XLSX}
UTF8, CP1252 = "UTF-8", "Windows-1252"
# Headers of files that are certainly not CSV text.
BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0",
                b"{\\rtf", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")


class FileProblem(Exception):
    """The file cannot be imported; the message says why, for the officer."""


def max_bytes() -> int:
    """The largest file that may be imported (settings.INSIGHT_IMPORT_MAX_MB)."""
    return int(getattr(settings, "INSIGHT_IMPORT_MAX_MB", 20)) * 1024 * 1024


def too_big_message(size: int | None) -> str:
    return _("The file is too big (%(size)s). Files of up to %(limit)s can be imported: split "
             "it into several files, or save it as CSV, which is smaller.") % {
        "size": filesizeformat(size or 0), "limit": filesizeformat(max_bytes())}


def check_size(size: int | None) -> None:
    """Refuse a file over the limit, or empty, from its size alone."""
    if size is None or size > max_bytes():
        raise FileProblem(too_big_message(size))
    if size == 0:
        raise FileProblem(_("The file is empty. Choose the CSV or XLSX file with the feedback "
                            "in it."))


def kind_of(name: str, head: bytes) -> str:
    """CSV or XLSX from the first bytes of the file; the extension must agree."""
    extension = os.path.splitext(name or "")[1].lower()
    if extension not in EXTENSIONS:
        raise FileProblem(_("“%(name)s” is not a CSV or XLSX file. Save the spreadsheet as CSV "
                            "(.csv) or Excel workbook (.xlsx) and upload that.") % {"name": name})
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    if EXTENSIONS[extension] == XLSX:
        raise FileProblem(_("“%(name)s” is named .xlsx but is not an Excel workbook (it may be "
                            "an older .xls file or damaged). Open it and save it as .xlsx or "
                            "CSV.") % {"name": name})
    if head.startswith(BINARY_MAGIC) or b"\x00" in head:
        raise FileProblem(_("“%(name)s” is not a CSV or XLSX file: its content is not text "
                            "(it may be a PDF or a picture renamed .csv).") % {"name": name})
    return CSV


@dataclass
class Table:
    """A file's rows: the headings of its first row, then (row number, {heading: value})."""

    kind: str
    headings: list[str]
    encoding: str = ""
    _rows: object = None

    def rows(self) -> Iterator[tuple[int, dict]]:
        """Every row that is not blank, numbered as a spreadsheet shows it (headings = 1)."""
        return self._rows()


def _headings(raw) -> list[str]:
    names, seen = [], {}
    for index, value in enumerate(raw, start=1):
        name = " ".join(str(value).split()) if value not in (None, "") else ""
        name = name or _("Column %(number)s") % {"number": index}
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 (BOM or not), else Windows-1252."""
    try:
        return data.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), CP1252
    except UnicodeDecodeError:
        raise FileProblem(_("The file’s text cannot be read as UTF-8 or Windows-1252. Open it "
                            "in a spreadsheet and save it as “CSV UTF-8”.")) from None


def _csv_table(data: bytes) -> Table:
    text, encoding = decode(data)
    reader = CSVRows(text)
    if reader.problem:
        raise FileProblem(reader.problem)
    if not any(reader.fieldnames):
        raise FileProblem(_("The file is empty: it has no heading row. The first row must "
                            "name the columns."))
    headings = _headings(reader.fieldnames)

    def rows():
        reader = CSVRows(text)
        reader._reader.fieldnames = headings  # unique names, so no column hides another
        for line, row, problem in reader:
            if problem:
                yield line, {PROBLEM: problem}
                continue
            extra = row.pop(None, None)
            if extra and any((v or "").strip() for v in extra):
                row[PROBLEM] = _("The row has more cells than the heading row has columns.")
            if any((v or "").strip() for v in row.values()):
                yield line, row

    return Table(CSV, headings, encoding, rows)


def _cell(value):
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _xlsx_table(data: bytes) -> Table:
    from openpyxl import load_workbook  # reading only: portal/spreadsheets.py writes

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise FileProblem(_("The file is a zip archive, not an Excel workbook."))
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        first = next(sheet.iter_rows(values_only=True), None)
    except FileProblem:
        raise
    except Exception:  # noqa: BLE001 (any parser failure: a damaged or encrypted workbook)
        raise FileProblem(_("The Excel workbook cannot be read: it may be damaged or protected "
                            "by a password. Open it and save it again, or save it as "
                            "CSV.")) from None
    if not first or not any(v not in (None, "") for v in first):
        raise FileProblem(_("The file is empty: its first sheet has no heading row. The first "
                            "row must name the columns."))
    headings = _headings(first)

    def rows():
        for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            cells = {h: _cell(v) for h, v in zip(headings, values, strict=False)}
            if any(v not in (None, "") and str(v).strip() for v in cells.values()):
                yield number, cells

    return Table(XLSX, headings, "", rows)


def read_table(file, name: str) -> Table:
    """The table in an uploaded or stored file; FileProblem says why it cannot be read."""
    check_size(getattr(file, "size", None))
    file.seek(0)
    data = file.read()
    if not data:
        check_size(0)
    kind = kind_of(name, data[:4096])
    table = _xlsx_table(data) if kind == XLSX else _csv_table(data)
    if next(iter(table.rows()), None) is None:
        raise FileProblem(_("The file has headings but no rows of feedback under them."))
    return table
