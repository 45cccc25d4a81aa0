"""Validation and normalisation of neighbourhood boundaries (GeoJSON, WGS84) with shapely.

Each kind of bad boundary gets its own message, so the person uploading it knows what to fix.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

from portal.errors import InputError
from portal.json_input import NestedTooDeep, loads_json

# Generous bounds of the United Kingdom, the Channel Islands and the Isle of Man, in WGS84.
UK_MIN_LNG, UK_MAX_LNG = -8.75, 1.85
UK_MIN_LAT, UK_MAX_LAT = 49.8, 60.95
# Below about 0.01 m² (in square degrees) a ring is a line or a point, not an area.
MIN_AREA = 1e-12
ACCEPTED_CRS = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}


class BoundaryError(InputError):
    """A boundary that cannot be accepted; `code` names the kind of problem for tests and logs."""


@dataclass(frozen=True)
class Boundary:
    geometry: Polygon | MultiPolygon

    @property
    def geojson(self) -> dict:
        return _round_trip(mapping(self.geometry))

    @property
    def centroid(self) -> tuple[float, float]:
        """(latitude, longitude) of a point guaranteed to lie inside the boundary."""
        point = self.geometry.representative_point()
        return (round(point.y, 6), round(point.x, 6))

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(min lng, min lat, max lng, max lat), rounded outwards to 6 decimal places.

        Rounding to the nearest value could cut off a sliver of the boundary, and then a bounding
        box pre-filter would miss points on its outermost edge.
        """
        min_lng, min_lat, max_lng, max_lat = self.geometry.bounds
        return (_round_down(min_lng), _round_down(min_lat), _round_up(max_lng), _round_up(max_lat))


def _round_down(value: float) -> float:
    return math.floor(value * 1e6) / 1e6


def _round_up(value: float) -> float:
    return math.ceil(value * 1e6) / 1e6


def _round_trip(obj):
    """Plain lists instead of tuples, so the stored JSON compares equal after a reload."""
    return json.loads(json.dumps(obj))


def point_in_uk(lat: float, lng: float) -> bool:
    return UK_MIN_LAT <= lat <= UK_MAX_LAT and UK_MIN_LNG <= lng <= UK_MAX_LNG


def check_crs(document: dict) -> None:
    """Accept a missing or WGS84 `crs` member (obsolete since RFC 7946); reject any other."""
    crs = document.get("crs") if isinstance(document, dict) else None
    if not crs:
        return
    name = (crs.get("properties") or {}).get("name", "") if isinstance(crs, dict) else ""
    if name not in ACCEPTED_CRS:
        raise BoundaryError(
            _("The file declares the coordinate system %(crs)s. Export it as WGS84 "
              "longitude/latitude (EPSG:4326) and try again.") % {"crs": name or repr(crs)},
            "crs",
        )


def parse_boundary(value) -> Boundary:
    """Parse a (Multi)Polygon as text, bytes, dict or Feature into a valid, oriented Boundary."""
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        if not value.strip():
            raise BoundaryError(
                _("The boundary is empty. Paste or upload a GeoJSON polygon."), "empty"
            )
        try:
            value = loads_json(value)
        except json.JSONDecodeError as exc:
            raise BoundaryError(
                _("The boundary is not valid JSON (line %(line)s, column %(col)s: %(msg)s).")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
                "not_json",
            ) from exc
        except NestedTooDeep as exc:
            raise BoundaryError(
                _("The boundary is not a GeoJSON polygon: its arrays are nested too deeply to "
                  "read (a polygon's coordinates nest four arrays deep)."),
                "too_deep",
            ) from exc
    if not isinstance(value, dict):
        raise BoundaryError(
            _("The boundary must be a GeoJSON object with a \"type\", not %(kind)s.")
            % {"kind": type(value).__name__},
            "not_geojson",
        )
    check_crs(value)
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
    kind = value.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise BoundaryError(
            _("The boundary must be a GeoJSON Polygon or MultiPolygon, not %(kind)s.")
            % {"kind": kind or _("an object without a type")},
            "not_polygon",
        )
    coordinates = value.get("coordinates")
    if not coordinates:
        raise BoundaryError(_("The boundary is empty: it has no coordinates."), "empty")
    positions = list(_positions(coordinates, depth=3 if kind == "Polygon" else 4))
    if not positions:
        raise BoundaryError(_("The boundary is empty: it has no coordinates."), "empty")
    _check_rings(coordinates if kind == "MultiPolygon" else [coordinates])
    _check_coordinate_system(positions)
    try:
        geometry = shape(value)
    except (ValueError, TypeError, shapely.errors.ShapelyError) as exc:
        raise BoundaryError(
            _("The boundary's rings are malformed: each ring needs at least four positions "
              "and must close on its first position (%(error)s).") % {"error": exc},
            "malformed",
        ) from exc
    # The hull, not the area, decides emptiness: a bow-tie's two lobes cancel to zero signed
    # area, yet it is a self-intersection the uploader must be told about.
    if geometry.is_empty or geometry.convex_hull.area < MIN_AREA:
        raise BoundaryError(_("The boundary is empty: its rings enclose no area."), "empty")
    if not geometry.is_valid:
        reason = explain_validity(geometry)
        if _is_self_intersection(reason):
            raise BoundaryError(
                _("The boundary is not a valid shape: %(reason)s. Its edges must not cross or "
                  "touch each other.") % {"reason": _describe_invalidity(reason)},
                "self_intersection",
            )
        raise BoundaryError(
            _("The boundary is not a valid shape (%(reason)s). Check that holes lie inside "
              "their outer ring and that the parts of a MultiPolygon do not overlap.")
            % {"reason": reason},
            "invalid",
        )
    if geometry.area < MIN_AREA:
        raise BoundaryError(_("The boundary is empty: its rings enclose no area."), "empty")
    return Boundary(_oriented(geometry))


