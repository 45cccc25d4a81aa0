"""Answering online: steps, session, skip logic, traps, limits and every refusal, never a 500."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from portal.neighbourhoods.models import Neighbourhood
from surveys.forms import field_name, rank_field_name
from surveys.models import Answer, Question, Response
from tests.conftest import make_user

from .conftest import q

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    cache.clear()


def step_url(survey, n):
    return f"{survey.url}step/{n}/"


def opt(question, label):
    return str(question.options.get(label=label).pk)


def answer_all(client, survey, children="Yes"):
    single, multiple = q(survey, Question.SINGLE), q(survey, Question.MULTIPLE)
    likert, ranking = q(survey, Question.LIKERT), q(survey, Question.RANKING)
    where = q(survey, Question.WHERE)
    r = client.post(step_url(survey, 1), {field_name(where): "NW10 8SE",
                                          field_name(single): opt(single, children)})
    assert r.status_code == 302, r.content
    data = {field_name(likert): "5"}
    if children == "Yes":
        data[field_name(multiple)] = [opt(multiple, "Library")]
    r = client.post(step_url(survey, 2), data)
    assert r.status_code == 302, r.content
    ranks = {"Housing": "2", "Air quality": "1", "Safety": "3"}
    data = {rank_field_name(ranking, o): ranks.get(o.label, "") for o in ranking.options.all()}
    r = client.post(step_url(survey, 3), data)
    assert r.status_code == 302 and r.url.endswith("/check/"), r.content
    return submit(client, survey)


def through_check(client, survey, reply):
    """After the last step, submit from "check your answers"; any other reply as it is."""
    if reply.status_code == 302 and reply.url.endswith("/check/"):
        return submit(client, survey)
    return reply


def submit(client, survey):
    """Submit from "check your answers", the only place a response is stored."""
    check = client.get(f"{survey.url}check/")
    if check.status_code != 200:
        return check
    return client.post(f"{survey.url}check/", {"reference": check.context["reference"]})


def test_three_steps_to_a_reference_number(survey, client):
    page = client.get(survey.url)
    assert b"Start now" in page.content and b"About 5 minutes" in page.content
    r = client.get(step_url(survey, 1))
    assert b"Step 1 of 3" in r.content
    r = answer_all(client, survey)
    assert r.status_code == 302 and r.url.endswith("/done/")
    done = client.get(r.url)
    response = Response.objects.get()
    assert response.reference.encode() in done.content
    assert response.channel == Response.ONLINE
    assert response.neighbourhood == Neighbourhood.objects.get(name="Harlesden")
    ranked = dict(Answer.objects.filter(question__kind=Question.RANKING)
                  .values_list("option__label", "rank"))
    assert ranked == {"Air quality": 1, "Housing": 2, "Safety": 3}
    assert Answer.objects.filter(question__kind=Question.MULTIPLE).count() == 1


def test_hidden_question_is_skipped_and_its_answer_not_saved(survey, client):
    multiple = q(survey, Question.MULTIPLE)
    single = q(survey, Question.SINGLE)
    client.post(step_url(survey, 1), {field_name(single): opt(single, "Yes"),
                                      field_name(q(survey, Question.WHERE)): "NW10 8SE"})
    client.post(step_url(survey, 2), {field_name(multiple): [opt(multiple, "Library")],
                                      field_name(q(survey, Question.LIKERT)): "3"})
    # the person goes back and changes their answer: the dependent answer must not be kept
    client.post(step_url(survey, 1), {field_name(single): opt(single, "No"),
                                      field_name(q(survey, Question.WHERE)): "NW10 8SE"})
    page = client.get(step_url(survey, 2))
    assert b"Which services have you used?" not in page.content
    client.post(step_url(survey, 2), {field_name(q(survey, Question.LIKERT)): "3"})
    ranking = q(survey, Question.RANKING)
    r = client.post(step_url(survey, 3), {rank_field_name(ranking, o): str(i) for i, o in
                                          enumerate(ranking.options.all()[:3], start=1)})
    assert r.status_code == 302
    assert b"Which services have you used?" not in client.get(f"{survey.url}check/").content
    assert submit(client, survey).status_code == 302
    assert not Answer.objects.filter(question=multiple).exists()


def test_error_keeps_answers_and_back_link_shows_them(survey, client):
    single = q(survey, Question.SINGLE)
    where = q(survey, Question.WHERE)
    r = client.post(step_url(survey, 1), {field_name(single): opt(single, "Yes")})
    assert r.status_code == 200
    assert b"There is a problem" in r.content
    assert b"Enter your postcode or choose your neighbourhood" in r.content
    assert b'checked' in r.content  # the choice made is still selected
    assert r.context["step"] == 1
    client.post(step_url(survey, 1), {field_name(single): opt(single, "Yes"),
                                      field_name(where): "NW10 8SE"})
    r = client.post(step_url(survey, 2), {})
    assert b"Select how much you agree" in r.content
    assert r.context["back_url"].endswith("/step/1/")
    back = client.get(step_url(survey, 1))
    assert b'value="NW10 8SE"' in back.content


def test_cannot_skip_ahead(survey, client):
    r = client.get(step_url(survey, 3))
    assert r.status_code == 302 and r.url.endswith("/step/1/")


@pytest.mark.parametrize("opens, closes, message", [
    (1, 10, b"not open yet"), (-10, -1, b"This survey closed"),
])
def test_closed_and_not_yet_open(survey, client, opens, closes, message):
    now = timezone.now()
    survey.opens_at, survey.closes_at = now + timedelta(days=opens), now + timedelta(days=closes)
    survey.save()
    assert message in client.get(survey.url).content
    assert client.get(step_url(survey, 1)).status_code == 302
    r = client.post(step_url(survey, 1), {})
    assert r.status_code == 403 and message in r.content


def test_one_response_per_browser_and_per_account(survey, client, resident):
    answer_all(client, survey)
    r = client.get(survey.url)
    assert b"You have already answered" in r.content
    assert client.post(step_url(survey, 1), {}).status_code == 403
    other = Client()
    other.force_login(resident)
    answer_all(other, survey)
    assert Response.objects.filter(user=resident).count() == 1
    other.cookies.clear()
    other.force_login(resident)
    assert b"You have already answered" in other.get(survey.url).content


def test_sign_in_requirement(survey, client, resident):
    survey.require_sign_in = True
    survey.save()
    assert b"You need to sign in" in client.get(survey.url).content
    assert client.get(step_url(survey, 1)).status_code == 302
    client.force_login(resident)
    assert client.get(step_url(survey, 1)).status_code == 200


def test_minimum_time_trap_keeps_answers(survey, client, settings):
    settings.SURVEYS_MIN_SECONDS = 60
    r = answer_all(client, survey)
    assert r.status_code == 400
    assert b"faster than we expected" in r.content
    assert not Response.objects.exists()
    r = answer_all(client, survey)  # a person who submits again gets through
    assert r.status_code == 302 and Response.objects.count() == 1


def test_rate_limit_per_address(survey, settings):
    settings.SURVEYS_SUBMISSIONS_PER_HOUR = 2
    survey.one_response_only = False
    survey.save()
    for _ in range(2):
        assert answer_all(Client(), survey).status_code == 302
    r = answer_all(Client(), survey)
    assert r.status_code == 429
    assert b"Too many submissions" in r.content
    assert Response.objects.count() == 2
    assert Response.objects.filter(duplicate_suspect=True).count() == 1


def test_a_busy_address_does_not_stop_a_signed_in_resident(survey, settings):
    settings.SURVEYS_SUBMISSIONS_PER_HOUR = 2
    survey.one_response_only = False
    survey.save()
    for _ in range(3):
        answer_all(Client(), survey)
    assert Response.objects.count() == 2
    signed_in = Client()
    signed_in.force_login(make_user("own-count@example.org"))
    assert answer_all(signed_in, survey).status_code == 302
    assert Response.objects.count() == 3


def test_tampered_ids_get_a_clear_error(survey, client):
    single = q(survey, Question.SINGLE)
    r = client.post(step_url(survey, 1), {field_name(single): "99999",
                                          field_name(q(survey, Question.WHERE)): "NW10 8SE",
                                          "q99999": "1"})
    assert r.status_code == 200
    assert b"Select one of the options given" in r.content


def test_unknown_postcode(survey, client):
    single = q(survey, Question.SINGLE)
    r = client.post(step_url(survey, 1), {field_name(single): opt(single, "Yes"),
                                          field_name(q(survey, Question.WHERE)): "NW10 9ZZ"})
    assert b"We could not find the postcode NW10 9ZZ" in r.content


def test_missing_csrf_token_is_refused(survey):
    client = Client(enforce_csrf_checks=True)
    client.get(step_url(survey, 1))
    r = client.post(step_url(survey, 1), {})
    assert r.status_code == 403


def test_oversized_post_is_refused(survey, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    single = q(survey, Question.SINGLE)
    r = client.post(step_url(survey, 1), {field_name(single): "x" * 5000})
    assert r.status_code == 400
    assert not Response.objects.exists()


def test_optional_email_receipt_once(survey, client, mailoutbox):
    answer_all(client, survey)
    done = f"{survey.url}done/"
    reference = Response.objects.get().reference
    bad = client.post(done, {"email": "not-an-address"})
    assert bad.status_code == 400 and b"Enter an email address in the correct format" in bad.content
    r = client.post(done, {"email": "amina@example.org"})
    assert r.status_code == 302
    assert mailoutbox[0].to == ["amina@example.org"] and reference in mailoutbox[0].body
    page = client.get(done)
    assert b"We have emailed your reference number" in page.content
    assert b"Email me my reference" not in page.content
    client.post(done, {"email": "other@example.org"})
    assert len(mailoutbox) == 1
