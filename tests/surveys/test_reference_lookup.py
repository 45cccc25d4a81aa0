"""What happened to my answer: a reference number shows its survey's status, results, "you said,
we did" and the plan actions it fed, never the answers (except to their signed-in owner); an
unknown reference cannot be told from a closed survey with nothing published."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from plans.models import ActionEvidence
from surveys.answering import send_receipt, submit_response
from surveys.models import Question, SurveyPage
from surveys.references import FORMAT_MESSAGE, find, normalise
from tests.conftest import make_user, post_as_bytes
from tests.plans.conftest import harlesden, make_plan, plan_index, snapshot  # noqa: F401 (fixtures)

from .conftest import make_survey, q, respond

pytestmark = pytest.mark.django_db

LOOKUP = "/have-your-say/what-happened/"
UNKNOWN = "HYS-ZZZZ2222"
SECRET = "Buses every ten minutes"


def lookup(client, reference, url=LOOKUP):
    return client.post(url, {"reference": reference})


def closed(survey_index, title="Library opening hours", **fields):
    now = timezone.now()
    return make_survey(survey_index, title=title, opens_at=now - timedelta(days=40),
                       closes_at=now - timedelta(days=2), **fields)


def answer(survey, user=None):
    """A response with a free-text answer nobody but its owner may see."""
    text = q(survey, Question.TEXT)
    return submit_response(survey, [{"question_id": text.pk, "text": SECRET}], user=user)


def body(response, *remove):
    """The page without what may differ between two look-ups: the CSRF token, the
    references and survey titles in `remove`."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    for text in remove:
        html = html.replace(text, "")
    return html


def scoped(survey):
    return survey.url + "what-happened/"


# References as people type them ------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("HYS-ABCD2345", "HYS-ABCD2345"), (" hys-abcd2345 ", "HYS-ABCD2345"),
    ("HYS ABCD 2345", "HYS-ABCD2345"), ("abcd2345", "HYS-ABCD2345"),
    ("HYS–ABCD–2345", "HYS-ABCD2345"),
    ("HYS-ABCD234", None), ("HYS-ABCD23456", None), ("HYS-ABCD0345", None),
    ("HYS-ABCDI345", None), ("", None), ("HYS-", None), ("<script>", None),
])
def test_references_are_read_forgivingly(typed, expected):
    assert normalise(typed) == expected


@pytest.mark.parametrize("typed", ["HYS-123", "hello", "HYS-ABCD0000", "1' OR '1'='1",
                                   "HYS-ABCD2345" * 20])
