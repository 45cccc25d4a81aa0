"""Point-to-neighbourhood look-up: deterministic on shared edges, rebuilt when boundaries change."""

import random

import pytest
from django.core.cache import cache
from shapely.geometry import shape

from portal.neighbourhoods import services
from portal.neighbourhoods.models import Neighbourhood
from portal.neighbourhoods.services import (
    NeighbourhoodLocator,
    get_locator,
    neighbourhood_for_point,
)


def square(min_lng, min_lat, size=0.01):
    max_lng, max_lat = min_lng + size, min_lat + size
    return {"type": "Polygon", "coordinates": [[
        [min_lng, min_lat], [max_lng, min_lat], [max_lng, max_lat], [min_lng, max_lat],
        [min_lng, min_lat],
    ]]}


WEST = square(-0.26, 51.53)
EAST = square(-0.25, 51.53)  # shares the edge lng = -0.25 with WEST
ON_SHARED_EDGE = (51.535, -0.25)
SHARED_CORNER = (51.53, -0.25)


@pytest.mark.parametrize("point", [ON_SHARED_EDGE, SHARED_CORNER])
@pytest.mark.parametrize("order", [1, -1])
def test_point_on_shared_boundary_goes_to_the_first_code_whatever_the_order(point, order):
    items = [(7, "E05000200", WEST), (3, "E05000100", EAST)][::order]
    locator = NeighbourhoodLocator(items)
    assert locator.locate(*point) == 3
    assert locator.locate_many([point]) == [3]


def test_points_inside_and_outside():
    locator = NeighbourhoodLocator([(1, "W", WEST), (2, "E", EAST)])
    assert locator.locate(51.535, -0.255) == 1
    assert locator.locate(51.535, -0.245) == 2
    assert locator.locate(51.60, -0.245) is None
    assert locator.locate_many([(51.535, -0.255), (51.60, -0.245), (51.535, -0.245)]) == [
        1, None, 2]


def test_empty_locator_finds_nothing():
    locator = NeighbourhoodLocator([])
    assert len(locator) == 0
    assert locator.locate(51.535, -0.255) is None
    assert locator.locate_many([(51.535, -0.255)]) == [None]
    assert NeighbourhoodLocator([(1, "W", WEST)]).locate_many([]) == []


def test_real_shared_ward_boundary_is_deterministic(imported_wards):
    """A vertex shared by two real Brent wards goes to the ward whose code sorts first."""
    wards = {n.code: shape(n.boundary) for n in Neighbourhood.objects.filter(code__lt="E05001")}
    checked = 0
    for _code, geometry in sorted(wards.items()):
        for lng, lat in list(geometry.exterior.coords)[::25]:
            point = shape({"type": "Point", "coordinates": [lng, lat]})
            covering = sorted(c for c, g in wards.items() if g.covers(point))
            if len(covering) > 1:
                expected = Neighbourhood.objects.get(code=covering[0]).pk
                assert imported_wards.locate(lat, lng) == expected
                assert imported_wards.locate_many([(lat, lng)]) == [expected]
                checked += 1
    assert checked > 20  # the wards tile the borough, so most vertices are shared


def test_locate_many_matches_locate_on_real_wards(imported_wards):
    rng = random.Random(20240521)
    points = [(rng.uniform(51.52, 51.61), rng.uniform(-0.34, -0.18)) for _ in range(1500)]
    points += [(rng.uniform(54.87, 54.99), rng.uniform(-1.86, -1.50)) for _ in range(1500)]
    expected = [imported_wards.locate(lat, lng) for lat, lng in points]
    assert imported_wards.locate_many(points) == expected
    assert None in expected and len(set(expected)) == 44  # 43 wards and "outside"


@pytest.mark.django_db
def test_locator_is_reused_until_a_boundary_changes():
    Neighbourhood.objects.create(name="West", code="W", boundary=WEST)
    first = get_locator()
    assert get_locator() is first
    Neighbourhood.objects.create(name="East", code="E", boundary=EAST)
    assert get_locator() is not first


@pytest.mark.django_db
def test_editing_a_boundary_changes_the_answer():
    west = Neighbourhood.objects.create(name="West", code="W", boundary=WEST)
    east = Neighbourhood.objects.create(name="East", code="E", boundary=EAST)
    point = (51.535, -0.255)  # inside WEST
    assert get_locator().locate(*point) == west.pk

    east.boundary = square(-0.26, 51.53, size=0.02)  # now also covers the point; "E" < "W"
    east.save()
    assert get_locator().locate(*point) == east.pk
    assert neighbourhood_for_point(*point) == east

    east.delete()
    assert get_locator().locate(*point) == west.pk


@pytest.mark.django_db
def test_change_made_by_another_process_is_seen_without_a_shared_cache():
    """With a per-process cache (LocMemCache), the table itself tells that boundaries changed."""
    west = Neighbourhood.objects.create(name="West", code="W", boundary=WEST)
    point = (51.535, -0.245)  # inside EAST only
    assert get_locator().locate(*point) is None
    token_seen_here = cache.get(services.VERSION_KEY)

    west.boundary = square(-0.26, 51.53, size=0.02)
    west.save()
    cache.set(services.VERSION_KEY, token_seen_here)  # as if the save ran in another process
    assert get_locator().locate(*point) == west.pk


@pytest.mark.django_db
def test_neighbourhood_for_point_outside_every_neighbourhood():
    Neighbourhood.objects.create(name="West", code="W", boundary=WEST)
    assert neighbourhood_for_point(51.0, -0.255) is None


@pytest.mark.django_db
def test_batched_changes_invalidate_once(monkeypatch):
    bumps = []
    monkeypatch.setattr(services, "_bump_cache_version", lambda: bumps.append(1))
    with services.boundary_changes_batched():
        Neighbourhood.objects.create(name="West", code="W", boundary=WEST)
        Neighbourhood.objects.create(name="East", code="E", boundary=EAST)
        assert bumps == []
    assert bumps == [1]  # and once more when the test's transaction would commit


def test_grid_stays_small_with_very_different_sizes():
    """One county-sized neighbourhood among tiny ones must not explode the single-point grid."""
    tiny = [(index, f"T{index:03d}", square(-0.26 + index * 0.0002, 51.53, size=0.0001))
            for index in range(1, 40)]
    county = (100, "COUNTY", square(-6.0, 50.5, size=3.0))  # west of the tiny ones
    locator = NeighbourhoodLocator([*tiny, county])
    assert sum(map(len, locator.grid.values())) <= NeighbourhoodLocator.MAX_GRID_ENTRIES

    rng = random.Random(7)
    points = [(rng.uniform(51.529, 51.532), rng.uniform(-0.261, -0.25)) for _ in range(2000)]
    points += [(rng.uniform(50.0, 54.0), rng.uniform(-6.5, -2.5)) for _ in range(2000)]
    expected = [locator.locate(lat, lng) for lat, lng in points]
    assert locator.locate_many(points) == expected
    assert 100 in expected and None in expected and len(set(expected)) > 10


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_locate_ignores_non_finite_coordinates(value):
    locator = NeighbourhoodLocator([(1, "W", WEST)])
    assert locator.locate(value, -0.255) is None
    assert locator.locate(51.535, value) is None
