"""Point-to-neighbourhood look-up with a spatial index that stays fast as neighbourhoods grow."""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np
import shapely
from django.core.cache import cache
from shapely import STRtree
from shapely.geometry import shape

from .models import Neighbourhood

VERSION_KEY = "neighbourhoods:boundary-version"


class NeighbourhoodLocator:
    """Finds which neighbourhood covers a point, with an STRtree over prepared geometries.

    A point on a shared boundary belongs to the neighbourhood that sorts first by code, so the
    answer is deterministic.
    """

    def __init__(self, items: Iterable[tuple[int, str, dict]]):
        ordered = sorted(items, key=lambda item: item[1])
        self.ids = [item[0] for item in ordered]
        self.geometries = np.array([shape(item[2]) for item in ordered], dtype=object)
        shapely.prepare(self.geometries)
        self.tree = STRtree(self.geometries)

    def __len__(self):
        return len(self.ids)

    def locate(self, lat: float, lng: float) -> int | None:
        """The id of the neighbourhood covering (lat, lng), or None if it is outside them all."""
        if not self.ids:
            return None
        hits = self.tree.query(shapely.Point(lng, lat), predicate="covered_by")
        return self.ids[int(hits.min())] if len(hits) else None

    def locate_many(self, points: Iterable[tuple[float, float]]) -> list[int | None]:
        """Ids for many (lat, lng) points at once, vectorised; None where outside every one."""
        points = list(points)
        result: list[int | None] = [None] * len(points)
        if not points or not self.ids:
            return result
        geoms = shapely.points([(lng, lat) for lat, lng in points])
        point_index, tree_index = self.tree.query(geoms, predicate="covered_by")
        best: dict[int, int] = {}
        for p, t in zip(point_index.tolist(), tree_index.tolist(), strict=True):
            if p not in best or t < best[p]:
                best[p] = t
        for p, t in best.items():
            result[p] = self.ids[t]
        return result


_lock = threading.Lock()
_cached: tuple[object, NeighbourhoodLocator] | None = None


def boundaries_changed() -> None:
    """Tell every process that the boundaries changed, so locators are rebuilt on next use."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def get_locator() -> NeighbourhoodLocator:
    """The locator for the current boundaries, rebuilt only when they change."""
    global _cached
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY)
    with _lock:
        if _cached is None or _cached[0] != version:
            rows = Neighbourhood.objects.values_list("id", "code", "boundary")
            _cached = (version, NeighbourhoodLocator(rows))
        return _cached[1]


def neighbourhood_for_point(lat: float, lng: float) -> Neighbourhood | None:
    """The neighbourhood covering a point, or None."""
    neighbourhood_id = get_locator().locate(lat, lng)
    if neighbourhood_id is None:
        return None
    return Neighbourhood.objects.filter(pk=neighbourhood_id).select_related("locality").first()


def neighbourhoods_geojson(neighbourhoods, url_for=None) -> dict:
    """A FeatureCollection of neighbourhood boundaries for maps (properties: name, code, url)."""
    features = []
    for n in neighbourhoods:
        features.append({
            "type": "Feature",
            "id": n.code,
            "geometry": n.boundary,
            "properties": {"name": n.name, "code": n.code, "url": url_for(n) if url_for else None},
        })
    return {"type": "FeatureCollection", "features": features}
