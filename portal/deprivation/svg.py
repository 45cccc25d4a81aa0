"""The deprivation layer drawn server-side as SVG, for the plan PDF (WeasyPrint renders inline
SVG; there is no JavaScript in print). It draws the same dict as the web map
(`display.neighbourhood_layer`): each area shaded by its IMD decile with the decile number
printed on it, a legend naming every step, and a <title> and <desc>; the table beside it in
the template is its text alternative.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.translation import gettext as _

from .display import OUTLINE, legend

MAP_WIDTH = 470
LEGEND_X = 490
# Below this many square pixels an area is too small to carry its number legibly; the table
# still lists it.
MIN_LABEL_AREA = 160


class _Projection:
    """Longitude/latitude to SVG x/y: equirectangular, with longitude scaled by the cosine of
    the middle latitude (true to within a fraction of a percent at neighbourhood scale)."""

    margin = 12

    def __init__(self, bounds, width, height):
        min_x, min_y, max_x, max_y = bounds
        self.min_x, self.max_y = min_x, max_y
        self.k = math.cos(math.radians((min_y + max_y) / 2))
        span_x = max((max_x - min_x) * self.k, 1e-9)
        span_y = max(max_y - min_y, 1e-9)
        self.scale = min((width - 2 * self.margin) / span_x, (height - 2 * self.margin) / span_y)
        self.offset_x = (width - span_x * self.scale) / 2
        self.offset_y = (height - span_y * self.scale) / 2

    def __call__(self, lon, lat) -> tuple[float, float]:
        return (self.offset_x + (lon - self.min_x) * self.k * self.scale,
                self.offset_y + (self.max_y - lat) * self.scale)


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _bounds(features) -> tuple[float, float, float, float] | None:
    points = [point for feature in features for polygon in _polygons(feature["geometry"])
              for point in polygon[0]]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def _ring_area(ring) -> float:
    """The area of a closed ring of (x, y) points (shoelace formula)."""
    pairs = zip(ring[:-1], ring[1:], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def _area_svg(feature, project: _Projection) -> str:
    """One area: its shaded path and, when there is room, its decile number."""
    properties = feature["properties"]
    path, pixels = [], 0.0
    for polygon in _polygons(feature["geometry"]):
        for index, ring in enumerate(polygon):
            projected = [project(*point[:2]) for point in ring]
            pixels += _ring_area(projected) * (1 if index == 0 else -1)
            path.append("M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in projected) + "Z")
    parts = [f'<path d="{" ".join(path)}" fill="{properties["colour"]}" stroke="{OUTLINE}" '
             f'stroke-width="0.6" fill-rule="evenodd"><title>{escape(properties["name"])}: '
             f'{escape(properties["label"])}</title></path>']
    if pixels >= MIN_LABEL_AREA:
        x, y = project(*properties["label_point"])
        parts.append(f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
                     f'font-weight="bold" fill="{properties["text_colour"]}">'
                     f'{properties["decile"]}</text>')
    return "".join(parts)


def _legend_svg() -> str:
    parts = [f'<text x="{LEGEND_X}" y="22" font-size="12" font-weight="bold" fill="#0b0c0c">'
             f'{escape(_("IMD decile"))}</text>']
    for index, step in enumerate(legend()):
        y = 34 + index * 26
        parts.append(
            f'<rect x="{LEGEND_X}" y="{y}" width="26" height="20" fill="{step["colour"]}" '
            f'stroke="{OUTLINE}" stroke-width="0.6"/>'
            f'<text x="{LEGEND_X + 13}" y="{y + 14}" text-anchor="middle" font-size="11" '
            f'font-weight="bold" fill="{step["text_colour"]}">{step["decile"]}</text>')
        if step["end"]:
            parts.append(f'<text x="{LEGEND_X + 34}" y="{y + 14}" font-size="11" '
                         f'fill="#0b0c0c">{escape(step["end"])}</text>')
    return "".join(parts)


def deprivation_svg(layer: dict | None, width: int = 640, height: int = 440) -> str:
    """The layer as an inline SVG document fragment ("" when there is nothing to draw)."""
    features = (layer or {}).get("geojson", {}).get("features", [])
    bounds = _bounds(features)
    if bounds is None:
        return ""
    project = _Projection(bounds, MAP_WIDTH, height)
    title = _("Deprivation by area in %(name)s") % {"name": layer["name"]}
    desc = _("Each of the %(count)s statistical areas (LSOAs) in %(name)s is shaded by its "
             "national IMD decile and, where there is room, labelled with it: 1 is the most "
             "deprived tenth of England, 10 the least. The table lists every area.") % {
        "count": len(layer["table"]), "name": layer["name"]}
    return "".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="deprivation-svg" viewBox="0 0 {width} '
        f'{height}" width="100%" role="img" '
        f'aria-labelledby="deprivation-title deprivation-desc">',
        f'<title id="deprivation-title">{escape(title)}</title>',
        f'<desc id="deprivation-desc">{escape(desc)}</desc>',
        *(_area_svg(feature, project) for feature in features),
        _legend_svg(),
        "</svg>",
    ])
