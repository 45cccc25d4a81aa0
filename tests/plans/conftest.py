"""A Harlesden snapshot with adopted and pending priorities, a plan index and plan, and a closed
survey for the trail."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from plans.forms import ActionUpdateForm
from plans.models import (
    LocalityPlanIndexPage,
    LocalityPlanPage,
    PlanAction,
    PlanBudgetLine,
    PlanContact,
    PlanMeasure,
    PlanPriority,
    PlanRisk,
)
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from priorities.models import PrioritySnapshot, SnapshotPriority
from tests.surveys.conftest import make_survey

THEMES = ["financial-hardship", "homelessness", "school-readiness", "housing"]


@pytest.fixture
def harlesden(demo_site):
    return Neighbourhood.objects.get(code="BRENT-HARLESDEN")


@pytest.fixture
def snapshot(harlesden):
    snapshot = PrioritySnapshot.objects.create(
        neighbourhood=harlesden, title="Harlesden spring ranking", method="test-1",
        weights={"surveys": 1}, totals={"surveys": {"people": 400}})
    for rank, slug in enumerate(THEMES, start=1):
        SnapshotPriority.objects.create(
            snapshot=snapshot, theme=Theme.objects.get(slug=slug), rank=rank,
            score=1 / rank, summary=f"Chosen by many survey respondents ({slug}).",
            evidence={"surveys": {"count": 200 // rank, "people": 150 // rank},
                      "forums": {"count": 3, "people": 3}},
            decision=SnapshotPriority.ADOPTED if rank <= 3 else SnapshotPriority.PENDING)
    return snapshot


def adopted(snapshot):
    return list(snapshot.priorities.adopted().order_by("rank"))


@pytest.fixture
def plan_index(demo_site):
    index = LocalityPlanIndexPage(title="Locality plans", slug="plans")
    demo_site.root_page.specific.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_plan(index, snapshot, actions_per_priority=2, live=True, slug="harlesden-plan"):
    priorities = adopted(snapshot)
    plan = LocalityPlanPage(
        title="Harlesden neighbourhood plan", slug=slug, neighbourhood=snapshot.neighbourhood,
        snapshot=snapshot, period_start=2025, period_end=2027,
        summary="What we will do about financial hardship, homelessness and school readiness.",
        governance="<p>The steering group meets monthly.</p>", live=live)
    plan.plan_priorities = [PlanPriority(priority=p, commitment=f"Commit {p.theme.name}")
                            for p in priorities]
    plan.actions = [
        PlanAction(priority=p, title=f"{p.theme.name} action {n}", lead_role="Neighbourhood lead",
                   partners="Crisis\nSufra NW London", start_date=date(2025, 4, 1),
                   due_date=date(2026, 3, 31), status=PlanAction.ON_TRACK)
        for p in priorities for n in range(1, actions_per_priority + 1)]
    plan.budget_lines = [PlanBudgetLine(item="Money advice clinic", amount=Decimal("38500"),
                                        source="Health inequalities fund")]
    plan.measures = [PlanMeasure(indicator="Households supported before crisis", unit="households",
                                 baseline=Decimal(0), baseline_date=date(2025, 1, 1),
                                 target=Decimal(300), latest_value=Decimal(142),
                                 latest_date=date(2025, 10, 1))]
    plan.risks = [PlanRisk(risk="Partners do not buy in", likelihood=2, impact=3,
                           mitigation="Monthly check-ins", owner="Neighbourhood lead")]
    plan.contacts = [PlanContact(role="Neighbourhood team", email="team@example.org")]
    index.add_child(instance=plan)
    revision = plan.save_revision()
    if live:
        revision.publish()
    plan.refresh_from_db()
    return plan


def record_update(action, *, status, note, on, user=None, **fields):
    """Record a progress update the way the admin's Progress updates view does (its form)."""
    form = ActionUpdateForm({"action": action.pk, "date": on.isoformat(), "status": status,
                             "note": note, **fields}, plan=action.plan, user=user)
    assert form.is_valid(), form.errors
    return form.save()


@pytest.fixture
def plan(plan_index, snapshot):
    return make_plan(plan_index, snapshot)


@pytest.fixture
def closed_survey(demo_site):
    from surveys.models import SurveyIndexPage

    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    now = timezone.now()
    return make_survey(index, title="What matters most?", opens_at=now - timedelta(days=60),
                       closes_at=now - timedelta(days=1),
                       outcome_decided="<p>We adopted three priorities.</p>")


@pytest.fixture(autouse=True)
def no_staff_mfa(settings):
    """Staff MFA is tested with the accounts; here staff go straight to the admin."""
    settings.PORTAL_REQUIRE_STAFF_MFA = False
