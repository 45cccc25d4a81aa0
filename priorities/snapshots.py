"""Snapshots and decisions: freezing a live ranking, and adopting or setting aside priorities.

A `PrioritySnapshot` keeps a ranking exactly as officers saw it (method, multipliers, need
weighting, sample sizes, sensitivity, and each priority's score, interval and evidence), so
that a plan can cite it; each `SnapshotPriority` is then adopted or set aside with a reason.
`ranking.snapshot_as_ranking` turns a snapshot back into a ranking, in the method it was taken
with (v1 snapshots stay v1).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.errors import InputError

from . import registry
from .disclosure import hidden_groups
from .models import PrioritySnapshot, SnapshotPriority
from .ranking import compute_rankings, empty_ranking, weights_for
from .wording import evidence_summary


@transaction.atomic
def take_snapshot(neighbourhood, user=None, title: str = "") -> PrioritySnapshot:
    """Freeze a neighbourhood's live ranking by the current method (allowed, and clearly
    empty, without evidence): multipliers, need weighting, sensitivity, scores, intervals."""
    ranking = compute_rankings().get(neighbourhood.pk) or empty_ranking(
        neighbourhood.pk, weights_for(neighbourhood))
    snapshot = PrioritySnapshot.objects.create(
        neighbourhood=neighbourhood, title=title.strip(), taken_by=user,
        method=ranking["method"], weights=ranking["multipliers"], totals=ranking["totals"],
        need_weighting=ranking["need_weighting"], sensitivity=ranking["sensitivity"],
        evidence_since=ranking["since"], evidence_until=ranking["until"],
    )
    # The summary is published with plans: it hides what the public ranking hides.
    hidden = hidden_groups(ranking)
    SnapshotPriority.objects.bulk_create([
        SnapshotPriority(
            snapshot=snapshot, theme_id=p["theme_id"], rank=p["rank"], score=p["score"],
            interval_low=(p.get("interval") or (None, None))[0],
            interval_high=(p.get("interval") or (None, None))[1],
            evidence=p["evidence"], low_sample=p["low_sample"],
            summary=evidence_summary(p["evidence"], ranking["totals"],
                                     hidden.get(p["theme_id"], set())),
        ) for p in ranking["priorities"]
    ])
    return snapshot


def _check_decision(priority: SnapshotPriority, decision: str, rationale: str) -> None:
    """Raise `InputError` for a missing decision or reason, or a change to a cited priority."""
    if decision not in (SnapshotPriority.ADOPTED, SnapshotPriority.SET_ASIDE):
        raise InputError(_("Choose whether to adopt this priority or set it aside."),
                         code="decision_required")
    if not rationale:
        message = (_("Enter the reason for adopting this priority.")
                   if decision == SnapshotPriority.ADOPTED else
                   _("Enter the reason for setting this priority aside."))
        raise InputError(message, code="rationale_required")
    changed = decision != priority.decision or rationale != priority.rationale
    if priority.decision == SnapshotPriority.ADOPTED and changed:
        cited = registry.citations(priority)
        if cited:
            titles = ", ".join(item["title"] for item in cited)
            raise InputError(ngettext(
                "%(titles)s cites this priority: change the plan first.",
                "%(titles)s cite this priority: change the plans first.", len(cited))
                % {"titles": titles}, code="cited_by_plan")


def decide(priority: SnapshotPriority, decision: str, rationale: str, user) -> SnapshotPriority:
    """Adopt or set aside a snapshot priority, with the reason, who and when.

    An adopted priority that something cites (a function under the `registry.CITATIONS` hook
    says so, e.g. for a live plan) cannot be set aside or given a new rationale: the citing
    plan changes first.
    """
    if user is None or not user.has_perm("priorities.adopt_priority"):
        raise PermissionDenied
    rationale = (rationale or "").strip()
    _check_decision(priority, decision, rationale)
    priority.decision, priority.rationale = decision, rationale
    priority.decided_by, priority.decided_at = user, timezone.now()
    priority.save(update_fields=["decision", "rationale", "decided_by", "decided_at"])
    return priority


def latest_snapshots() -> dict[int, PrioritySnapshot]:
    """Per neighbourhood id, its newest snapshot (decided or not)."""
    latest: dict[int, PrioritySnapshot] = {}
    for snapshot in PrioritySnapshot.objects.order_by("neighbourhood_id", "-taken_at", "-id"):
        latest.setdefault(snapshot.neighbourhood_id, snapshot)
    return latest


def latest_decided_snapshots(neighbourhood_ids=None) -> dict[int, PrioritySnapshot]:
    """Per neighbourhood, the newest snapshot with a decision, priorities and themes loaded."""
    decided = PrioritySnapshot.objects.filter(
        neighbourhood=OuterRef("neighbourhood"),
        priorities__decision__in=[SnapshotPriority.ADOPTED, SnapshotPriority.SET_ASIDE],
    ).order_by("-taken_at", "-id").values("pk")[:1]
    snapshots = PrioritySnapshot.objects.filter(pk=Subquery(decided))
    if neighbourhood_ids is not None:
        snapshots = snapshots.filter(neighbourhood_id__in=neighbourhood_ids)
    snapshots = snapshots.prefetch_related("priorities__theme")
    return {snapshot.neighbourhood_id: snapshot for snapshot in snapshots}


def adopted_priorities(neighbourhood) -> list[SnapshotPriority]:
    """The adopted priorities of the neighbourhood's newest decided snapshot, by rank (from
    the priorities `latest_decided_snapshots` already loaded: no further query)."""
    snapshot = latest_decided_snapshots([neighbourhood.pk]).get(neighbourhood.pk)
    if snapshot is None:
        return []
    adopted = [priority for priority in snapshot.priorities.all()
               if priority.decision == SnapshotPriority.ADOPTED]
    for priority in adopted:
        priority.snapshot = snapshot
    return sorted(adopted, key=lambda priority: priority.rank)
