"""A survey with one question of every type, published under a survey index page."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.models import Question, SurveyIndexPage, SurveyPage


def block(kind, value, block_id=None):
    return {"type": kind, "value": value, "id": block_id or str(uuid.uuid4())}


def options(*labels, ids=None):
    ids = ids or [None] * len(labels)
    return [block("item", {"label": label, "theme": None}, block_id)
            for label, block_id in zip(labels, ids, strict=True)]


def question(text, required=True, **extra):
    return {"question": text, "help_text": "", "required": required, "theme": None,
            "show_if_question": "", "show_if_answer": "", **extra}


def sections():
    return [
        block("section", {"title": "About you", "introduction": "", "questions": [
            block("where_you_live", question("Where do you live?")),
            block("single_choice", question("Do you have children under 5?",
                                            options=options("Yes", "No"))),
        ]}),
        block("section", {"title": "Family hubs", "introduction": "", "questions": [
            block("multiple_choice", question(
                "Which services have you used?", options=options("Health visitor", "Library",
                                                                 "Stay and play", "None"),
                min_choices=1, max_choices=2, show_if_question="Do you have children under 5?",
                show_if_answer="Yes")),
            block("likert", question("Family hubs are easy to get to")),
        ]}),
        block("section", {"title": "Priorities", "introduction": "", "questions": [
            block("ranking", question("Rank these issues for your area",
                                      options=options("Housing", "Air quality", "Safety",
                                                      "Isolation"), rank_count=3)),
            block("number", question("How many people live in your home?", required=False,
                                     min_value=1, max_value=20)),
            block("text", question("Anything else?", required=False, long=True,
                                   max_length=50)),
            block("equality", {"introduction": ""}),
        ]}),
    ]


def make_survey(parent, title="Family hubs survey", **fields):
    now = timezone.now()
    defaults = dict(
        title=title, introduction="Tell us about family hubs.",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        privacy_notice="<p>The council holds your answers for two years.</p>",
        sections=sections(),
    )
    defaults.update(fields)
    survey = SurveyPage(**defaults)
    parent.add_child(instance=survey)
    survey.save_revision().publish()
    survey.refresh_from_db()
    return survey


@pytest.fixture
def survey_index(demo_site):
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    return index


@pytest.fixture
def survey(survey_index):
    return make_survey(survey_index)


def q(survey, kind):
    return Question.objects.get(survey=survey, kind=kind, retired=False) if kind != "equality" \
        else Question.objects.filter(survey=survey, kind=kind)


__all__ = ["make_survey", "q", "SurveyPage"]


# "Show us where" -------------------------------------------------------------------------------

CLOCK = (51.5386516954148, -0.250539587531199)  # NW10 8SE, in Harlesden


def map_sections(required=True, allow_postcode=True):
    places = [block("item", {"name": "Harlesden clock tower", "latitude": CLOCK[0],
                             "longitude": CLOCK[1]})]
    return [
        block("section", {"title": "The place", "introduction": "", "questions": [
            block("map_pin", question("Show us where you feel unsafe", required=required,
                                      places=places, allow_postcode=allow_postcode)),
        ]}),
        block("section", {"title": "Why", "introduction": "", "questions": [
            block("single_choice", question("When?", options=options("Day", "Night"))),
        ]}),
    ]


def inside(name):
    """A point inside a neighbourhood, as (lat, lng)."""
    from shapely.geometry import shape

    from portal.neighbourhoods.models import Neighbourhood

    point = shape(Neighbourhood.objects.get(name=name).boundary).representative_point()
    return point.y, point.x


@pytest.fixture
def map_survey(survey_index):
    return make_survey(survey_index, title="Safer streets", sections=map_sections())
