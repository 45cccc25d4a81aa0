"""Aggregation by area share on hand-made squares, and recomputation when a boundary moves."""

import pytest

from portal.deprivation.aggregation import aggregate_all, decile_from_rank
from portal.deprivation.models import NeighbourhoodNeed, StatisticalArea
from portal.neighbourhoods.models import Neighbourhood

pytestmark = pytest.mark.django_db


def rectangle(west, east, south=51.50, north=51.51):
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north],
                                                [west, north], [west, south]]]}


@pytest.fixture
def two_areas(db):
    """Two side-by-side LSOAs: A (1,000 people, rank 1,000) and B (2,000 people, rank 20,000)."""
    StatisticalArea.objects.create(
        code="E01000001", name="A", geometry=rectangle(-0.30, -0.29), population=1000,
        imd_rank=1000, imd_decile=1,
        domains={"income": {"rank": 500, "decile": 1}, "crime": {"rank": 3000, "decile": 1}})
    StatisticalArea.objects.create(
        code="E01000002", name="B", geometry=rectangle(-0.29, -0.28), population=2000,
        imd_rank=20000, imd_decile=7,
        domains={"income": {"rank": 26000, "decile": 8}})


def test_decile_from_rank_is_the_national_tenth():
    assert [decile_from_rank(r) for r in (1, 3284.4, 3284.5, 16422, 32844, 40000)] == [
        1, 1, 2, 5, 10, 10]


def test_a_neighbourhood_across_two_areas_counts_each_by_its_area_share(two_areas):
    # Half of A and half of B: 500 + 1,000 people.
    straddling = Neighbourhood.objects.create(name="Middle", code="N1",
                                              boundary=rectangle(-0.295, -0.285))
    need = NeighbourhoodNeed.objects.get(neighbourhood=straddling)  # made by the signal
    assert need.population == 1500
    # (1,000 x 500 + 20,000 x 1,000) / 1,500 = 13,666.7, in the fifth national decile.
    assert need.imd_rank == pytest.approx(13666.7, abs=0.1)
    assert need.imd_decile == 5
    assert need.quintile_population == {"1": 500, "2": 0, "3": 0, "4": 1000, "5": 0}
    assert [(a["code"], a["area_share"], a["people"]) for a in need.areas] == [
        ("E01000001", 0.5, 500), ("E01000002", 0.5, 1000)]
    # Income: (500 x 500 + 26,000 x 1,000) / 1,500 = 17,500; crime only where known.
    assert need.domains["income"] == {"rank": 17500.0, "decile": 6}
    assert need.domains["crime"] == {"rank": 3000.0, "decile": 1}


def test_moving_a_boundary_recomputes_and_leaving_every_area_removes_the_need(two_areas):
    neighbourhood = Neighbourhood.objects.create(name="Middle", code="N1",
                                                 boundary=rectangle(-0.295, -0.285))
    neighbourhood.boundary = rectangle(-0.30, -0.29)  # exactly A
    neighbourhood.save()
    need = NeighbourhoodNeed.objects.get(neighbourhood=neighbourhood)
    assert (need.population, need.imd_rank, need.imd_decile) == (1000, 1000, 1)
    assert [a["code"] for a in need.areas] == ["E01000001"]  # B only touches it
    neighbourhood.boundary = rectangle(-0.10, -0.09)
    neighbourhood.save()
    assert not NeighbourhoodNeed.objects.filter(neighbourhood=neighbourhood).exists()


def test_slivers_under_one_percent_are_left_out(two_areas):
    # 99.5% of A's width and 0.5% of B's: B is a generalisation sliver.
    neighbourhood = Neighbourhood.objects.create(name="West", code="N2",
                                                 boundary=rectangle(-0.29995, -0.28995))
    need = NeighbourhoodNeed.objects.get(neighbourhood=neighbourhood)
    assert [a["code"] for a in need.areas] == ["E01000001"]


def test_without_population_the_areas_weigh_by_share(db):
    StatisticalArea.objects.create(code="E01000003", name="C", geometry=rectangle(-0.30, -0.29),
                                   imd_rank=3000, imd_decile=1)
    StatisticalArea.objects.create(code="E01000004", name="D", geometry=rectangle(-0.29, -0.28),
                                   imd_rank=9000, imd_decile=3)
    Neighbourhood.objects.create(name="All", code="N3", boundary=rectangle(-0.30, -0.28))
    assert aggregate_all() == 1
    need = NeighbourhoodNeed.objects.get()
    assert (need.population, need.imd_rank, need.imd_decile) == (0, 6000, 2)


def test_no_areas_imported_means_no_need_and_no_work(db):
    Neighbourhood.objects.create(name="Alone", code="N4", boundary=rectangle(-0.30, -0.29))
    assert not NeighbourhoodNeed.objects.exists()
    assert aggregate_all() == 0