def test_a_malformed_reference_gets_the_format(client, survey, typed):
    response = lookup(client, typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert str(FORMAT_MESSAGE).replace("HYS-ABCD2345", "") in html.replace("HYS-ABCD2345", "")
    assert "like HYS-ABCD2345" in html


def test_an_empty_reference_asks_for_one(client, survey):
    response = lookup(client, "  ")
    assert response.status_code == 400
    assert "Enter your reference number" in response.content.decode()


def test_the_page_is_linked_from_the_survey_index(client, survey):
    html = client.get("/have-your-say/").content.decode()
    assert f'href="{LOOKUP}"' in html
    page = client.get(LOOKUP)
    assert page.status_code == 200
    assert "What happened to my answer" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


# Each state of a known reference -----------------------------------------------------------------

def test_an_open_survey_says_until_when(client, survey):
    reference = answer(survey).reference
    html = lookup(client, reference.lower()).content.decode()
    assert survey.title in html
    assert "Open until" in html
    assert f"Reference {reference}" in html
    assert SECRET not in html


def test_a_closed_survey_with_nothing_published_names_nothing(client, survey_index):
    survey = closed(survey_index)
    html = lookup(client, answer(survey).reference).content.decode()
    assert "Nothing has been published for this reference yet." in html
    assert survey.title not in html
    assert SECRET not in html


def test_published_results_are_linked(client, survey_index):
    survey = closed(survey_index, results_published=True)
    html = lookup(client, answer(survey).reference).content.decode()
    assert survey.title in html
    assert "Closed on" in html
    assert f'href="{survey.url}results/"' in html
    assert SECRET not in html


def test_you_said_we_did_is_shown(client, survey_index):
    survey = closed(survey_index, outcome_heard="<p>Evenings matter most.</p>",
                    outcome_decided="<p>Libraries open until 8pm.</p>")
    html = lookup(client, answer(survey).reference).content.decode()
    assert "You said, we did" in html
    assert "Evenings matter most." in html and "Libraries open until 8pm." in html
    assert SECRET not in html


def test_the_priorities_and_plan_actions_it_fed_are_listed(client, survey_index, request):
    survey = closed(survey_index)
    plan = make_plan(request.getfixturevalue("plan_index"), request.getfixturevalue("snapshot"))
    action = plan.actions.first()
    ActionEvidence.objects.create(action=action, page=survey)
    reference = answer(survey).reference
    html = lookup(client, reference).content.decode()
    assert survey.title in html
    assert "Priorities it fed into" in html
    assert f'{action.priority.theme.name}, in <a href="{plan.url}">{plan.title}</a>' in html
    assert f'href="{plan.url}#action-{action.pk}"' in html
    assert action.title in html
    assert SECRET not in html
    plan.unpublish()  # a plan taken down no longer counts: nothing published again
    assert "Nothing has been published" in lookup(client, reference).content.decode()


# Unknown references cannot be probed ------------------------------------------------------------

def _compare(client, known_reference, url, title):
    lookup(client, UNKNOWN, url)  # the session and the rate-limit counter exist from here on
    with CaptureQueriesContext(connection) as known_queries:
        known = lookup(client, known_reference, url)
    with CaptureQueriesContext(connection) as unknown_queries:
        unknown = lookup(client, UNKNOWN, url)
    assert known.status_code == unknown.status_code == 200
    assert body(known, known_reference, title) == body(unknown, UNKNOWN, title)
    assert len(known_queries) == len(unknown_queries)


def test_the_look_up_runs_the_same_queries_either_way(survey_index):
    survey = closed(survey_index)
    reference = answer(survey).reference

    def shape(ref):
        with CaptureQueriesContext(connection) as queries:
            find(ref)
        return [re.sub(r"'HYS-\w+'|%s|\b\d+\b", "?", query["sql"]) for query in queries]

    assert shape(reference) == shape(UNKNOWN)


def test_unknown_and_closed_with_nothing_are_the_same_page(client, survey_index):
    survey = closed(survey_index)
    _compare(client, answer(survey).reference, LOOKUP, survey.title)


def test_the_same_from_the_surveys_own_page(client, survey_index):
    survey = closed(survey_index)
    _compare(client, answer(survey).reference, scoped(survey), survey.title)


def test_a_reference_from_another_survey_is_unknown_on_a_surveys_page(client, survey,
                                                                      survey_index):
    other = closed(survey_index, title="Another survey", results_published=True)
    reference = answer(other).reference
    on_survey = lookup(client, reference, scoped(survey))
    unknown = lookup(client, UNKNOWN, scoped(survey))
    assert body(on_survey, reference) == body(unknown, UNKNOWN)
    assert "Nothing has been published" in on_survey.content.decode()
    assert "Another survey" in lookup(client, reference).content.decode()  # known site-wide


def test_draft_and_private_surveys_are_unknown(client, survey_index):
    survey = closed(survey_index, results_published=True)
    reference = answer(survey).reference
    PageViewRestriction.objects.create(page=survey, restriction_type="login")
    assert "Nothing has been published" in lookup(client, reference).content.decode()
    PageViewRestriction.objects.all().delete()
    survey.unpublish()
    assert "Nothing has been published" in lookup(client, reference).content.decode()


# Answers: their owner only ----------------------------------------------------------------------

def test_the_owner_sees_their_answers_and_nobody_else_does(client, survey_index, superuser):
    survey = closed(survey_index)
    owner = make_user("owner@example.org")
    reference = answer(survey, user=owner).reference
    for person in (None, make_user("neighbour@example.org"), superuser):
        client.logout()
        if person:
            client.force_login(person)
        html = lookup(client, reference).content.decode()
        assert SECRET not in html and "Your answers" not in html
        assert "Nothing has been published" in html
    client.force_login(owner)
    html = lookup(client, reference).content.decode()
    assert "Your answers" in html and SECRET in html
    assert survey.title in html and "You answered" in html


def test_the_owner_sees_choices_and_ranks_as_they_chose_them(client, survey):
    owner = make_user("owner@example.org")
    response = respond(survey, single="Yes", likert=5, ranks=["Housing", "Safety"])
    response.user = owner
    response.save()
    client.force_login(owner)
    html = lookup(client, response.reference).content.decode()
    assert "Yes" in html and "Strongly agree" in html
    assert "1. Housing" in html and "2. Safety" in html


# Rate limit --------------------------------------------------------------------------------------

def test_look_ups_are_rate_limited_with_a_clear_page(client, survey, settings):
    settings.SURVEYS_LOOKUPS_PER_HOUR = 3
    for _ in range(5):  # malformed references are refused before they count
        assert lookup(client, "nope").status_code == 400
    for _ in range(3):
        assert lookup(client, UNKNOWN).status_code == 200
    refused = lookup(client, UNKNOWN)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many look-ups from your connection" in html
    assert "Nothing has been published" not in html
    owner = make_user("owner@example.org")  # people signed in are counted on their own
    client.force_login(owner)
    assert lookup(client, UNKNOWN).status_code == 200


# Hostile input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "HYS-ABCD\x002345", "HYS-\ud800ABCD2345", "x" * 1_000_000,
    "HYS-ABCD2345' OR 1=1 --", "../../etc/passwd", "HYS-ABCD2345\r\nSet-Cookie: a=b",
    "NaN", "1e309", "\u202eHYS-ABCD2345",
])
def test_hostile_references_get_a_clear_answer(client, survey, payload):
    response = post_as_bytes(client, LOOKUP, {"reference": payload})
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html


def test_repeated_and_odd_requests(client, survey):
    reference = answer(survey).reference
    response = client.post(LOOKUP, {"reference": [UNKNOWN, reference]})
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    got = client.get(LOOKUP, {"reference": reference})  # GET never looks anything up
    assert got.status_code == 200 and survey.title not in got.content.decode()
    assert client.post(LOOKUP, {}).status_code == 400


# Links from the confirmation page and the receipt ------------------------------------------------

def test_the_confirmation_page_and_receipt_link_to_the_look_up(client, survey):
    reference = answer(survey).reference
    session = client.session
    session[f"survey-done:{survey.pk}"] = reference
    session.save()
    html = client.get(survey.url + "done/").content.decode()
    assert f'href="{scoped(survey)}"' in html
    send_receipt(survey, reference, "someone@example.org")
    url = re.search(r"here: (\S+)", mail.outbox[-1].body).group(1)
    assert url.endswith(scoped(survey))
    assert lookup(client, reference, scoped(survey)).status_code == 200


def test_the_surveys_page_type_keeps_its_own_routes(client, survey):
    assert client.get(survey.url).status_code == 200
    assert client.get("/have-your-say/").status_code == 200
    assert SurveyPage.objects.live().count() >= 1
