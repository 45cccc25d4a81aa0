"""Exports: responses (CSV and XLSX) with a fixed schema, equality answers apart, a summary."""

import csv
import io

import pytest
from django.urls import reverse

from surveys.exports import EXPORT_FIXED, aggregate_rows, csv_text, export_rows
from surveys.models import Response
from surveys.results import compute_results
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_aggregate_and_response_exports(answered):
    rows = list(export_rows(answered))
    header = rows[0]
    assert header[:6] == EXPORT_FIXED
    assert len(rows) == 11
    assert "What is your age?" not in header  # equality answers are exported separately
    ranking_column = header.index("Rank these issues for your area")
    assert "1. Housing; 2. Safety; 3. Isolation" in [r[ranking_column] for r in rows]
    equality = list(export_rows(answered, equality=True))
    assert equality[0][0] == "channel" and len(equality) == 7
    assert not any(r.reference in str(equality) for r in Response.objects.all())
    summary = list(csv.reader(io.StringIO(csv_text(aggregate_rows(compute_results(answered))))))
    assert ["Do you have children under 5?", "single_choice", "9", "Yes", "6", "66.7", "", "",
            ""] in summary


def test_xlsx_export(answered, client, settings):
    from openpyxl import load_workbook

    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(make_user("o5@example.org", "Officers"))
    r = client.get(reverse("surveys_admin:export_xlsx", args=[answered.pk]))
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.values)
    assert list(rows[0][:6]) == EXPORT_FIXED and len(rows) == 11
