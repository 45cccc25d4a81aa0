"""Every spreadsheet goes through the one safe writer, `portal/spreadsheets.py`.

No other module of the portal writes CSV or XLSX: none calls `csv.writer` or `csv.DictWriter`,
imports openpyxl, or names the CSV or XLSX content type. Importers that read CSV
(`csv.reader`, `csv.DictReader`) are fine; tests and benchmarks are not scanned.
"""

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGES = ("portal", "surveys", "forums", "assets_map", "priorities", "plans")
THE_WRITER = Path("portal/spreadsheets.py")
WRITERS = {"writer", "DictWriter"}
CONTENT_TYPES = ("text/csv", "spreadsheetml")


def spreadsheet_writing(source: str) -> list[str]:
    """What in this Python source writes a spreadsheet other than through the one writer."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in WRITERS and \
                isinstance(node.value, ast.Name) and node.value.id == "csv":
            found.append(f"line {node.lineno}: csv.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "csv" and \
                WRITERS & {alias.name for alias in node.names}:
            found.append(f"line {node.lineno}: from csv import a writer")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) \
                else [node.module or ""]
            found += [f"line {node.lineno}: imports {m}" for m in modules
                      if m.split(".")[0] == "openpyxl"]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                any(kind in node.value for kind in CONTENT_TYPES):
            found.append(f"line {node.lineno}: a spreadsheet content type")
    return found


def test_only_the_one_writer_writes_spreadsheets():
    offenders = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            relative = path.relative_to(REPO)
            if relative == THE_WRITER or "migrations" in relative.parts:
                continue
            found = spreadsheet_writing(path.read_text())
            if found:
                offenders[str(relative)] = found
    assert offenders == {}


def test_the_scan_finds_each_way_of_writing_a_spreadsheet():
    assert len(spreadsheet_writing(
        "import csv\nimport openpyxl\nfrom openpyxl import Workbook\n"
        "from csv import DictWriter\nw = csv.writer(out)\nd = csv.DictWriter(out, [])\n"
        "r = HttpResponse(content_type='text/csv')\n"
        "x = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'\n")) == 7
    assert spreadsheet_writing("import csv\nrows = csv.DictReader(f)\nr = csv.reader(f)\n") == []


def test_the_one_writer_is_where_the_scan_expects_it():
    assert spreadsheet_writing((REPO / THE_WRITER).read_text())
