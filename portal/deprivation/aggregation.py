"""Deprivation of each neighbourhood from the statistical areas (LSOAs) it overlaps.

Method (also in docs/priorities.md, "Need (deprivation)"):

1. Each neighbourhood boundary is intersected with every LSOA whose bounding box it touches
   (an STRtree over the LSOA polygons). An LSOA's *area share* is the part of its area inside
   the neighbourhood (0..1), measured on the WGS84 coordinates: within one LSOA a degree of
   longitude has the same length everywhere, so the ratio is the ratio on the ground.
   Shares under 1% are generalisation slivers (LSOA and ward boundaries are simplified
   differently) and are left out.
2. The people an LSOA contributes are its population x its area share (people are assumed
   spread evenly over the LSOA). The neighbourhood's population is their sum.
3. Its IMD rank is the population-weighted mean of the LSOAs' ranks, sum(rank x people) /
   sum(people) (by area share if no population is known), and its decile is
   ceil(rank / 3,284.4), the national decile that rank would fall in (32,844 LSOAs / 10).
   Each domain's rank and decile are worked out the same way.
4. People by national quintile: each LSOA's people are counted in quintile ceil(decile / 2)
   (quintile 1 = the most deprived fifth of England).

`aggregate_neighbourhood(n)` does one, `aggregate_all()` every neighbourhood.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import shape

from portal.neighbourhoods.models import Neighbourhood

from .models import AREA_COUNT, DOMAIN_KEYS, NeighbourhoodNeed, StatisticalArea
from .services import areas_version

MIN_AREA_SHARE = 0.01
DECILE_SIZE = AREA_COUNT / 10


def decile_from_rank(rank: float) -> int:
    """The national decile (1 = most deprived tenth) a rank falls in: ceil(rank / 3,284.4)."""
    return min(10, max(1, math.ceil(rank / DECILE_SIZE)))


class AreaIndex:
    """The statistical areas as shapely polygons in an STRtree, loaded once per aggregation."""

    def __init__(self, areas):
        self.areas = list(areas)
        self.geometries = np.array([shape(area.geometry) for area in self.areas], dtype=object)
        self.tree = STRtree(self.geometries) if self.areas else None

    def overlaps(self, boundary) -> list[tuple[StatisticalArea, float]]:
        """(area, share of its area inside `boundary`) for shares of 1% or more."""
        if self.tree is None:
            return []
        found = []
        for index in sorted(self.tree.query(boundary, predicate="intersects").tolist()):
            geometry = self.geometries[index]
            if geometry.area <= 0:
                continue
            share = shapely.intersection(geometry, boundary).area / geometry.area
            if share >= MIN_AREA_SHARE:
                found.append((self.areas[index], min(share, 1.0)))
        return found


_cached: tuple | None = None


def load_index() -> AreaIndex:
    """The index of the current areas, reused while they are unchanged (count, last update)."""
    global _cached
    key = areas_version()
    if _cached is None or _cached[0] != key:
        _cached = (key, AreaIndex(StatisticalArea.objects.only(
            "code", "name", "geometry", "population", "imd_rank", "imd_decile", "domains")))
    return _cached[1]


def summarise(overlaps: list[tuple[StatisticalArea, float]]) -> dict | None:
    """The NeighbourhoodNeed fields for these (area, share) pairs, or None when empty."""
    if not overlaps:
        return None
    people = [(area.population or 0) * share for area, share in overlaps]
    weights = people if sum(people) > 0 else [share for _area, share in overlaps]
    total = sum(weights)
    rank = sum(area.imd_rank * w for (area, _s), w in zip(overlaps, weights, strict=True)) / total
    quintiles = {str(q): 0.0 for q in range(1, 6)}
    for (area, _share), count in zip(overlaps, people, strict=True):
        quintiles[str(math.ceil(area.imd_decile / 2))] += count
    return {
        "population": round(sum(people)),
        "imd_rank": round(rank, 1),
        "imd_decile": decile_from_rank(rank),
        "domains": _domains(overlaps, weights),
        "quintile_population": {key: round(value) for key, value in quintiles.items()},
        "areas": [{"code": area.code, "name": area.name, "decile": area.imd_decile,
                   "area_share": round(share, 4), "people": round(count)}
                  for (area, share), count in zip(overlaps, people, strict=True)],
    }


def _domains(overlaps, weights) -> dict:
    result = {}
    for key in DOMAIN_KEYS:
        pairs = [((area.domains or {}).get(key) or {}).get("rank") for area, _s in overlaps]
        known = [(rank, w) for rank, w in zip(pairs, weights, strict=True) if rank is not None]
        total = sum(w for _rank, w in known)
        if not known or total <= 0:
            continue
        rank = sum(rank * w for rank, w in known) / total
        result[key] = {"rank": round(rank, 1), "decile": decile_from_rank(rank)}
    return result


def aggregate_neighbourhood(neighbourhood, index: AreaIndex | None = None):
    """Recompute one neighbourhood's need; delete it when no area overlaps. Returns it or None."""
    index = index or load_index()
    fields = summarise(index.overlaps(shape(neighbourhood.boundary)))
    if fields is None:
        NeighbourhoodNeed.objects.filter(neighbourhood=neighbourhood).delete()
        return None
    need, _created = NeighbourhoodNeed.objects.update_or_create(
        neighbourhood=neighbourhood, defaults=fields)
    return need


def aggregate_all() -> int:
    """Recompute the need of every neighbourhood; returns how many have one."""
    index = load_index()
    count = 0
    for neighbourhood in Neighbourhood.objects.only("id", "boundary"):
        if aggregate_neighbourhood(neighbourhood, index) is not None:
            count += 1
    return count
