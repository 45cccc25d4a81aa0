""""Check your answers" (issue 17): every asked question with its answer and a Change link;
the response is stored only from this page, once, and nothing is lost on the way."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from surveys.forms import field_name, rank_field_name
from surveys.models import Answer, Question, Response, SurveyDraft

from .conftest import CLOCK, inside, q
from .test_answering import answer_all, opt, step_url
from .test_map_pin import answer as answer_map
from .test_map_pin import pin, place_value

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    cache.clear()


def check_url(survey):
    return f"{survey.url}check/"


def answer_steps(client, survey, children="Yes", number="", equality=None):
    """Answer the three steps (not submitting); returns the last step's reply."""
    single, multiple = q(survey, Question.SINGLE), q(survey, Question.MULTIPLE)
    likert, ranking = q(survey, Question.LIKERT), q(survey, Question.RANKING)
    r = client.post(step_url(survey, 1), {field_name(q(survey, Question.WHERE)): "NW10 8SE",
                                          field_name(single): opt(single, children)})
    assert r.status_code == 302, r.content
    data = {field_name(likert): "4"}
    if children == "Yes":
        data[field_name(multiple)] = [opt(multiple, "Library"), opt(multiple, "Stay and play")]
    assert client.post(step_url(survey, 2), data).status_code == 302
    ranks = {"Safety": "1", "Housing": "2", "Isolation": "3"}
    data = {rank_field_name(ranking, o): ranks.get(o.label, "") for o in ranking.options.all()}
    data[field_name(q(survey, Question.NUMBER))] = number
    for label, answer in (equality or {}).items():
        question = q(survey, Question.EQUALITY).get(label=label)
        data[field_name(question)] = opt(question, answer)
    return client.post(step_url(survey, 3), data)


def rows(html):
    """(question, answer) pairs of the summary lists, tags stripped."""
    found = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    return [(re.sub(r"<[^>]+>", " ", key).split(), re.sub(r"<[^>]+>", " ", value).split())
            for key, value in found]


def as_text(words):
    return " ".join(words)


def test_optional_questions_are_marked_and_required_ones_are_not(survey, client):
    first = client.get(step_url(survey, 1)).content.decode()
    assert "(optional)" not in first
    answer_steps(client, survey)  # reach step 3 (and check answers)
    third = client.get(step_url(survey, 3)).content.decode()
    assert re.search(r'<label class="label" for="id_q\d+">How many people live in your home\?'
                     r' \(optional\)</label>', third)
    assert "Anything else? (optional)" in third
    assert "What is your age? (optional)</legend>" in third
    assert "Rank these issues for your area</legend>" in third  # required: unmarked


def test_the_last_step_leads_to_check_answers_and_stores_nothing(survey, client):
    r = answer_steps(client, survey, number="3", equality={"What is your age?": "25 to 34"})
    assert r.status_code == 302 and r.url == check_url(survey)
    assert not Response.objects.exists()
    page = client.get(check_url(survey))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1 class=\"heading-l\">Check your answers before submitting them</h1>" in html
    shown = {as_text(key): as_text(value) for key, value in rows(html)}
    assert shown["Where do you live?"] == "NW10 8SE"
    assert shown["Do you have children under 5?"] == "Yes"
    assert shown["Which services have you used?"] == "Library Stay and play"
    assert shown["Family hubs are easy to get to"] == "Agree"
    assert shown["Rank these issues for your area"] == "Safety Housing Isolation"
    assert re.search(r"<ol>\s*<li>Safety</li><li>Housing</li><li>Isolation</li></ol>", html)
    assert shown["How many people live in your home?"] == "3"
    assert shown["Anything else?"] == "Not answered"
    assert shown["What is your age?"] == "25 to 34"
    assert shown["What is your sex?"] == "Not answered"
    assert "Submit your answers" in html and "Now submit your answers" in html


def test_skipped_questions_are_not_shown(survey, client):
    answer_steps(client, survey, children="No")
    html = client.get(check_url(survey)).content.decode()
    assert "Which services have you used?" not in html
    assert "Family hubs are easy to get to" in html


def test_change_links_name_the_question_and_come_back(survey, client):
    answer_steps(client, survey)
    html = client.get(check_url(survey)).content.decode()
    single = q(survey, Question.SINGLE)
    link = (f'<a href="{step_url(survey, 1)}?change=1">Change<span class="visually-hidden"> '
            f'Do you have children under 5?</span></a>')
    assert link in html
    step = client.get(f"{step_url(survey, 1)}?change=1")
    assert step.context["back_url"] == check_url(survey)
    r = client.post(f"{step_url(survey, 1)}?change=1", {
        field_name(q(survey, Question.WHERE)): "NW10 8SE", field_name(single): opt(single, "No")})
    assert r.status_code == 302 and r.url == check_url(survey)
    shown = {as_text(k): as_text(v) for k, v in rows(client.get(check_url(survey)).content
                                                    .decode())}
    assert shown["Do you have children under 5?"] == "No"
    assert "Which services have you used?" not in shown  # now skipped
    assert client.post(check_url(survey), {}).status_code == 302
    response = Response.objects.get()
    assert not Answer.objects.filter(response=response, question__kind=Question.MULTIPLE).exists()


def test_a_change_that_asks_a_new_required_question_goes_back_to_it(survey, client):
    single, multiple = q(survey, Question.SINGLE), q(survey, Question.MULTIPLE)
    answer_steps(client, survey, children="No")
    multiple.required = True
    multiple.save()
    client.post(f"{step_url(survey, 1)}?change=1", {
        field_name(q(survey, Question.WHERE)): "NW10 8SE", field_name(single): opt(single, "Yes")})
    r = client.get(check_url(survey), follow=True)
    assert r.redirect_chain[-1][0] == step_url(survey, 2)
    assert "Some questions still need an answer" in r.content.decode()


