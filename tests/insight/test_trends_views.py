"""The trends page (exact for officers, or the partner view) and the partners' CSV: who may
see them, what they show, and clear messages for bad filters."""

import csv
import io
import re

import pytest
from django.urls import reverse

from tests.disclosure_recovery import table_rows

from .test_trends import D, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

PAGE = reverse("insight:trends")
CSV = reverse("insight:trends_export")
RANGE = {"since": "2026-01-01", "until": "2026-06-30"}


@pytest.fixture(autouse=True)
def no_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_officers_see_exact_counts_in_tables_beside_charts(officer_client, world):  # noqa: F811
    page = officer_client.get(PAGE, RANGE).content.decode()
    months = table_rows(page, "Items per month")
    assert [row[1] for row in months] == ["6", "2", "0", "3", "8", "1"]
    assert months[0][0] == "January 2026" and months[0][2] == "15"  # people represented
    assert table_rows(page, "Items per neighbourhood")[0] == ["Alpha", "17"]
    assert ["Access to health services › Repairs and damp", "9"] in table_rows(
        page, "Coded items per sub-theme")
    assert ["Female", "4"] in table_rows(page, "Items by sex")
    assert 'role="img" aria-labelledby="month-chart-title month-chart-desc"' in page
    assert "The table “Items per month” below gives the same figures." in page
    assert "Air quality and environment: 8 items, up from 0" in page


def test_no_dates_means_the_last_twelve_months(officer_client, world):  # noqa: F811
    response = officer_client.get(PAGE)
    assert response.status_code == 200
    assert len(table_rows(response.content.decode(), "Items per month")) == 12


def test_partner_view_hides_small_numbers_and_draws_no_bar_for_them(officer_client,
                                                                   world):  # noqa: F811
    page = officer_client.get(PAGE, {**RANGE, "view": "partner"}).content.decode()
    months = dict(table_rows(page, "Items per month"))
    assert months["January 2026"] == "6" and months["May 2026"] == "8"
    assert {months[m] for m in ("February 2026", "March 2026", "April 2026",
                                "June 2026")} == {"not shown"}
    assert "People represented" not in page
    month_chart = re.search(r'<svg[^>]*month-chart-title.*?</svg>', page, re.S).group(0)
    assert month_chart.count("<rect") == 2  # a hidden month draws no bar
    assert month_chart.count(">not shown</text>") == 4
    sources = table_rows(page, "Items per source")
    assert sources[-1] == ["Outreach conversation", "not shown"]
    assert "Partner view" in page


def test_partner_csv_hides_small_cells_with_a_header_and_no_free_text(officer_client,
                                                                     world):  # noqa: F811
    world["add"](6, D(2026, 3, 9), world["beta"], "survey", world["health"],
                 text="=HYPERLINK(\"http://evil.example\")")
    world["beta"].name = "=Beta"
    world["beta"].save()
    response = officer_client.get(CSV, RANGE)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "HYPERLINK" not in body and "drop-in" not in body
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0].startswith("Community insight trends for partners, 2026-01-01 to "
                                 "2026-06-30")
    assert "fewer than 5" in rows[1][0]
    assert rows[2] == ["table", "row", "theme", "items"]
    cells = {(r[0], r[1], r[2]): r[3] for r in rows[3:]}
    housing = world["housing"].name
    assert cells[("month_by_theme", "2026-04", housing)] == "not shown"
    assert cells[("month_by_theme", "All", "All items")] == "26"
    assert ("neighbourhood_by_theme", "'=Beta", "All items") in cells
    for row in rows:
        for cell in row:
            assert cell[:1] not in "=+-@" or cell == ""


def test_bad_dates_get_a_clear_message_not_a_report(officer_client, world):  # noqa: F811
    response = officer_client.get(PAGE, {"since": "2026-02-30", "until": "yesterday"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the start date as a real date" in page
    assert "Enter the end date as a real date" in page
    assert 'href="#id_since"' in page


@pytest.mark.parametrize("params, message", [
    ({"since": "2026-06-01", "until": "2026-01-01"},
     "The end date must be on or after the start date."),
    ({"since": "2010-01-01", "until": "2026-01-01"}, "Choose a period of five years or less."),
    ({"neighbourhood": "not-a-number"}, "Choose a neighbourhood from the list."),
    ({"source": "carrier-pigeon"}, "Choose a source from the list."),
    ({"view": "everything"}, "Choose exact figures or the partner view."),
])
def test_bad_filters_are_refused_with_a_message(officer_client, params, message):
    for url in (PAGE, CSV):
        response = officer_client.get(url, params)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_dates_in_the_uk_format_are_read(officer_client, world):  # noqa: F811
    page = officer_client.get(PAGE, {"since": "01/01/2026", "until": "30/06/2026"})
    assert len(table_rows(page.content.decode(), "Items per month")) == 6


def test_the_page_is_a_fixed_number_of_queries(officer_client, world,  # noqa: F811
                                               django_assert_max_num_queries):
    officer_client.get(PAGE, RANGE)  # warm the session and the admin's own look-ups
    with django_assert_max_num_queries(40) as captured:
        officer_client.get(PAGE, RANGE)
    before = len(captured)
    world["add"](25, D(2026, 3, 1), world["beta"], "survey", world["health"])
    with django_assert_max_num_queries(before):
        officer_client.get(PAGE, {**RANGE, "view": "partner"})


@pytest.mark.parametrize("role, allowed", [
    ("officer", True), ("councillor", True), ("resident", False), ("vcs_member", False),
    ("anonymous", False)])
def test_who_may_see_trends_and_the_partner_csv(client, request, role, allowed):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for url in (PAGE, CSV):
        response = client.get(url, RANGE)
        if allowed:
            assert response.status_code == 200
        else:
            assert response.status_code in (302, 403)
            if response.status_code == 302:
                assert "login" in response["Location"]


def test_old_feedback_trends_link_to_the_new_ones(officer_client):
    page = officer_client.get(reverse("priorities_admin:trends")).content.decode()
    assert f'href="{PAGE}"' in page
