"""Where surveys show up outside their own pages: the survey index, what's on, neighbourhood
pages and "download your data"."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from surveys.answering import submit_response
from surveys.contributions import whats_on
from surveys.models import Question

from .conftest import make_survey, q

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_whats_on_and_neighbourhood_page(survey, client, rf):
    items = whats_on(rf.get("/"))
    assert [item["title"] for item in items] == ["Family hubs survey"]
    assert items[0]["url"] == survey.url and items[0]["neighbourhood"] == "Whole area"
    harlesden = client.get("/neighbourhoods/harlesden/")
    assert harlesden.status_code == 200
    assert b"Have your say" in harlesden.content and b"Family hubs survey" in harlesden.content


def test_survey_index_lists_open_surveys(survey, client):
    r = client.get("/have-your-say/")
    assert r.status_code == 200 and b"Family hubs survey" in r.content


def test_survey_index_groups_open_upcoming_and_closed_surveys(survey, survey_index, client):
    now = timezone.now()
    make_survey(survey_index, title="Next month", opens_at=now + timedelta(days=30),
                closes_at=now + timedelta(days=60))
    for title, days in (("Closed long ago", 60), ("Closed last week", 7)):
        make_survey(survey_index, title=title, opens_at=now - timedelta(days=days + 30),
                    closes_at=now - timedelta(days=days))
    context = client.get("/have-your-say/").context
    assert [s.title for s in context["open_surveys"]] == ["Family hubs survey"]
    assert [s.title for s in context["upcoming_surveys"]] == ["Next month"]
    assert [s.title for s in context["closed_surveys"]] == ["Closed last week", "Closed long ago"]
    assert [item["title"] for item in whats_on(None)] == ["Family hubs survey"]


def test_personal_data_export_lists_own_answers(survey, resident):
    from portal.accounts.services import export_personal_data

    question = q(survey, Question.SINGLE)
    submit_response(survey, [{"question_id": question.pk,
                              "option_id": question.options.first().pk}], user=resident)
    data = export_personal_data(resident)["survey_responses"]
    assert data[0]["survey"] == "Family hubs survey"
    assert data[0]["answers"][0]["answer"] == "Yes"