def test_submit_stores_one_response_even_when_clicked_twice(survey, client):
    answer_steps(client, survey)
    reference = client.get(check_url(survey)).context["reference"]
    first = client.post(check_url(survey), {"reference": reference})
    again = client.post(check_url(survey), {"reference": reference})  # double click, or back
    assert first.status_code == again.status_code == 302
    assert first.url == again.url == f"{survey.url}done/"
    assert list(Response.objects.values_list("reference", flat=True)) == [reference]
    assert reference in client.get(f"{survey.url}done/").content.decode()


def test_two_submissions_racing_from_one_session_store_one_response(survey, client):
    survey.one_response_only = False
    survey.save()
    answer_steps(client, survey)
    state = client.session[f"survey:{survey.pk}"]
    reference = state["reference"]
    assert client.post(check_url(survey), {"reference": reference}).status_code == 302
    session = client.session  # the second request read the session before the first saved
    session[f"survey:{survey.pk}"] = state
    session.pop(f"survey-done:{survey.pk}")
    session.save()
    r = client.post(check_url(survey), {"reference": reference})
    assert r.status_code == 302 and r.url.endswith("/done/")
    assert Response.objects.count() == 1
    assert client.session[f"survey-done:{survey.pk}"] == reference


def test_check_answers_before_the_last_step_goes_to_the_first_unanswered(survey, client):
    single = q(survey, Question.SINGLE)
    client.post(step_url(survey, 1), {field_name(q(survey, Question.WHERE)): "NW10 8SE",
                                      field_name(single): opt(single, "Yes")})
    r = client.get(check_url(survey), follow=True)
    assert r.redirect_chain[-1][0] == step_url(survey, 2)
    assert client.post(check_url(survey), {}).status_code == 302
    assert not Response.objects.exists()


def test_an_expired_session_says_so_and_starts_again(survey, client):
    answer_steps(client, survey)
    fresh = Client()
    r = fresh.get(check_url(survey), follow=True)
    assert r.redirect_chain[-1][0] == step_url(survey, 1)
    assert "We could not find your answers" in r.content.decode()
    r = fresh.post(check_url(survey), {"reference": "HYS-NOTHING"}, follow=True)
    assert "We could not find your answers" in r.content.decode()
    assert not Response.objects.exists()


def test_a_signed_in_person_loses_nothing_when_the_session_ends(survey, resident):
    laptop = Client()
    laptop.force_login(resident)
    answer_steps(laptop, survey)
    phone = Client()  # a new session: the answers come back from the account's draft
    phone.force_login(resident)
    intro = phone.get(survey.url)
    assert intro.context["progress"]["url"] == check_url(survey)
    page = phone.get(check_url(survey))
    assert page.status_code == 200 and "Library" in page.content.decode()
    assert phone.post(check_url(survey), {}).status_code == 302
    assert Response.objects.get().user == resident
    assert not SurveyDraft.objects.exists()


def test_too_fast_is_refused_on_the_check_page_and_keeps_everything(survey, client, settings):
    settings.SURVEYS_MIN_SECONDS = 60
    answer_steps(client, survey)
    r = client.post(check_url(survey), {})
    assert r.status_code == 400
    html = r.content.decode()
    assert "There is a problem" in html and "faster than we expected" in html
    assert "<title>Error:" in html and "Library" in html
    assert client.post(check_url(survey), {}).status_code == 302
    assert Response.objects.count() == 1


def test_closed_survey_and_missing_csrf_are_refused(survey):
    client = Client(enforce_csrf_checks=True)
    assert client.post(check_url(survey), {}).status_code == 403
    plain = Client()
    answer_steps(plain, survey)
    survey.opens_at = timezone.now() - timedelta(days=10)
    survey.closes_at = timezone.now() - timedelta(days=1)
    survey.save()
    assert plain.get(check_url(survey)).status_code == 302
    r = plain.post(check_url(survey), {})
    assert r.status_code == 403 and b"This survey closed" in r.content
    assert not Response.objects.exists()


def test_answered_once_already(survey, client):
    assert answer_all(client, survey).status_code == 302
    assert client.get(check_url(survey)).status_code == 302
    assert client.post(check_url(survey), {"reference": "other"}).status_code == 403


@pytest.mark.parametrize("how", ["place", "point", "postcode"])
def test_map_answers_read_as_places(map_survey, client, how):
    question = pin(map_survey)
    first = {"place": {field_name(question): place_value(map_survey)},
             "postcode": {f"q{question.pk}_postcode": "nw10 8se"}}.get(how)
    if how == "point":
        lat, lng = inside("Kilburn")
        first = {f"q{question.pk}_lat": f"{lat:.6f}", f"q{question.pk}_lng": f"{lng:.6f}"}
    single = q(map_survey, Question.SINGLE)
    client.post(step_url(map_survey, 1), first)
    client.post(step_url(map_survey, 2), {field_name(single): opt(single, "Night")})
    shown = {as_text(k): as_text(v) for k, v in rows(client.get(check_url(map_survey))
                                                    .content.decode())}
    assert shown["Show us where you feel unsafe"] == {
        "place": "Harlesden clock tower", "point": "A point on the map",
        "postcode": "Near NW10 8SE"}[how]
    assert shown["When?"] == "Night"
    assert CLOCK  # the place's coordinates are never shown, only its name


def test_map_pin_through_check_answers_stores_the_place(map_survey, client):
    r = answer_map(client, map_survey, {field_name(pin(map_survey)): place_value(map_survey)})
    assert r.status_code == 302 and r.url.endswith("/done/")
    assert Answer.objects.get(question=pin(map_survey)).option.label == "Harlesden clock tower"
