"""One of each kind of happening, for Harlesden, Kilburn and the whole area, with a draft and a
private page beside them that must never show.

`world` builds: an open Harlesden survey, an open Kilburn survey, a closed whole-area survey
with published results and "you said, we did", a Harlesden forum announced, then moved (a
change) and given a "you said, we did" after it; a Harlesden plan published 40 days ago,
updated 10 days ago, with a progress update last month (a highlight report); a draft survey
and a survey behind a password.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import PageViewRestriction

from forums.models import ForumEventPage, ForumIndexPage, YouSaidWeDid
from plans.models import LocalityPlanIndexPage, PlanAction
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from priorities.models import PrioritySnapshot, SnapshotPriority
from surveys.models import SurveyIndexPage
from tests.plans.conftest import THEMES, make_plan, record_update
from tests.surveys.conftest import make_survey


@pytest.fixture
def harlesden(demo_site):
    return Neighbourhood.objects.get(code="BRENT-HARLESDEN")


@pytest.fixture
def kilburn(demo_site):
    return Neighbourhood.objects.get(code="BRENT-KILBURN")


def _surveys(home, harlesden, kilburn):
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    home.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now()
    open_here = make_survey(index, title="Harlesden parks survey", slug="parks",
                            neighbourhoods=[harlesden])
    open_there = make_survey(index, title="Kilburn streets survey", slug="streets",
                             neighbourhoods=[kilburn])
    closed = make_survey(index, title="Borough budget survey", slug="budget",
                         opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1))
    closed.results_published = True
    closed.outcome_decided = "<p>We <b>kept</b> the libraries open.</p>"
    closed.save_revision().publish()
    draft = make_survey(index, title="Secret draft survey", slug="draft")
    draft.unpublish()
    private = make_survey(index, title="Private staff survey", slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type="password",
                                       password="staff-only-2026")
    return SimpleNamespace(open_here=open_here, open_there=open_there, closed=closed,
                           draft=draft, private=private)


def _forum(home, harlesden):
    index = ForumIndexPage(title="Neighbourhood forums", slug="forums")
    home.add_child(instance=index)
    index.save_revision().publish()
    start = timezone.now() + timedelta(days=14)
    with time_machine.travel(timezone.now() - timedelta(days=3), tick=False):
        forum = ForumEventPage(title="Harlesden forum", slug="harlesden-forum", start=start,
                               end=start + timedelta(hours=2), venue_name="Harlesden Library",
                               venue_address="Craven Park Road", venue_postcode="NW10 8SE",
                               summary="Talk about the parks.")
        forum.neighbourhoods = [harlesden]
        index.add_child(instance=forum)
        forum.save_revision().publish()
    with time_machine.travel(timezone.now() - timedelta(days=2), tick=False):
        forum = ForumEventPage.objects.get(pk=forum.pk)
        forum.start += timedelta(days=1)
        forum.end += timedelta(days=1)
        forum.save_revision().publish()
    with time_machine.travel(timezone.now() - timedelta(days=1), tick=False):
        forum = ForumEventPage.objects.get(pk=forum.pk)
        forum.online_voting_open = True  # not a change residents need to hear about
        forum.save_revision().publish()
    forum = ForumEventPage.objects.get(pk=forum.pk)
    forum.you_said_we_did = [YouSaidWeDid(you_said="More benches", we_did="Six benches ordered")]
    forum.save_revision().publish()
    return ForumEventPage.objects.get(pk=forum.pk)


def _plan(demo_site, snapshot):
    index = LocalityPlanIndexPage(title="Locality plans", slug="plans")
    demo_site.root_page.specific.add_child(instance=index)
    index.save_revision().publish()
    with time_machine.travel(timezone.now() - timedelta(days=40), tick=False):
        plan = make_plan(index, snapshot)
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        plan.refresh_from_db()
        plan.summary = "Updated: what we will do about hardship."
        plan.save_revision().publish()
    plan.refresh_from_db()
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    action = PlanAction.objects.filter(plan=plan).first()
    record_update(action, status=PlanAction.ON_TRACK, note="First clinic held", on=last_month)
    return SimpleNamespace(page=plan, report_month=last_month)


@pytest.fixture
def world(demo_site, harlesden, kilburn, snapshot):
    home = demo_site.root_page.specific
    surveys = _surveys(home, harlesden, kilburn)
    forum = _forum(home, harlesden)
    plan = _plan(demo_site, snapshot)
    return SimpleNamespace(surveys=surveys, forum=forum, plan=plan.page,
                           report_month=plan.report_month, harlesden=harlesden, kilburn=kilburn)


@pytest.fixture
def snapshot(harlesden):
    snapshot = PrioritySnapshot.objects.create(
        neighbourhood=harlesden, title="Harlesden spring ranking", method="test-1",
        weights={"surveys": 1}, totals={"surveys": {"people": 400}})
    for rank, slug in enumerate(THEMES, start=1):
        SnapshotPriority.objects.create(
            snapshot=snapshot, theme=Theme.objects.get(slug=slug), rank=rank, score=1 / rank,
            summary="Chosen by many.", evidence={"surveys": {"count": 10, "people": 10}},
            decision=SnapshotPriority.ADOPTED if rank <= 3 else SnapshotPriority.PENDING)
    return snapshot
