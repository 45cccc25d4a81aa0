"""A survey with one question of every type, published under a survey index page."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from portal.neighbourhoods.models import Neighbourhood
from surveys.answering import submit_response
from surveys.models import Question, Response, SurveyIndexPage, SurveyPage


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


def respond(survey, *, single=None, likert=None, ranks=(), number=None, text="",
            neighbourhood=None, channel=Response.ONLINE, equality=None):
    """Store a response to the `survey` fixture's questions, as `submit_response` would."""
    answers = []
    if single:
        question = q(survey, Question.SINGLE)
        answers.append({"question_id": question.pk,
                        "option_id": question.options.get(label=single).pk})
    if likert:
        answers.append({"question_id": q(survey, Question.LIKERT).pk, "number": likert})
    ranking = q(survey, Question.RANKING)
    for rank, label in enumerate(ranks, start=1):
        answers.append({"question_id": ranking.pk, "rank": rank,
                        "option_id": ranking.options.get(label=label).pk})
    if number is not None:
        answers.append({"question_id": q(survey, Question.NUMBER).pk, "number": number})
    if text:
        answers.append({"question_id": q(survey, Question.TEXT).pk, "text": text})
    if equality:
        age = q(survey, Question.EQUALITY).get(key__endswith="_age")
        answers.append({"question_id": age.pk, "option_id": age.options.get(label=equality).pk})
    return submit_response(survey, answers, channel=channel, neighbourhood_id=neighbourhood)


@pytest.fixture
def answered(survey):
    """Ten responses with known answers: six from Harlesden, three on paper from Kilburn."""
    harlesden = Neighbourhood.objects.get(name="Harlesden").pk
    kilburn = Neighbourhood.objects.get(name="Kilburn").pk
    for _ in range(6):
        respond(survey, single="Yes", likert=5, ranks=["Housing", "Safety", "Isolation"],
                number=2, neighbourhood=harlesden, equality="25 to 34")
    for _ in range(3):
        respond(survey, single="No", likert=1, ranks=["Safety", "Housing", "Air quality"],
                number=5, neighbourhood=kilburn, channel=Response.PAPER, text="More buses")
    respond(survey, likert=3, neighbourhood=kilburn, channel=Response.FORUM)
    return survey


__all__ = ["make_survey", "q", "respond", "SurveyPage"]


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

    point = shape(Neighbourhood.objects.get(name=name).boundary).representative_point()
    return point.y, point.x


@pytest.fixture
def map_survey(survey_index):
    return make_survey(survey_index, title="Safer streets", sections=map_sections())
