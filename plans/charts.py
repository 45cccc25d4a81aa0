"""Server-drawn SVG for the plan page and its PDF (no JavaScript in print): the priorities bar
chart and the map of the plan's area with numbered hubs and assets. Each has a text or table
alternative in the templates."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.ops import unary_union

from portal.themes.names import theme_name


def _esc(text) -> str:
    return escape(str(text))


def priorities_chart_svg(priorities, width=640) -> str:
    """A horizontal bar chart of the plan's priorities by score, as SVG (table alternative
    is in the template), labelled with whole percentages ("41%") as everywhere scores are
    shown. A score the public may not see (None) has no bar and says so, and the bars are
    scaled to the scores shown."""
    if not priorities:
        return ""
    bar_height, gap, label_width = 28, 14, 240
    height = len(priorities) * (bar_height + gap) + 30
    top = max((p["score"] for p in priorities if p["score"] is not None), default=0) or 1
    title = _("Priorities by score (share of people)")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-chart" viewBox="0 0 {width} '
        f'{height}" width="100%" role="img" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{_esc(title)}</title>',
        f'<desc id="chart-desc">{_esc(_("The same figures are in the table below."))}</desc>',
    ]
    plot = width - label_width - 60
    for index, item in enumerate(priorities):
        y = 10 + index * (bar_height + gap)
        score = item["score"]
        length = 0 if score is None else max(2, round(plot * score / top))
        lines = _wrap(f'{item["number"]}. {theme_name(item["theme"])}', 30)
        first_y = y + 18 - (len(lines) - 1) * 8
        for line_number, line in enumerate(lines):
            parts.append(f'<text x="{label_width - 8}" y="{first_y + line_number * 16}" '
                         f'text-anchor="end" font-size="13" fill="#0b0c0c">{_esc(line)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
                     f'fill="#1d70b8"/>')
        if score is None:
            value = item.get("score_text") or _("not shown")
        else:
            value = _("%(percent)s%%") % {"percent": item.get("percent", round(100 * score))}
        parts.append(f'<text x="{label_width + length + 6}" y="{y + 18}" font-size="13" '
                     f'fill="#0b0c0c">{_esc(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _wrap(text: str, width: int) -> list[str]:
    """Split a label into at most two lines of about `width` characters."""
    if len(text) <= width:
        return [text]
    cut = text.rfind(" ", 0, width)
    cut = cut if cut > 0 else width
    rest = text[cut:].strip()
    return [text[:cut].strip(), rest if len(rest) <= width else rest[: width - 1] + "…"]


def map_markers(actions) -> list[dict]:
    """The distinct hubs and assets linked to the plan's actions, numbered for the map key."""
    markers, seen = [], {}
    for action in actions:
        for venue in action.venues or []:
            key = venue.get("key")
            if key in seen:
                seen[key]["actions"].append(action.title)
                continue
            marker = dict(venue, number=len(markers) + 1, actions=[action.title])
            seen[key] = marker
            markers.append(marker)
    return markers


def _plan_geometry(plan):
    """The plan's area: its neighbourhood's boundary, or its locality's neighbourhoods'."""
    if plan.neighbourhood_id:
        boundaries = [plan.neighbourhood.boundary]
    elif plan.locality_id:
        boundaries = list(plan.locality.neighbourhoods.values_list("boundary", flat=True))
    else:
        return None
    shapes = [shape(boundary) for boundary in boundaries if boundary]
    return unary_union(shapes) if shapes else None


def _located(markers) -> list[dict]:
    return [m for m in markers if m.get("longitude") is not None
            and m.get("latitude") is not None]


class _Projection:
    """Longitude and latitude to SVG coordinates, equirectangular around the middle latitude
    of the area and its markers (accurate enough at neighbourhood scale)."""

    margin = 24

    def __init__(self, geometry, markers, width, height):
        min_x, min_y, max_x, max_y = geometry.bounds
        for marker in markers:
            lng, lat = marker["longitude"], marker["latitude"]
            min_x, max_x = min(min_x, lng), max(max_x, lng)
            min_y, max_y = min(min_y, lat), max(max_y, lat)
        self.min_x, self.max_y = min_x, max_y
        self.k = math.cos(math.radians((min_y + max_y) / 2))
        span_x = max((max_x - min_x) * self.k, 1e-6)
        self.span_y = max(max_y - min_y, 1e-6)
        self.scale = min((width - 2 * self.margin) / span_x,
                         (height - 2 * self.margin) / self.span_y)
        self.offset_x = (width - span_x * self.scale) / 2
        self.offset_y = (height - self.span_y * self.scale) / 2

    def __call__(self, lng, lat):
        return (self.offset_x + (lng - self.min_x) * self.k * self.scale,
                self.offset_y + (self.max_y - lat) * self.scale)


def _area_path(geometry, project: _Projection) -> str:
    """The SVG path data of the area's rings, simplified to the map's resolution."""
    simplified = geometry.simplify(project.span_y / 400, preserve_topology=True)
    paths = []
    for polygon in getattr(simplified, "geoms", [simplified]):
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (project(*c[:2])
                                                              for c in ring.coords))
            paths.append(f"M{coords}Z")
    return " ".join(paths)


def _marker_svg(marker, project: _Projection) -> str:
    """A numbered circle: green for a hub, red for an asset."""
    x, y = project(marker["longitude"], marker["latitude"])
    fill = "#00703c" if marker.get("is_hub") else "#d4351c"
    return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{fill}" stroke="#ffffff" '
            f'stroke-width="2"/><text x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle" '
            f'font-size="12" font-weight="bold" fill="#ffffff">{marker["number"]}</text>')


def plan_map_svg(plan, markers, width=640, height=440) -> str:
    """The plan's area drawn from its boundary GeoJSON, with numbered hub and asset markers
    (no map tiles, so nothing is fetched when a PDF is printed)."""
    geometry = _plan_geometry(plan)
    if geometry is None or geometry.is_empty:
        return ""
    located = _located(markers)
    project = _Projection(geometry, located, width, height)
    title = _("Map of %(area)s") % {"area": plan.area_name}
    if markers:
        desc = _("The boundary of %(area)s with %(count)s numbered hubs and assets; the key "
                 "lists them.") % {"area": plan.area_name, "count": len(markers)}
    else:
        desc = _("The boundary of %(area)s.") % {"area": plan.area_name}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-map" viewBox="0 0 {width} '
        f'{height}" width="100%" role="img" aria-labelledby="map-title map-desc">',
        f'<title id="map-title">{_esc(title)}</title><desc id="map-desc">{_esc(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f3f2f1"/>',
        f'<path d="{_area_path(geometry, project)}" fill="#d2e2f1" stroke="#1d4f7c" '
        f'stroke-width="2" fill-rule="evenodd"/>',
        *(_marker_svg(marker, project) for marker in located),
        "</svg>",
    ]
    return "".join(parts)
