"""The insight index follows its origins: feedback typed or edited in the admin, and deleted."""

import datetime

import pytest

from insight.models import InsightItem
from insight.sources import feedback_source, refresh, refresh_all
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from priorities.models import FeedbackItem

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def place():
    return Neighbourhood.objects.create(
        name="Harlesden", slug="harlesden",
        boundary={"type": "Polygon", "coordinates": [[[-0.26, 51.53], [-0.25, 51.53],
                                                      [-0.25, 51.54], [-0.26, 51.53]]]})


def feedback(place, **extra):
    return FeedbackItem.objects.create(
        source=FeedbackItem.HEALTHWATCH, received_on=datetime.date(2026, 10, 3),
        neighbourhood=place, text="The GP surgery phone line is always engaged.", **extra)


def test_new_feedback_is_indexed_uncoded_then_coded_when_it_gets_themes(place):
    item = feedback(place)
    row = InsightItem.objects.get(origin=InsightItem.FEEDBACK, origin_id=item.pk)
    assert row.text.startswith("The GP surgery") and row.neighbourhood == place
    assert row.coded_at is None
    health = Theme.objects.create(name="Health", slug="health")
    item.themes.add(health)
    row.refresh_from_db()
    assert list(row.themes.all()) == [health] and row.coded_at is not None


def test_edits_and_deletes_follow_the_origin(place):
    item = feedback(place)
    item.text = "Changed wording"
    item.save()
    assert InsightItem.objects.get(origin_id=item.pk).text == "Changed wording"
    item.delete()
    assert not InsightItem.objects.filter(origin_id=item.pk).exists()


def test_refresh_all_rebuilds_a_lost_index(place):
    items = [feedback(place) for _ in range(3)]
    InsightItem.objects.all().delete()
    assert refresh_all() >= 3
    assert set(InsightItem.objects.values_list("origin_id", flat=True)) >= {i.pk for i in items}
    assert refresh(feedback_source) == 0  # nothing changed: nothing written


def test_insight_sync_command_rebuilds_the_index(place):
    from io import StringIO

    from django.core.management import call_command

    item = feedback(place)
    InsightItem.objects.all().delete()
    out = StringIO()
    call_command("insight_sync", stdout=out)
    assert InsightItem.objects.filter(origin_id=item.pk).exists()
    assert "rows written" in out.getvalue()


def test_a_rolled_back_save_leaves_later_saves_refreshing(place):
    from django.db import transaction

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            feedback(place)
            raise Rollback
    except Rollback:
        pass
    item = feedback(place)
    assert InsightItem.objects.filter(origin_id=item.pk).exists()
