"""The safeguarding list (no text) and each flagged item's page (the text, and an audit row
every time it is opened): officers only."""

import datetime

import pytest
import rules
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insight import safeguarding
from insight.models import InsightItem, SafeguardingOpened
from portal.neighbourhoods.models import Neighbourhood

from .test_safeguarding import TEXT

pytestmark = pytest.mark.django_db

LIST = reverse("insight:safeguarding")


@pytest.fixture(autouse=True)
def no_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    settings.INSIGHT_SAFEGUARDING_EMAIL = "safeguarding@example.org"


@pytest.fixture
def place():
    return Neighbourhood.objects.create(
        name="Harlesden", slug="harlesden",
        boundary={"type": "Polygon", "coordinates": [[[-0.26, 51.53], [-0.25, 51.53],
                                                      [-0.25, 51.54], [-0.26, 51.53]]]})


def item(place, flagged=True, n=1, text=TEXT):
    return InsightItem.objects.create(
        origin=InsightItem.FEEDBACK, origin_id=n, text=text, source="healthwatch",
        source_label="Home visit", received_on=datetime.date(2026, 10, n % 28 + 1),
        neighbourhood=place, safeguarding=flagged)


def page_url(pk):
    return reverse("insight:safeguarding_item", args=[pk])


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_the_list_shows_flagged_items_without_their_text(officer_client, officer, place):
    flagged = item(place, n=1)
    quiet = item(place, flagged=False, n=2, text="The park is lovely.")
    safeguarding.flag_raised(flagged, officer)
    response = officer_client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Concern {flagged.pk}" in body and page_url(flagged.pk) in body
    assert page_url(quiet.pk) not in body
    assert "hits her son" not in body and "The park" not in body and "Home visit" not in body
    assert "Healthwatch report" in body and "Harlesden" in body
    assert "officer@example.org" in body and "Not opened yet" in body


def test_opening_an_item_shows_the_text_and_records_each_opening(officer_client, officer,
                                                                  place):
    flagged = item(place)
    for _ in range(2):
        response = officer_client.get(page_url(flagged.pk))
        assert response.status_code == 200
    assert "hits her son" in response.content.decode()
    assert list(SafeguardingOpened.objects.filter(item=flagged).values_list(
        "user__email", flat=True)) == ["officer@example.org"] * 2
    assert "Opened 2 times." in response.content.decode()
    listing = officer_client.get(LIST).content.decode()
    assert "officer@example.org" in listing and "(2 openings)" in listing
    assert "Not opened yet" not in listing
    assert officer_client.get(LIST + "?unopened=1").context["page"].paginator.count == 0


def test_posting_to_an_item_is_refused_and_not_recorded(officer_client, place):
    flagged = item(place)
    assert officer_client.post(page_url(flagged.pk)).status_code == 405
    assert not SafeguardingOpened.objects.exists()


def test_an_item_that_is_not_flagged_or_missing_is_not_found(officer_client, place):
    quiet = item(place, flagged=False)
    assert officer_client.get(page_url(quiet.pk)).status_code == 404
    assert officer_client.get(page_url(quiet.pk + 100)).status_code == 404
    assert not SafeguardingOpened.objects.exists()


@pytest.mark.parametrize("role", ["councillor", "resident", "vcs_owner", "vcs_non_member"])
def test_others_are_refused_both_pages_and_nothing_is_recorded(client, people, place, role):
    flagged = item(place)
    client.force_login(people[role])
    for url in (LIST, page_url(flagged.pk)):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "hits her son" not in response.content.decode()
        if response.status_code == 302:  # Wagtail's answer to PermissionDenied, or sign in
            assert response["Location"] == "/admin/" or "login" in response["Location"]
        if role == "councillor":  # has the admin: the view itself refuses (403 without Wagtail)
            assert response["Location"] == "/admin/"
            ajax = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
            assert ajax.status_code == 403
    assert not SafeguardingOpened.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, place):
    flagged = item(place)
    for url in (LIST, page_url(flagged.pk)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert not SafeguardingOpened.objects.exists()


def test_superusers_may_open_and_audit(client, superuser, place):
    flagged = item(place)
    client.force_login(superuser)
    response = client.get(page_url(flagged.pk))
    assert response.status_code == 200 and response.context["can_audit"]
    assert "admin@example.org" in response.content.decode()


def test_without_the_audit_permission_the_openings_are_recorded_but_not_shown(
        officer_client, place):
    flagged = item(place)
    name = "insight.view_safeguarding_audit"
    before = rules.permissions.permissions[name]
    rules.set_perm(name, rules.always_deny)
    try:
        response = officer_client.get(page_url(flagged.pk))
    finally:
        rules.set_perm(name, before)
    assert response.status_code == 200 and not response.context["can_audit"]
    assert "Who opened it" not in response.content.decode()
    assert SafeguardingOpened.objects.count() == 1


def test_the_list_runs_the_same_queries_for_three_items_or_forty(officer_client, officer,
                                                                  place):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(LIST).status_code == 200
        return len(captured)

    for n in range(1, 4):
        safeguarding.flag_raised(item(place, n=n), officer)
    few = queries()
    for n in range(4, 41):
        flagged = item(place, n=n)
        safeguarding.flag_raised(flagged, officer)
        SafeguardingOpened.objects.create(item=flagged, user=officer)
    assert queries() == few


def test_a_bad_page_number_shows_the_first_page(officer_client, place):
    item(place)
    for value in ("0", "-1", "abc", "99999999999"):
        response = officer_client.get(LIST + f"?p={value}")
        assert response.status_code == 200 and response.context["page"].number == 1
