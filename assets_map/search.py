"""Finding assets: the filters shared by the map, the list and open data; "near me"; bbox."""

from __future__ import annotations

import math

import shapely
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import InputError
from portal.neighbourhoods.geometry import point_in_uk
from portal.neighbourhoods.services import get_locator

from .models import METRES_PER_DEGREE, Asset

NEAR_ME_MARGIN_M = 5000


def search_assets(filters: dict, base_qs=None):
    """Published assets matching cleaned filter values (see forms.AssetFilterForm)."""
    qs = base_qs if base_qs is not None else Asset.objects.published()
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("theme"):
        qs = qs.filter(themes=filters["theme"])
    if filters.get("neighbourhood"):
        qs = qs.filter(neighbourhood=filters["neighbourhood"])
    for feature in filters.get("features") or []:
        qs = qs.filter(**{feature: True})
    if filters.get("hubs"):
        qs = qs.filter(is_hub=True)
    if filters.get("q"):
        text = filters["q"]
        qs = qs.filter(Q(name__icontains=text) | Q(summary__icontains=text)
                       | Q(description__icontains=text) | Q(services__name__icontains=text))
    if filters.get("open_now"):
        now = timezone.localtime()
        qs = qs.filter(opening_hours__weekday=now.weekday(), opening_hours__opens__lte=now.time(),
                       opening_hours__closes__gt=now.time())
    if filters.get("bbox"):
        qs = qs.in_bbox(*filters["bbox"])
    if filters.get("q") or filters.get("open_now"):
        qs = qs.distinct()  # these join to many-valued relations
    if filters.get("location"):
        location = filters["location"]
        return qs.near(location.latitude, location.longitude)
    return qs.order_by("name")


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """(west, south, east, north) from "west,south,east,north" in degrees.

    Raises InputError (code `bbox`) with a message for the API's caller.
    """
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError as exc:
        raise InputError(_("Give bbox as west,south,east,north in degrees, like "
                           "-0.34,51.52,-0.19,51.61."), "bbox") from exc
    # float() also reads "nan", "inf" and "1e309" (infinity); none is a place.
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        raise InputError(_("The bounding box must be four finite numbers in degrees, like "
                           "-0.34,51.52,-0.19,51.61."), "bbox")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90
            and -90 <= north <= 90):
        raise InputError(_("The bounding box's longitudes must be from -180 to 180 and its "
                           "latitudes from -90 to 90."), "bbox")
    if west > east or south > north:
        raise InputError(_("The bounding box's west must be less than east and south less "
                           "than north."), "bbox")
    return west, south, east, north


def in_covered_area(lat: float, lng: float) -> bool:
    """Whether a point is within the neighbourhoods' bounding box (plus 5 km, so people just
    across a border still get results), or in the UK when no boundaries are loaded."""
    locator = get_locator()
    if not len(locator):
        return point_in_uk(lat, lng)
    west, south, east, north = shapely.total_bounds(locator.geometries).tolist()
    lat_pad = NEAR_ME_MARGIN_M / METRES_PER_DEGREE
    lng_pad = lat_pad / max(math.cos(math.radians(lat)), 0.01)
    return (south - lat_pad <= lat <= north + lat_pad
            and west - lng_pad <= lng <= east + lng_pad)
