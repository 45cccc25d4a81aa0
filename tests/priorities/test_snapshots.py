"""Snapshots freeze a ranking; officers adopt or set aside each priority with a reason."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.errors import InputError
from priorities import scoring
from priorities.models import PrioritySnapshot, ScoringWeights, SnapshotPriority
from priorities.ranking import snapshot_as_ranking
from priorities.snapshots import adopted_priorities, decide, take_snapshot
from priorities.wording import evidence_summary

from .conftest import add_feedback

pytestmark = pytest.mark.django_db


def test_snapshot_freezes_ranking_and_empty_snapshot_is_allowed(areas, themes, officer):
    harlesden, kilburn = areas["Harlesden"], areas["Kilburn"]
    add_feedback(harlesden, [themes["housing"], themes["homelessness"]], people=40)
    add_feedback(harlesden, [themes["housing"]], people=2)
    snapshot = take_snapshot(harlesden, officer, "Spring 2026")
    priorities = list(snapshot.priorities.order_by("rank"))
    assert [(p.rank, p.theme.slug) for p in priorities] == [(1, "housing"), (2, "homelessness")]
    assert snapshot.method == "share-of-people/2" and snapshot.weights["feedback"] == 1.0
    assert snapshot.need_weighting is False
    assert snapshot.totals["feedback"] == {"people": 42, "count": 3}  # one per theme
    # Housing: all 42 people; homelessness 40 of 42; both with their 95% intervals.
    assert [p.score for p in priorities] == [1.0, 0.952381]
    assert [(p.interval_low, p.interval_high) for p in priorities] == [
        scoring.wilson_interval(1.0, 42), scoring.wilson_interval(0.952381, 42)]
    # One source: only its multiplier halved or raised, and the top three stays.
    assert snapshot.sensitivity["top"] == [themes["housing"].pk, themes["homelessness"].pk]
    assert [s["key"] for s in snapshot.sensitivity["scenarios"]] == ["half:feedback",
                                                                     "more:feedback"]
    assert snapshot.sensitivity["stable"] is True
    rebuilt = snapshot_as_ranking(snapshot)
    assert rebuilt["method"] == "share-of-people/2" and rebuilt["sensitivity"]
    assert rebuilt["priorities"][0]["interval"] == list(scoring.wilson_interval(1.0, 42))
    assert rebuilt["priorities"][0]["too_close"] is True  # 90% to 100% and 84% to 99%
    assert priorities[0].summary == (
        "The number of community feedback items is not shown, to protect people's privacy.")
    assert priorities[0].low_sample is False and priorities[1].low_sample is False
    # Later evidence does not change the snapshot.
    add_feedback(harlesden, [themes["air-quality"]])
    assert snapshot.priorities.count() == 2
    empty = take_snapshot(kilburn, officer)
    assert empty.is_empty and empty.totals == {} and empty.method


def test_decisions_need_a_rationale_and_permission(areas, themes, officer, councillor):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    priority = take_snapshot(areas["Harlesden"], officer).priorities.get()
    with pytest.raises(InputError) as error:
        decide(priority, SnapshotPriority.ADOPTED, "   ", officer)
    assert error.value.code == "rationale_required"
    with pytest.raises(PermissionDenied):
        decide(priority, SnapshotPriority.ADOPTED, "Clear need.", councillor)
    decide(priority, SnapshotPriority.ADOPTED, "Clear need.", officer)
    priority.refresh_from_db()
    assert priority.is_adopted and priority.decided_by == officer and priority.decided_at
    assert list(SnapshotPriority.objects.adopted()) == [priority]
    assert list(adopted_priorities(areas["Harlesden"])) == [priority]
    # The summary in the active language, from what the snapshot froze.
    assert evidence_summary(priority.evidence, priority.snapshot.totals) == (
        "The number of community feedback items is not shown, to protect people's privacy.")
    assert PrioritySnapshot.objects.count() == 1


def test_snapshot_keeps_multipliers_and_need_weighting(areas, themes, officer):
    kilburn = areas["Kilburn"]
    ScoringWeights.objects.create(neighbourhood=kilburn, surveys=1, forums="0.5",
                                  feedback=2, need_weighting=True)
    add_feedback(kilburn, [themes["housing"]], people=3)
    snapshot = take_snapshot(kilburn, officer)
    assert snapshot.weights == {"surveys": 1.0, "forums": 0.5, "feedback": 2.0}
    assert snapshot.need_weighting is True
    rebuilt = snapshot_as_ranking(snapshot)
    assert rebuilt["multipliers"] == rebuilt["weights"] == snapshot.weights
    assert rebuilt["need_weighting"] is True


@pytest.fixture
def v1_snapshot(areas, themes, officer):
    """A snapshot frozen before method v2: scores are shares of attention, no intervals."""
    snapshot = PrioritySnapshot.objects.create(
        neighbourhood=areas["Wembley"], taken_by=officer, method="share-of-attention/1",
        weights={"surveys": 1.0, "forums": 1.0, "feedback": 1.0},
        totals={"feedback": {"people": 60, "count": 40}})
    for rank, (slug, score, count) in enumerate(
            [("housing", 0.258, 20), ("air-quality", 0.2, 12), ("homelessness", 0.2, 8)],
            start=1):
        SnapshotPriority.objects.create(
            snapshot=snapshot, theme=themes[slug], rank=rank, score=score,
            evidence={"feedback": {"count": count, "weight": float(count), "share": score,
                                   "people": count + 5, "pages": []}})
    return snapshot


def test_v1_snapshot_is_rebuilt_in_its_own_method(v1_snapshot, themes):
    ranking = snapshot_as_ranking(v1_snapshot)
    assert ranking["method"] == "share-of-attention/1"
    assert ranking["sensitivity"] == {} and ranking["need_weighting"] is False
    assert [(p["theme_id"], p["score"], p["interval"], p["tied"], p["too_close"])
            for p in ranking["priorities"]] == [
        (themes["housing"].pk, 0.258, None, False, False),
        (themes["air-quality"].pk, 0.2, None, True, False),
        (themes["homelessness"].pk, 0.2, None, True, False)]
    assert ranking["priorities"][0]["people"] == 25


def test_v1_snapshot_still_renders(v1_snapshot, client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    response = client.get(reverse("priorities_admin:snapshot", args=[v1_snapshot.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Housing" in page and "26%" in page and "0.258" not in page
