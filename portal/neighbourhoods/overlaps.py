"""Which boundaries of an import overlap each other or neighbourhoods already in the portal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shapely import STRtree
from shapely.geometry import shape

from .models import Neighbourhood

# Neighbouring boundaries share edges, and generalised files disagree by slivers along them:
# an overlap counts when it covers more than this share of the smaller of the two areas.
OVERLAP_SHARE = 0.01


@dataclass(frozen=True)
class Area:
    """A boundary to compare: its code, name and shapely geometry."""

    code: str
    name: str
    geometry: object

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class Overlap:
    """An incoming boundary (by its position in the import) and the areas it overlaps."""

    index: int
    existing: tuple[Area, ...]
    incoming: tuple[Area, ...]


def find_overlaps(incoming: Sequence[Area]) -> list[Overlap]:
    """For each incoming area, the existing neighbourhoods (other codes) and earlier incoming
    areas it overlaps by more than a sliver."""
    if not incoming:
        return []
    existing = _existing_near(incoming)
    existing_tree = STRtree([area.geometry for area in existing])
    incoming_tree = STRtree([area.geometry for area in incoming])
    found = []
    for index, area in enumerate(incoming):
        over_existing = tuple(
            existing[i] for i in sorted(existing_tree.query(area.geometry).tolist())
            if _overlaps(area.geometry, existing[i].geometry))
        over_incoming = tuple(
            incoming[i] for i in sorted(incoming_tree.query(area.geometry).tolist())
            if i < index and _overlaps(area.geometry, incoming[i].geometry))
        if over_existing or over_incoming:
            found.append(Overlap(index, over_existing, over_incoming))
    return found


def _existing_near(incoming: Sequence[Area]) -> list[Area]:
    """Neighbourhoods not being replaced whose bounding box meets the incoming boxes' extent."""
    bounds = [area.geometry.bounds for area in incoming]
    min_lng, min_lat = min(b[0] for b in bounds), min(b[1] for b in bounds)
    max_lng, max_lat = max(b[2] for b in bounds), max(b[3] for b in bounds)
    codes = {area.code for area in incoming}
    candidates = Neighbourhood.objects.filter(
        bbox_min_lng__lte=max_lng, bbox_max_lng__gte=min_lng,
        bbox_min_lat__lte=max_lat, bbox_max_lat__gte=min_lat,
    ).order_by("code").values_list("code", "name", "boundary")
    return [Area(code, name, shape(boundary)) for code, name, boundary in candidates.iterator()
            if code not in codes]


def _overlaps(a, b) -> bool:
    if not a.intersects(b) or a.touches(b):
        return False
    smaller = min(a.area, b.area)
    return smaller > 0 and a.intersection(b).area > OVERLAP_SHARE * smaller
