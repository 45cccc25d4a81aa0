"""The postcode districts (outward codes, the part before the space: NW10, HA9) the area covers.

They tell a postcode that is not in the table apart: one in a covered district is a postcode
"we could not find" (new, or mistyped in its last letters); one in any other district is "not
in our area". `PORTAL_POSTCODE_DISTRICTS` lists them; when it is empty they are worked out
from the loaded postcodes that lie inside a neighbourhood, and cached until the boundaries
change or the table gains or loses postcodes (an import also clears its own process's copy).
"""

from __future__ import annotations

import re
import threading

import shapely
from django.conf import settings
from django.core import checks
from django.db.models import Count, Max, Min

from .models import Postcode
from .services import get_locator

DISTRICT_RE = re.compile(r"^(?:[A-Z]{1,2}[0-9][0-9A-Z]?|GIR)$")
_CHUNK = 20_000

_lock = threading.Lock()
_cached: tuple[object, dict, frozenset[str]] | None = None


def outward_code(postcode: str) -> str:
    """The district of a normalised postcode: 'NW10 8SE' -> 'NW10'."""
    return postcode.split(" ")[0]


def configured_districts() -> frozenset[str]:
    """The districts named in PORTAL_POSTCODE_DISTRICTS (a list, or text split on commas)."""
    value = getattr(settings, "PORTAL_POSTCODE_DISTRICTS", None) or ()
    if isinstance(value, str):
        value = re.split(r"[\s,]+", value)
    return frozenset(str(code).strip().upper() for code in value if str(code).strip())


def covered_districts() -> frozenset[str]:
    """The districts the area covers: the setting, else those of the loaded postcodes that
    lie inside a neighbourhood. Empty when neither says (then no district is "not ours")."""
    configured = configured_districts()
    if configured:
        return configured
    global _cached
    locator = get_locator()
    fingerprint = Postcode.objects.aggregate(
        count=Count("pk"), first=Min("pk"), last=Max("pk"))
    with _lock:
        if _cached is None or _cached[0] is not locator or _cached[1] != fingerprint:
            _cached = (locator, fingerprint, derive_districts(locator))
        return _cached[2]


def derive_districts(locator) -> frozenset[str]:
    """Outward codes of the postcodes in the table whose point is inside a neighbourhood.

    Only postcodes inside the neighbourhoods' bounding box are read, so a table holding the
    whole country costs one filtered scan, not millions of point tests."""
    if not len(locator):
        return frozenset()
    min_lng, min_lat, max_lng, max_lat = shapely.total_bounds(locator.geometries).tolist()
    rows = Postcode.objects.filter(
        latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng),
    ).values_list("postcode", "latitude", "longitude")
    found: set[str] = set()
    chunk: list[tuple[str, float, float]] = []
    for row in rows.iterator(chunk_size=_CHUNK):
        chunk.append(row)
        if len(chunk) >= _CHUNK:
            found |= _districts_inside(locator, chunk)
            chunk = []
    found |= _districts_inside(locator, chunk)
    return frozenset(found)


def _districts_inside(locator, rows) -> set[str]:
    hits = locator.locate_many([(lat, lng) for _postcode, lat, lng in rows])
    return {outward_code(row[0]) for row, hit in zip(rows, hits, strict=True) if hit is not None}


def district_covered(postcode: str) -> bool | None:
    """Whether a normalised postcode's district is covered; None when no district is known."""
    districts = covered_districts()
    if not districts:
        return None
    return outward_code(postcode) in districts


def forget_districts() -> None:
    """Drop the worked-out districts (after a postcode import in this process)."""
    global _cached
    with _lock:
        _cached = None


@checks.register()
def check_postcode_districts(app_configs, **kwargs):
    """PORTAL_POSTCODE_DISTRICTS must hold outward codes only (NW10, not NW10 8SE or NW)."""
    wrong = sorted(code for code in configured_districts() if not DISTRICT_RE.match(code))
    if not wrong:
        return []
    return [checks.Error(
        f"PORTAL_POSTCODE_DISTRICTS has entries that are not postcode districts: "
        f"{', '.join(wrong)}.",
        hint="List outward codes, the part of a postcode before the space, such as "
             "NW10,NW2,HA9.", id="neighbourhoods.E001",
    )]
