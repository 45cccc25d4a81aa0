"""The coding screen: officers code (one by one, in bulk, accepting a suggestion), councillors
only read, everyone else is refused; bad input gets a clear message and changes nothing; the
text of a safeguarding flag is for those who may open it; a page costs no query per item."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insight import coding, suggestions
from insight.models import CodingEvent, CodingMatrix, InsightItem, SafeguardingOpened
from tests.conftest import make_user

from .test_coding import feedback, item, make_matrix, make_places, make_themes

pytestmark = pytest.mark.django_db

URL = "/admin/insight/"




@pytest.fixture
def places():
    return make_places()


@pytest.fixture
def themes():
    return make_themes()


@pytest.fixture
def matrix(themes):
    return make_matrix(themes)


@pytest.fixture(autouse=True)
def no_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False


def code_url(row, query=""):
    return reverse("insight:coding_item", args=[row.pk]) + query


def test_the_landing_page_is_the_coding_screen():
    assert reverse("insight:coding") == URL


def test_officer_sees_uncoded_items_with_a_count_and_a_coding_form(client, officer, places,
                                                                    themes):
    item(1, places["Harlesden"], text="Damp in the flat")
    item(2, places["Kilburn"], text="Bus stop moved", coded_at=datetime.datetime(
        2026, 10, 4, tzinfo=datetime.UTC))
    client.force_login(officer)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200 and "1 item matches" in html
    assert "Damp in the flat" in html and "Bus stop moved" not in html  # uncoded by default
    assert 'class="insight-code"' in html and "Keyboard shortcuts" in html
    assert "Harlesden" in html and "Healthwatch report" in html
    every = client.get(URL, {"status": "all", "q": "bus"}).content.decode()
    assert "Bus stop moved" in every and "Damp in the flat" not in every


def test_bad_filters_get_a_clear_message_not_an_error(client, officer, places):
    item(1, places["Harlesden"])
    client.force_login(officer)
    page = client.get(URL, {"date_from": "2026-13-45", "theme": "999999", "status": "all"})
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html
    assert "Enter the “from” date as a real date, like 2026-10-31" in html
    assert "Item 1" in html  # the valid filters still apply
    backwards = client.get(URL, {"date_from": "2026-10-05", "date_to": "2026-10-01"})
    assert "must be the same as or after" in backwards.content.decode()
    assert client.get(URL, {"page": "9999"}).status_code == 200


def test_officer_codes_an_item_and_goes_on_to_the_next(client, officer, places, themes,
                                                       matrix):
    origin, row = feedback(places["Harlesden"])
    client.force_login(officer)
    sub = matrix.sub_themes.get()
    r = client.post(code_url(row, "?status=uncoded"), {
        "themes": [themes["housing"].pk], "sub_themes": [sub.pk], "sentiment": "negative",
        "service": matrix.services.get().pk, "next": "777"})
    assert r.status_code == 302 and r["Location"] == f"{URL}?status=uncoded#item-777"
    row.refresh_from_db()
    assert row.coded_by == officer and {t.slug for t in row.themes.all()} == {"housing",
                                                                              "health"}
    event = row.events.get()
    assert event.action == CodingEvent.CODED and event.user == officer
    assert {t.slug for t in origin.themes.all()} == {"housing", "health"}
    page = client.get(URL, {"status": "coded"}).content.decode()
    assert "History (1 change)" in page and "officer@example.org" in page


@pytest.mark.parametrize("posted, message", [
    ({"themes": ["999999"]}, "Choose themes from the list"),
    ({"themes": ["x"]}, "Choose themes from the list"),
    ({"sentiment": "furious"}, "Select a valid choice"),
    ({"service": "999999"}, "Choose a service of the current coding matrix"),
])
def test_bad_coding_gets_a_clear_message_and_changes_nothing(client, officer, places, themes,
                                                             matrix, posted, message):
    _origin, row = feedback(places["Harlesden"])
    client.force_login(officer)
    r = client.post(code_url(row), posted)
    assert r.status_code == 400 and message in r.content.decode()
    assert "There is a problem" in r.content.decode()
    row.refresh_from_db()
    assert row.coded_at is None and not row.events.exists()


def test_a_sub_theme_of_another_version_is_refused(client, officer, places, themes, matrix):
    _origin, row = feedback(places["Harlesden"])
    old = matrix.sub_themes.get()
    CodingMatrix.objects.create(number=matrix.number + 1)
    client.force_login(officer)
    r = client.post(code_url(row), {"themes": [themes["health"].pk], "sub_themes": [old.pk]})
    assert r.status_code == 400
    assert "Choose sub-themes of the current coding matrix" in r.content.decode()
    assert not row.events.exists()


def test_a_suggestion_is_shown_and_applied_only_when_accepted(client, officer, places, themes,
                                                               monkeypatch):
    _origin, row = feedback(places["Harlesden"])
    health = themes["health"]
    monkeypatch.setattr(suggestions, "suggestions_for", lambda items: {row.pk: [
        suggestions.Suggestion(health.pk, "Health", 0.82, ["GP", "appointment"])]})
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "Health 82% (GP, appointment)" in html and 'name="accept"' in html
    row.refresh_from_db()
    assert row.coded_at is None and not row.themes.exists()  # never applied on its own
    client.post(code_url(row), {"accept": health.pk})
    assert [t.slug for t in row.themes.all()] == ["health"]
    assert row.events.get().action == CodingEvent.SUGGESTION_ACCEPTED


def test_bulk_actions_on_ticked_items_and_on_the_whole_page(client, officer, places, themes):
    rows = [feedback(places["Kilburn"], f"Buses {n}")[1] for n in range(3)]
    client.force_login(officer)
    bulk = reverse("insight:coding_bulk")
    r = client.post(bulk + "?status=all", {"action": "add_theme", "theme": themes["transport"].pk,
                                           "scope": "selected", "items": [rows[0].pk]})
    assert r.status_code == 302 and r["Location"] == f"{URL}?status=all"
    assert [t.slug for t in rows[0].themes.all()] == ["transport"]
    assert not rows[1].themes.exists()
    client.post(bulk, {"action": "sentiment", "sentiment": "positive", "scope": "page",
                       "page_items": [r.pk for r in rows]})
    assert set(InsightItem.objects.values_list("sentiment", flat=True)) == {"positive"}
    assert CodingEvent.objects.filter(action=CodingEvent.BULK).count() == 4
    none = client.post(bulk, {"action": "reviewed", "scope": "selected"})
    assert none.status_code == 400 and "Tick at least one item" in none.content.decode()
    no_theme = client.post(bulk, {"action": "add_theme", "scope": "page",
                                  "page_items": [rows[0].pk]})
    assert no_theme.status_code == 400 and "Choose the theme to add" in no_theme.content.decode()
    junk = client.post(bulk, {"action": "reviewed", "scope": "selected", "items": ["1; DROP"]})
    assert junk.status_code == 400 and "Choose items from the list" in junk.content.decode()


def test_councillor_reads_but_cannot_code(client, councillor, places, themes):
    row = item(1, places["Harlesden"], text="Street lights out")
    client.force_login(councillor)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200 and "Street lights out" in html  # all items by default
    assert 'class="insight-code"' not in html and "bulk-form" not in html
    # The view refuses (PermissionDenied); Wagtail's admin turns that into a redirect home with
    # "Sorry, you do not have permission", and a plain 403 for a script's request.
    refused = client.post(code_url(row), {"themes": [themes["health"].pk]})
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert client.post(code_url(row), {"themes": [themes["health"].pk]},
                       headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    assert client.post(reverse("insight:coding_bulk"), {
        "action": "reviewed", "scope": "page", "page_items": [row.pk]},
        headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    assert not row.events.exists() and not row.themes.exists()


@pytest.mark.parametrize("who", ["anonymous", "resident", "vcs"])
def test_others_are_refused(client, who, places, themes):
    row = item(1, places["Harlesden"], text="Street lights out")
    if who != "anonymous":
        client.force_login(make_user(f"{who}@example.org",
                                     "VCS organisations" if who == "vcs" else None))
    page = client.get(URL)
    assert page.status_code in (302, 403) and b"Street lights out" not in page.content
    assert client.post(code_url(row), {"themes": [themes["health"].pk]}).status_code in (302,
                                                                                          403)
    assert client.get(reverse("insight:coding_origin", args=[row.pk])).status_code in (302,
                                                                                        403)
    assert not row.events.exists() and not row.themes.exists()


def test_flagged_text_is_shown_only_to_those_who_may_open_it(client, officer, councillor,
                                                             places):
    row = item(1, places["Harlesden"], text="Worried about the child next door",
               safeguarding=True)
    client.force_login(councillor)
    html = client.get(URL, {"flag": "flagged"}).content.decode()
    assert "Flagged for safeguarding" in html and "child next door" not in html
    assert client.get(reverse("insight:coding_origin", args=[row.pk]),
                      headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    assert not SafeguardingOpened.objects.exists()
    client.force_login(officer)
    assert "child next door" in client.get(URL, {"flag": "flagged"}).content.decode()
    assert SafeguardingOpened.objects.get().user == officer  # the showing is audited


def test_the_original_opens_from_the_item(client, officer, places):
    origin, row = feedback(places["Harlesden"])
    client.force_login(officer)
    r = client.get(reverse("insight:coding_origin", args=[row.pk]))
    assert r.status_code == 302 and str(origin.pk) in r["Location"]
    orphan = item(99_999, places["Harlesden"], origin="retired")  # no app offers it now
    gone = client.get(reverse("insight:coding_origin", args=[orphan.pk]))
    assert gone.status_code == 302 and gone["Location"].startswith(URL)


def test_a_page_costs_the_same_queries_for_few_items_or_many(
        client, officer, places, themes, matrix, django_assert_max_num_queries):
    client.force_login(officer)
    for n in range(3):
        row = item(n + 1, places["Harlesden"])
        row.themes.add(themes["health"])
        CodingEvent.objects.create(item=row, action=CodingEvent.CODED, user=officer)
    client.get(URL)  # warm the session and the site caches
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(3, 60):
        row = item(n + 1, places["Kilburn"])
        row.themes.add(themes["housing"])
        CodingEvent.objects.create(item=row, action=CodingEvent.CODED, user=officer)
    with django_assert_max_num_queries(len(few)):
        page = client.get(URL)
    assert f"{60} items match" in page.content.decode()
    assert page.content.decode().count('<article class="insight-item') == coding.PER_PAGE
