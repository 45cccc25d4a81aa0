"""Results cached between requests, and likely duplicates that spare shared-wifi workshops."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.neighbourhoods.models import Neighbourhood
from surveys import services
from surveys.forms import field_name, rank_field_name
from surveys.models import Question, Response
from tests.conftest import make_user

from .conftest import q
from .test_results import respond

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


# Caching --------------------------------------------------------------------------------------


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
    services.submit_response(answered, [], channel=Response.PAPER)
    _third, html = queries(client, url)
    assert "10 responses." in html


def test_coding_a_comment_and_publishing_make_results_stale(answered, officer):
    before = services.results_version(answered.pk)
    comment = services.comments(answered).first()
    services.code_comment(comment, [], True, officer)
    after_coding = services.results_version(answered.pk)
    assert after_coding != before
    answered.save_revision().publish()
    assert services.results_version(answered.pk) != after_coding


def test_a_changed_response_or_a_deleted_one_makes_results_stale(answered):
    before = services.officer_results(answered)["results"]["total"]
    version = services.results_version(answered.pk)
    response = Response.objects.first()
    response.neighbourhood = Neighbourhood.objects.first()
    response.save()
    assert services.results_version(answered.pk) != version
    response.delete()
    assert services.officer_results(answered)["results"]["total"] == before - 1


# Likely duplicates ----------------------------------------------------------------------------


def step_url(survey, n):
    return f"{survey.url}step/{n}/"


def answer_online(client, survey, *, children="Yes", likert="5", top="Air quality"):
    single, multiple = q(survey, Question.SINGLE), q(survey, Question.MULTIPLE)
    likert_q, ranking = q(survey, Question.LIKERT), q(survey, Question.RANKING)
    client.post(step_url(survey, 1), {
        field_name(q(survey, Question.WHERE)): "NW10 8SE",
        field_name(single): str(single.options.get(label=children).pk)})
    data = {field_name(likert_q): likert}
    if children == "Yes":
        data[field_name(multiple)] = [str(multiple.options.get(label="Library").pk)]
    client.post(step_url(survey, 2), data)
    others = [label for label in ("Housing", "Air quality", "Safety", "Isolation")
              if label != top][:2]
    ranks = {top: "1", others[0]: "2", others[1]: "3"}
    return client.post(step_url(survey, 3), {
        rank_field_name(ranking, o): ranks.get(o.label, "") for o in ranking.options.all()})


def variety(n):
    """Thirty different sets of answers, as a room of people would give."""
    tops = ["Housing", "Air quality", "Safety", "Isolation"]
    return [{"children": "Yes" if n % 2 else "No", "likert": str(1 + n % 5),
             "top": tops[(n // 2) % 4]} for n in range(n)]


def test_a_workshop_on_one_wifi_is_neither_flagged_nor_rate_limited(survey):
    survey.one_response_only = False
    survey.save_revision().publish()
    browsers = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Safari/604.1",
                "Mozilla/5.0 (Linux; Android 14; Pixel 7) Chrome/124.0 Mobile",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/125.0", ""]
    for n, answers in enumerate(variety(30)):
        # One address for the whole room; people bring all sorts of phones, some the same.
        client = Client(HTTP_USER_AGENT=browsers[n % 4], REMOTE_ADDR="10.1.2.3")
        reply = answer_online(client, survey, **answers)
        assert reply.status_code == 302, reply.content.decode()[:500]
    assert Response.objects.count() == 30
    # Same address, many with the same kind of phone, different answers: nobody is flagged.
    assert not Response.objects.filter(duplicate_suspect=True).exists()


def test_a_room_with_different_answers_and_browsers_is_not_flagged(survey):
    survey.one_response_only = False
    survey.save_revision().publish()
    for n, answers in enumerate(variety(12)):
        client = Client(HTTP_USER_AGENT=f"Browser {n}", REMOTE_ADDR="10.9.9.9")
        assert answer_online(client, survey, **answers).status_code == 302
    assert Response.objects.count() == 12
    assert not Response.objects.filter(duplicate_suspect=True).exists()


def test_same_address_and_same_answers_is_flagged_with_the_earlier_reference(survey):
    survey.one_response_only = False
    survey.save_revision().publish()
    answer_online(Client(HTTP_USER_AGENT="Phone A", REMOTE_ADDR="10.0.0.1"), survey)
    answer_online(Client(HTTP_USER_AGENT="Laptop B", REMOTE_ADDR="10.0.0.1"), survey)
    first, second = Response.objects.order_by("submitted_at", "pk")
    assert not first.duplicate_suspect
    assert second.duplicate_suspect and second.duplicate_reason == Response.SAME_ANSWERS
    assert second.duplicate_of == first
    # Same answers from another address are not a duplicate: people may agree.
    answer_online(Client(HTTP_USER_AGENT="Phone A", REMOTE_ADDR="10.0.0.2"), survey)
    assert not Response.objects.order_by("-submitted_at", "-pk").first().duplicate_suspect


def test_same_browser_within_minutes_is_flagged_but_not_later(survey):
    survey.one_response_only = False
    survey.save_revision().publish()
    phone = Client(HTTP_USER_AGENT="Phone A", REMOTE_ADDR="10.0.0.1")
    answer_online(phone, survey)
    # The same model of phone in the same room is another person: not flagged.
    answer_online(Client(HTTP_USER_AGENT="Phone A", REMOTE_ADDR="10.0.0.1"), survey,
                  children="No", likert="2", top="Housing")
    assert not Response.objects.filter(duplicate_suspect=True).exists()
    # The same browser again, minutes later, with other answers: flagged.
    answer_online(phone, survey, children="No", likert="1", top="Safety")
    latest = Response.objects.order_by("-pk").first()
    assert latest.duplicate_reason == Response.SAME_BROWSER
    assert latest.duplicate_of == Response.objects.order_by("pk").first()
    Response.objects.update(submitted_at=timezone.now() - timedelta(hours=2))
    answer_online(phone, survey, children="Yes", likert="3", top="Housing")
    assert not Response.objects.order_by("-pk").first().duplicate_suspect


def test_paper_forum_and_phone_entries_are_never_flagged(survey):
    answers = [{"question_id": q(survey, Question.LIKERT).pk, "number": 4}]
    for channel in (Response.PAPER, Response.FORUM, Response.PHONE, Response.PAPER):
        services.submit_response(survey, answers, channel=channel, ip="10.0.0.5",
                                 user_agent="Officer laptop")
    assert not Response.objects.filter(duplicate_suspect=True).exists()
    assert not Response.objects.exclude(ip_hash="").exists()


def test_officers_see_why_a_response_was_flagged(survey, client):
    answers = [{"question_id": q(survey, Question.LIKERT).pk, "number": 4}]
    first = services.submit_response(survey, answers, ip="10.0.0.7")
    second = services.submit_response(survey, answers, ip="10.0.0.7")
    client.force_login(make_user("dupes@example.org", "Officers"))
    html = client.get(reverse("surveys_admin:results", args=[survey.pk])).content.decode()
    assert "1 response is flagged as a possible duplicate." in html
    assert second.reference in html and first.reference in html
    assert "Same connection and near-identical answers as an earlier response" in html
    rows = list(services.export_rows(survey))
    flagged = next(r for r in rows if r[0] == second.reference)
    assert flagged[4:6] == ["yes", "Same connection and near-identical answers as an earlier "
                                   "response"]


def test_workshop_sized_rate_limit_by_default(survey, settings):
    assert not hasattr(settings, "SURVEYS_SUBMISSIONS_PER_HOUR")
    assert services.SUBMISSIONS_PER_HOUR >= 150
    for _ in range(30):
        assert not services.rate_limited("10.2.2.2")