def _positions(coordinates, depth):
    """Yield (x, y) positions from nested GeoJSON coordinate arrays, rejecting malformed ones."""
    if depth == 1:
        if (
            not isinstance(coordinates, (list, tuple))
            or len(coordinates) < 2
            or not all(_is_number(c) for c in coordinates[:2])
            or not all(math.isfinite(c) for c in coordinates[:2])
        ):
            raise BoundaryError(
                _("The boundary has a position that is not a pair of numbers: %(pos)s.")
                % {"pos": _excerpt(coordinates)},
                "malformed",
            )
        yield coordinates[0], coordinates[1]
        return
    if not isinstance(coordinates, (list, tuple)):
        raise BoundaryError(
            _("The boundary's coordinates are not nested as a GeoJSON polygon expects."),
            "malformed",
        )
    for child in coordinates:
        yield from _positions(child, depth - 1)


def _check_rings(polygons):
    """Every ring has four positions or more and ends where it starts (RFC 7946 3.1.6).

    shapely would close an open ring silently; the uploader is told instead, because an open
    ring is usually a truncated or hand-edited file."""
    for polygon_number, rings in enumerate(polygons, start=1):
        for ring_number, ring in enumerate(rings, start=1):
            where = _ring_label(len(polygons), polygon_number, ring_number)
            if len(ring) < 4:
                raise BoundaryError(
                    _("%(ring)s has %(count)d positions: each ring needs at least four positions "
                      "and must close on its first position.")
                    % {"ring": where, "count": len(ring)},
                    "malformed",
                )
            if list(ring[0][:2]) != list(ring[-1][:2]):
                raise BoundaryError(
                    _("%(ring)s does not close: each ring must end on its first position "
                      "(%(first)s), but it ends on %(last)s. Add the first position again at "
                      "the end.")
                    % {"ring": where, "first": _excerpt(ring[0]), "last": _excerpt(ring[-1])},
                    "unclosed_ring",
                )


def _ring_label(polygon_count: int, polygon_number: int, ring_number: int) -> str:
    if polygon_count == 1:
        return _("Ring %(ring)d of the boundary") % {"ring": ring_number}
    return _("Ring %(ring)d of part %(part)d of the boundary") % {
        "ring": ring_number, "part": polygon_number}


def _excerpt(value) -> str:
    """A short JSON rendering of part of a boundary for a message, whatever it holds."""
    try:
        text = json.dumps(value)
    except (RecursionError, TypeError, ValueError):
        text = type(value).__name__
    return text if len(text) <= 60 else text[:59] + "…"


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_coordinate_system(positions):
    xs = [p[0] for p in positions]
    ys = [p[1] for p in positions]
    if max(map(abs, xs)) > 180 or max(map(abs, ys)) > 90:
        raise BoundaryError(
            _("The coordinates are not WGS84 longitude/latitude: values such as %(x)s, %(y)s look "
              "like metres from a projected system (for example British National Grid). "
              "Re-export the boundary in EPSG:4326.") % {"x": xs[0], "y": ys[0]},
            "not_wgs84",
        )
    if all(point_in_uk(lat=y, lng=x) for x, y in positions):
        return
    if all(point_in_uk(lat=x, lng=y) for x, y in positions):
        raise BoundaryError(
            _("Latitude and longitude appear to be swapped: GeoJSON positions are "
              "[longitude, latitude], for example [-0.24, 51.54] in London."),
            "swapped",
        )
    raise BoundaryError(
        _("The boundary lies outside the UK (first position %(x)s, %(y)s). Neighbourhoods must be "
          "within longitude %(min_lng)s to %(max_lng)s and latitude %(min_lat)s to %(max_lat)s.")
        % {"x": xs[0], "y": ys[0], "min_lng": UK_MIN_LNG, "max_lng": UK_MAX_LNG,
           "min_lat": UK_MIN_LAT, "max_lat": UK_MAX_LAT},
        "outside_uk",
    )


def _is_self_intersection(reason: str) -> bool:
    return reason.startswith(("Self-intersection", "Ring Self-intersection"))


def _describe_invalidity(reason: str) -> str:
    if _is_self_intersection(reason):
        coords = reason[reason.find("[") + 1 : reason.find("]")].split()
        if len(coords) >= 2:
            return _("it crosses itself near longitude %(x)s, latitude %(y)s") % {
                "x": round(float(coords[0]), 5), "y": round(float(coords[1]), 5)}
        return _("it crosses itself")
    return reason


def _oriented(geometry):
    """Exterior rings counter-clockwise, holes clockwise (RFC 7946 right-hand rule)."""
    if isinstance(geometry, Polygon):
        return orient(geometry, sign=1.0)
    return MultiPolygon([orient(part, sign=1.0) for part in geometry.geoms])
