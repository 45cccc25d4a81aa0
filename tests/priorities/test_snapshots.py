"""Snapshots freeze a ranking; officers adopt or set aside each priority with a reason."""

import pytest
from django.core.exceptions import PermissionDenied

from portal.errors import InputError
from priorities.models import PrioritySnapshot, SnapshotPriority
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
    assert snapshot.method == "share-of-attention/1" and snapshot.weights["feedback"] == 1.0
    assert snapshot.totals["feedback"] == {"people": 42, "count": 3}  # one per theme
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
