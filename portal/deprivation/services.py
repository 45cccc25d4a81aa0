"""Look-ups on the imported deprivation data: which area holds a point, and its quintile."""

from __future__ import annotations

import math
import threading

import numpy as np
import shapely
from django.db.models import Count, Max
from shapely import STRtree
from shapely.geometry import shape

from .models import NeighbourhoodNeed, StatisticalArea

_lock = threading.Lock()
_cached: tuple[tuple, AreaLocator] | None = None


def quintile_from_decile(decile: int | None) -> int | None:
    """National quintile (1 = most deprived fifth of England) from an IMD decile 1..10."""
    if decile is None or not 1 <= decile <= 10:
        return None
    return math.ceil(decile / 2)


def quintile_for_area(code: str) -> int | None:
    """The national IMD quintile of the statistical area with this code, or None if unknown."""
    if not code:
        return None
    decile = StatisticalArea.objects.filter(code=code).values_list("imd_decile", flat=True).first()
    return quintile_from_decile(decile)


def quintiles_by_code(codes) -> dict[str, int]:
    """{area code: national quintile} for many codes in one query (unknown codes left out)."""
    rows = StatisticalArea.objects.filter(code__in=set(codes)).values_list("code", "imd_decile")
    return {code: quintile_from_decile(decile) for code, decile in rows}


class AreaLocator:
    """Finds the statistical area covering a point, with an STRtree over prepared polygons.

    A point on a shared edge belongs to the area that sorts first by code."""

    def __init__(self, rows):
        ordered = sorted(rows, key=lambda row: row[0])
        self.codes = [code for code, _geometry in ordered]
        self.geometries = np.array([shape(geometry) for _code, geometry in ordered], dtype=object)
        shapely.prepare(self.geometries)
        self.tree = STRtree(self.geometries)

    def locate(self, lat: float, lon: float) -> str | None:
        if not self.codes or not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        point = shapely.Point(lon, lat)
        hits = sorted(self.tree.query(point, predicate="intersects").tolist())
        for index in hits:
            if self.geometries[index].covers(point):
                return self.codes[index]
        return None


def areas_version() -> tuple:
    """(count, latest update) of the statistical areas: changes whenever an import does."""
    table = StatisticalArea.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    return (table["count"], table["latest"])


def get_area_locator() -> AreaLocator:
    """The locator for the current areas, cached per process and rebuilt when they change."""
    global _cached
    version = areas_version()
    with _lock:
        if _cached is None or _cached[0] != version:
            rows = StatisticalArea.objects.values_list("code", "geometry")
            _cached = (version, AreaLocator(rows))
        return _cached[1]


def areas_changed() -> None:
    """Forget the cached locator (the version check also catches other processes' imports)."""
    global _cached
    with _lock:
        _cached = None


def area_for_point(lat: float, lon: float) -> str | None:
    """The code of the statistical area (LSOA) covering (lat, lon), or None outside them all."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    return get_area_locator().locate(lat, lon)


def quintile_population(neighbourhood) -> dict[str, int]:
    """{"1": people, ..., "5": people} for a neighbourhood, or {} when its need is not computed."""
    need = NeighbourhoodNeed.objects.filter(neighbourhood=neighbourhood).first()
    return dict(need.quintile_population) if need else {}
