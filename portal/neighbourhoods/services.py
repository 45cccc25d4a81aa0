"""Point-to-neighbourhood look-up with a spatial index that stays fast as neighbourhoods grow."""

from __future__ import annotations

import math
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

import numpy as np
import shapely
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from shapely import STRtree
from shapely.geometry import shape

from .models import Neighbourhood

VERSION_KEY = "neighbourhoods:boundary-version"


class NeighbourhoodLocator:
    """Finds which neighbourhood covers a point, over prepared geometries.

    Two indexes, one per use: an STRtree for vectorised look-ups of many points, and a grid of
    bounding-box cells for single points (a dictionary look-up costs far less per call than a
    tree query does through shapely). A point on a shared boundary belongs to the neighbourhood
    that sorts first by code, so the answer is deterministic.
    """

    # Enough cells for any realistic set of neighbourhoods; beyond it, cells are made coarser.
    MAX_GRID_ENTRIES = 200_000

    def __init__(self, items: Iterable[tuple[int, str, dict]]):
        ordered = sorted(items, key=lambda item: item[1])
        self.ids = [item[0] for item in ordered]
        self.geometries = np.array([shape(item[2]) for item in ordered], dtype=object)
        shapely.prepare(self.geometries)
        self._geometry_list = self.geometries.tolist()  # indexing a list is faster per call
        self.tree = STRtree(self.geometries)
        self._build_grid()

    def __len__(self):
        return len(self.ids)

    def _build_grid(self) -> None:
        """Map each cell of a lng/lat grid to the neighbourhoods whose bounding box touches it."""
        self.grid: dict[tuple[int, int], list[int]] = {}
        self.cell_size = 1.0
        if not self.ids:
            return
        bounds = shapely.bounds(self.geometries)
        extents = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
        # Half a typical neighbourhood across per cell: a point then has about two candidates.
        self.cell_size = float(np.median(extents)) / 2 or 0.001
        while self._grid_entries(bounds) > self.MAX_GRID_ENTRIES:
            self.cell_size *= 2
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index, (min_x, min_y, max_x, max_y) in enumerate(bounds.tolist()):
            for cell_x in range(self._cell(min_x), self._cell(max_x) + 1):
                for cell_y in range(self._cell(min_y), self._cell(max_y) + 1):
                    grid[cell_x, cell_y].append(index)  # ascending index = code order
        self.grid = dict(grid)

    def _grid_entries(self, bounds) -> int:
        """How many (cell, neighbourhood) entries the grid would hold with the current cells."""
        cells = np.floor(bounds / self.cell_size)
        columns = cells[:, 2] - cells[:, 0] + 1
        rows = cells[:, 3] - cells[:, 1] + 1
        return int((columns * rows).sum())

    def _cell(self, degrees: float) -> int:
        return math.floor(degrees / self.cell_size)

    def locate(self, lat: float, lng: float) -> int | None:
        """The id of the neighbourhood covering (lat, lng), or None if it is outside them all."""
        if not (math.isfinite(lat) and math.isfinite(lng)):
            return None
        candidates = self.grid.get((self._cell(lng), self._cell(lat)))
        if not candidates:
            return None
        point = shapely.Point(lng, lat)
        for index in candidates:
            if self._geometry_list[index].covers(point):
                return self.ids[index]
        return None

    def locate_many(self, points: Iterable[tuple[float, float]]) -> list[int | None]:
        """Ids for many (lat, lng) points at once, vectorised; None where outside every one."""
        points = list(points)
        result: list[int | None] = [None] * len(points)
        if not points or not self.ids:
            return result
        point_geometries = shapely.points([(lng, lat) for lat, lng in points])
        # Bounding boxes from the tree, then the exact test with the *prepared* neighbourhood as
        # the left operand: a tree predicate would prepare the points instead, which is slower.
        point_index, tree_index = self.tree.query(point_geometries)
        covered = shapely.covers(self.geometries[tree_index], point_geometries[point_index])
        # The lowest tree index wins on shared boundaries, as in locate().
        no_hit = len(self.ids)
        first_hit = np.full(len(points), no_hit)
        np.minimum.at(first_hit, point_index[covered], tree_index[covered])
        for position, hit in enumerate(first_hit.tolist()):
            if hit != no_hit:
                result[position] = self.ids[hit]
        return result


_lock = threading.Lock()
_cached: tuple[object, NeighbourhoodLocator] | None = None
_deferral = threading.local()


def boundaries_changed() -> None:
    """Tell every process that the boundaries changed, so locators are rebuilt on next use.

    Inside a transaction the signal is sent again on commit: another process may have rebuilt
    its locator from the rows it could see before the commit.
    """
    if getattr(_deferral, "depth", 0):
        _deferral.pending = True
        return
    _bump_cache_version()
    transaction.on_commit(_bump_cache_version)


def _bump_cache_version() -> None:
    # A fresh random token rather than a counter: a counter evicted from the cache restarts at a
    # value that a stale locator may still be labelled with.
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


@contextmanager
def boundary_changes_batched():
    """Within this block, announce boundary changes once at the end instead of once per save."""
    _deferral.depth = getattr(_deferral, "depth", 0) + 1
    if _deferral.depth == 1:
        _deferral.pending = False
    try:
        yield
    finally:
        _deferral.depth -= 1
        if _deferral.depth == 0 and _deferral.pending:
            _deferral.pending = False
            boundaries_changed()


def _boundaries_version() -> tuple:
    """What the cached locator must match: the cache token and a fingerprint of the table.

    The fingerprint catches changes made by other processes even when the cache is local to
    each process (the default LocMemCache), for example an import run by a task worker.
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    table = Neighbourhood.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    return (version, table["count"], table["latest"])


def get_locator() -> NeighbourhoodLocator:
    """The locator for the current boundaries, rebuilt only when they change."""
    global _cached
    version = _boundaries_version()
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
