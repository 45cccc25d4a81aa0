"""The demo gives each neighbourhood believable, different priorities, decided with reasons."""

import io

from django.core.management import call_command

from priorities.models import FeedbackItem, PrioritySnapshot, SnapshotPriority


def test_demo_priorities_differ_by_neighbourhood_and_are_decided_with_reasons(demo_site):
    out = io.StringIO()
    call_command("load_demo_forums", stdout=out)
    call_command("load_demo_surveys", "--responses", "300", stdout=out)
    call_command("load_demo_priorities", stdout=out)
    assert FeedbackItem.objects.count() >= 100

    snapshots = PrioritySnapshot.objects.select_related("neighbourhood")
    assert snapshots.count() == 5
    top_three = {}
    for snapshot in snapshots:
        adopted = list(snapshot.priorities.adopted().order_by("rank"))
        assert len(adopted) == 3
        assert all(priority.rationale and priority.decided_at for priority in adopted)
        # Reasons are officers' words, not a copy of the evidence shown beside them.
        assert all(priority.summary not in priority.rationale for priority in adopted)
        top_three[snapshot.neighbourhood.name] = tuple(p.theme.slug for p in adopted)
    assert len(set(top_three.values())) == 5, top_three
    assert "financial-hardship" in top_three["Harlesden"]
    assert SnapshotPriority.objects.filter(decision=SnapshotPriority.SET_ASIDE).count() == 5

    # Running it again keeps what is there.
    call_command("load_demo_priorities", stdout=out)
    assert PrioritySnapshot.objects.count() == 5
