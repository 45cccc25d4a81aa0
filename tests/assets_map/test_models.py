"""Assets' neighbourhoods follow their location and the boundaries; named queryset methods."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assets_map.models import Asset, OpeningHours
from portal.neighbourhoods.models import Neighbourhood

from .conftest import HARLESDEN, KILBURN

pytestmark = pytest.mark.django_db


def test_neighbourhood_is_derived_from_the_location(demo_site, make_asset):
    asset = make_asset()
    assert asset.neighbourhood.name == "Harlesden"
    asset.latitude, asset.longitude = KILBURN
    asset.save()
    assert asset.neighbourhood.name == "Kilburn"
    outside = make_asset("Somewhere in Gateshead", at=(54.96, -1.60))
    assert outside.neighbourhood is None


def test_neighbourhood_is_recomputed_when_a_boundary_changes(demo_site, make_asset):
    asset = make_asset()
    harlesden = Neighbourhood.objects.get(name="Harlesden")
    kilburn = Neighbourhood.objects.get(name="Kilburn")
    # The two boundaries swap: the asset follows each save of a boundary.
    harlesden_boundary = harlesden.boundary
    harlesden.boundary = kilburn.boundary
    harlesden.save()
    asset.refresh_from_db()
    assert asset.neighbourhood is None
    kilburn.boundary = harlesden_boundary
    kilburn.save()
    asset.refresh_from_db()
    assert asset.neighbourhood == kilburn


def test_queryset_methods(demo_site, make_asset):
    harlesden = make_asset("Harlesden Library")
    kilburn = make_asset("Kilburn Library", at=KILBURN)
    make_asset("Draft place", status=Asset.DRAFT)
    assert set(Asset.objects.published()) == {harlesden, kilburn}
    west_of_kilburn = Asset.objects.published().in_bbox(-0.30, 51.50, -0.22, 51.60)
    assert list(west_of_kilburn) == [harlesden]
    nearest = list(Asset.objects.published().near(*KILBURN))
    assert nearest == [kilburn, harlesden]
    assert nearest[0].distance_m == 0
    assert 3000 < nearest[1].distance_m < 3400  # about 3.1 km apart


def test_staleness_after_twelve_months(make_asset):
    today = timezone.localdate()
    fresh = make_asset("Fresh", last_verified=today - datetime.timedelta(days=30))
    old = make_asset("Old", last_verified=today - datetime.timedelta(days=400))
    never = make_asset("Never")
    assert not fresh.is_stale and old.is_stale and never.is_stale
    assert set(Asset.objects.published().stale()) == {old, never}


def test_opening_hours_must_close_after_opening(make_asset):
    asset = make_asset()
    period = OpeningHours(asset=asset, weekday=0, opens=datetime.time(17),
                          closes=datetime.time(9))
    with pytest.raises(Exception, match="closing time"):
        period.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():  # the test's transaction goes on
        period.save()


def test_slugs_are_unique(make_asset):
    first, second = make_asset("Hub"), make_asset("Hub", at=HARLESDEN)
    assert first.slug == "hub" and second.slug == "hub-2"
