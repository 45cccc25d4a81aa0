"""Fixtures for priorities: evidence from every source in the demo borough's neighbourhoods."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from forums.models import ForumEventPage, ForumIndexPage, ForumVoteTally
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from priorities.models import FeedbackItem, PrioritiesPage
from surveys.models import Answer, Option, Question, Response
from tests.conftest import clear_cache
from tests.surveys.conftest import make_survey


@pytest.fixture(autouse=True)
def fresh_cache(request):
    clear_cache(request)
    yield
    clear_cache(request)


@pytest.fixture
def areas(demo_site):
    return {n.name: n for n in Neighbourhood.objects.all()}


@pytest.fixture
def themes(db):
    return {t.slug: t for t in Theme.objects.all()}


@pytest.fixture
def priorities_page(demo_site):
    home = demo_site.root_page.specific
    page = PrioritiesPage(title="Neighbourhood priorities", slug="priorities",
                          introduction="What matters most where you live.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_feedback(neighbourhood, theme_list, people=1, when=None, **fields):
    item = FeedbackItem.objects.create(
        source=fields.pop("source", FeedbackItem.PARTNER_MEETING), neighbourhood=neighbourhood,
        received_on=when or date(2026, 3, 1), text=fields.pop("text", "Said at a meeting."),
        people_count=people, **fields)
    item.themes.set(theme_list)
    return item


@pytest.fixture
def ranking_survey(demo_site, themes):
    """A published survey whose ranking options are tagged housing / air quality / safety."""
    from surveys.models import SurveyIndexPage

    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    index.save_revision().publish()
    survey = make_survey(index)
    ranking = Question.objects.get(survey=survey, kind=Question.RANKING)
    tags = {"Housing": "housing", "Air quality": "air-quality", "Safety": "community-safety"}
    for option in ranking.options.all():
        if option.label in tags:
            option.theme = themes[tags[option.label]]
            option.save()
    return survey


def add_responses(survey, neighbourhood, ranked_labels, count=1, equality=None):
    """`count` responses ranking the options with these labels 1st, 2nd, 3rd."""
    ranking = Question.objects.get(survey=survey, kind=Question.RANKING)
    options = {o.label: o for o in Option.objects.filter(question=ranking)}
    equality_answers = []
    for characteristic, category in (equality or {}).items():
        question = Question.objects.get(survey=survey, kind=Question.EQUALITY,
                                        key__endswith=f"_{characteristic}")
        equality_answers.append((question, question.options.get(key=category)))
    for _n in range(count):
        response = Response.objects.create(
            survey=survey, reference=f"R{Response.objects.count() + 1:07d}",
            neighbourhood=neighbourhood, submitted_at=timezone.now() - timedelta(days=1))
        for rank, label in enumerate(ranked_labels, start=1):
            Answer.objects.create(response=response, survey=survey, question=ranking,
                                  option=options[label], rank=rank)
        for question, option in equality_answers:
            Answer.objects.create(response=response, survey=survey, question=question,
                                  option=option)


@pytest.fixture
def forum(demo_site, areas):
    home = demo_site.root_page.specific
    index = ForumIndexPage(title="Neighbourhood forums", slug="forums")
    home.add_child(instance=index)
    index.save_revision().publish()
    start = timezone.now() - timedelta(days=3)
    event = ForumEventPage(title="Harlesden forum", slug="harlesden-forum", start=start,
                           end=start + timedelta(hours=2), format=ForumEventPage.ONLINE,
                           attendance_in_person=30, attendance_online=12)
    event.neighbourhoods = [areas["Harlesden"]]
    index.add_child(instance=event)
    event.save_revision().publish()
    return ForumEventPage.objects.get(pk=event.pk)


def tally(event, theme, dots):
    ForumVoteTally.objects.create(page=event, theme=theme, dots=dots)
