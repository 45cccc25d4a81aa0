"""Likely duplicates and the rate limit, set so that a workshop on shared wifi gets through."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys.answering import SUBMISSIONS_PER_HOUR, rate_limited, submit_response
from surveys.exports import export_rows
from surveys.forms import field_name, rank_field_name
from surveys.models import Question, Response
from tests.conftest import make_user

from .conftest import q
from .test_answering import through_check

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    cache.clear()


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
    return through_check(client, survey, client.post(step_url(survey, 3), {
        rank_field_name(ranking, o): ranks.get(o.label, "") for o in ranking.options.all()}))


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


def test_behind_the_proxy_each_resident_is_their_own_connection(survey, settings):
    """Every resident reaches the portal from the TLS proxy's address; the duplicate check
    compares the address the proxy saw (PORTAL_TRUSTED_PROXY_COUNT), not the proxy's own."""
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    survey.one_response_only = False
    survey.save_revision().publish()

    def behind_proxy(agent, address):
        return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR="10.0.0.1",
                      HTTP_X_FORWARDED_FOR=address)

    answer_online(behind_proxy("Phone A", "198.51.100.7"), survey)
    answer_online(behind_proxy("Laptop B", "203.0.113.9"), survey)  # a neighbour who agrees
    assert not Response.objects.filter(duplicate_suspect=True).exists()
    # The first resident again, from their own address: flagged.
    answer_online(behind_proxy("Laptop C", "198.51.100.7"), survey)
    latest = Response.objects.order_by("-pk").first()
    assert latest.duplicate_reason == Response.SAME_ANSWERS
    assert latest.duplicate_of == Response.objects.order_by("pk").first()


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
        submit_response(survey, answers, channel=channel, ip="10.0.0.5",
                                 user_agent="Officer laptop")
    assert not Response.objects.filter(duplicate_suspect=True).exists()
    assert not Response.objects.exclude(ip_hash="").exists()


def test_officers_see_why_a_response_was_flagged(survey, client):
    answers = [{"question_id": q(survey, Question.LIKERT).pk, "number": 4}]
    first = submit_response(survey, answers, ip="10.0.0.7")
    second = submit_response(survey, answers, ip="10.0.0.7")
    client.force_login(make_user("dupes@example.org", "Officers"))
    html = client.get(reverse("surveys_admin:results", args=[survey.pk])).content.decode()
    assert "1 response is flagged as a possible duplicate." in html
    assert second.reference in html and first.reference in html
    assert "Same connection and near-identical answers as an earlier response" in html
    rows = list(export_rows(survey))
    flagged = next(r for r in rows if r[0] == second.reference)
    assert flagged[5:7] == ["yes", "Same connection and near-identical answers as an earlier "
                                   "response"]


def test_workshop_sized_rate_limit_by_default(survey, settings):
    assert not hasattr(settings, "SURVEYS_SUBMISSIONS_PER_HOUR")
    assert SUBMISSIONS_PER_HOUR >= 150
    for _ in range(30):
        assert not rate_limited("10.2.2.2")
