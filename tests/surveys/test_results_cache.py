"""Results cached between requests, and made stale by every change that alters them."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.neighbourhoods.models import Neighbourhood
from surveys.answering import submit_response
from surveys.coding import code_comment, comments
from surveys.models import Response
from surveys.results import officer_results, results_version
from tests.conftest import make_user

from .conftest import respond

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    cache.clear()


@pytest.fixture
def answered(survey):
    for label in ["Yes"] * 6 + ["No"] * 3:
        respond(survey, single=label, likert=4, ranks=["Housing", "Safety", "Isolation"],
                text="More buses")
    return survey


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        reply = client.get(url)
    assert reply.status_code == 200
    return len(captured), reply.content.decode()


def test_officer_results_are_cached_until_a_new_response(answered, client):
    client.force_login(make_user("cache@example.org", "Officers"))
    url = reverse("surveys_admin:results", args=[answered.pk])
    first, html = queries(client, url)
    second, again = queries(client, url)
    assert second < first - 3
    assert "9 responses match these filters" in again
    respond(answered, single="No", likert=1, ranks=["Safety", "Housing", "Isolation"])
    third, fresh = queries(client, url)
    assert third > second
    assert "10 responses match these filters" in fresh


def test_filters_are_cached_apart(answered, client):
    client.force_login(make_user("cache2@example.org", "Officers"))
    url = reverse("surveys_admin:results", args=[answered.pk])
    assert "9 responses match" in client.get(url).content.decode()
    paper = client.get(url + "?channel=paper").content.decode()
    assert "0 responses match" in paper


def test_public_results_are_cached_until_answers_change(answered, client):
    answered.results_published = True
    answered.save_revision().publish()
    url = answered.url + "results/"
    first, _html = queries(client, url)
    second, html = queries(client, url)
    assert second < first and "9 responses." in html
    submit_response(answered, [], channel=Response.PAPER)
    _third, html = queries(client, url)
    assert "10 responses." in html


def test_coding_a_comment_and_publishing_make_results_stale(answered, officer):
    before = results_version(answered.pk)
    comment = comments(answered).first()
    code_comment(comment, [], True, officer)
    after_coding = results_version(answered.pk)
    assert after_coding != before
    answered.save_revision().publish()
    assert results_version(answered.pk) != after_coding


def test_a_changed_response_or_a_deleted_one_makes_results_stale(answered):
    before = officer_results(answered)["results"]["total"]
    version = results_version(answered.pk)
    response = Response.objects.first()
    response.neighbourhood = Neighbourhood.objects.first()
    response.save()
    assert results_version(answered.pk) != version
    response.delete()
    assert officer_results(answered)["results"]["total"] == before - 1
