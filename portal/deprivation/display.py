"""The deprivation layer as the public sees it: a neighbourhood's statistical areas (LSOAs)
coloured by their national IMD decile, with a legend, an equivalent table and a summary.

The web map (deprivation/layer.html and its script), the server-drawn SVG in the plan PDF
(`svg.deprivation_svg`) and the table all come from the one dict `neighbourhood_layer`
returns, so they cannot disagree.

The figures are published statistics (MHCLG's English Indices of Deprivation 2019 and the
ONS population estimates behind them), not counts of people who told us anything, so they
are not small-number suppressed; shares of residents are rounded to whole percents.

Colours: a ten-step viridis scale (perceptually even and readable with the common kinds of
colour blindness), darkest for the most deprived tenth of England. Colour is never the only
cue: every area carries its decile number (on the map, in its tooltip and in the table) and
the legend names each step. `text_colour` picks the label colour with the better contrast;
every step reaches 4.5:1 (tests/deprivation/test_display.py checks it).
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely import set_precision
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from .models import NeighbourhoodNeed, StatisticalArea

logger = logging.getLogger(__name__)

# Decile 1 (most deprived) first. Viridis, with step 5 darkened slightly so that white text
# on it passes 4.5:1.
PALETTE = (
    "#440154", "#482878", "#3e4989", "#31688e", "#277a8e",
    "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725",
)
DARK_TEXT, LIGHT_TEXT = "#0b0c0c", "#ffffff"
OUTLINE = "#0b0c0c"
SOURCE = gettext_lazy("English Indices of Deprivation 2019, MHCLG")
# About a metre: enough for a neighbourhood map, and it keeps the page small.
GRID_SIZE = 1e-5


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(fill: str) -> str:
    """Near-black or white, whichever reads better on `fill`."""
    on_dark = contrast_ratio(fill, LIGHT_TEXT)
    return LIGHT_TEXT if on_dark >= contrast_ratio(fill, DARK_TEXT) else DARK_TEXT


def decile_colour(decile: int) -> str:
    """The fill of a national IMD decile (1 = most deprived tenth of England)."""
    return PALETTE[_checked(decile) - 1]


def _checked(decile) -> int:
    decile = int(decile)
    if not 1 <= decile <= 10:
        raise ValueError(f"An IMD decile runs from 1 to 10, not {decile}.")
    return decile


def _valid(decile) -> bool:
    try:
        _checked(decile)
    except (TypeError, ValueError):
        return False
    return True


def decile_label(decile: int) -> str:
    """'Decile 2 (among the 20% most deprived in England)': the decile in words."""
    decile = _checked(decile)
    if decile <= 5:
        return _("Decile %(decile)s (among the %(percent)s%% most deprived in England)") % {
            "decile": decile, "percent": decile * 10}
    return _("Decile %(decile)s (among the %(percent)s%% least deprived in England)") % {
        "decile": decile, "percent": (11 - decile) * 10}


def decile_band(decile: int) -> str:
    """'among the 20% most deprived': the decile's place in England, for beside its number."""
    decile = _checked(decile)
    if decile <= 5:
        return _("among the %(percent)s%% most deprived") % {"percent": decile * 10}
    return _("among the %(percent)s%% least deprived") % {"percent": (11 - decile) * 10}


def legend() -> list[dict]:
    """The ten steps, most deprived first, each with its colour, label colour and name."""
    ends = {1: _("most deprived"), 10: _("least deprived")}
    return [{"decile": decile, "colour": colour, "text_colour": text_colour(colour),
             "label": decile_label(decile), "end": ends.get(decile, "")}
            for decile, colour in enumerate(PALETTE, start=1)]


def percent_text(share: float | None) -> str:
    """A share as a whole percent; a share that rounds to nothing says 'under 1%'."""
    if share is None:
        return _("not known")
    if 0 < share < 0.005:
        return _("under 1%")
    return _("%(percent)s%%") % {"percent": round(100 * share)}


def neighbourhood_layer(neighbourhood) -> dict | None:
    """The deprivation layer of a neighbourhood, or None when it has no need data.

    Two queries: the neighbourhood's `NeighbourhoodNeed` and the boundaries of its areas.
    Each area is drawn clipped to the neighbourhood's boundary (an area the boundary splits
    shows only its part inside), and the table gives its share of the neighbourhood's
    residents (its population times the share of its area inside, see aggregation).
    """
    need = _need(neighbourhood)
    if need is None or not need.areas or not _valid(need.imd_decile):
        return None
    codes = [area["code"] for area in need.areas]
    geometries = dict(StatisticalArea.objects.filter(code__in=codes)
                      .values_list("code", "geometry"))
    boundary = _shape(neighbourhood.boundary)
    total = need.population or sum(area.get("people") or 0 for area in need.areas)
    rows = _table_rows(need.areas, total)
    features = [feature for row in rows
                if (feature := _feature(row, geometries.get(row["code"]), boundary))]
    return {
        "name": neighbourhood.name,
        "geojson": {"type": "FeatureCollection", "features": features},
        "legend": legend(),
        "table": rows,
        "summary": _summary(need),
        "source": str(SOURCE),
    }


def _need(neighbourhood):
    if neighbourhood is None:
        return None
    try:
        return neighbourhood.need
    except NeighbourhoodNeed.DoesNotExist:
        return None


def _table_rows(areas, total: int) -> list[dict]:
    """One row per area, most deprived first, then by name."""
    rows = []
    for area in areas:
        if not _valid(area.get("decile")):
            # The importer refuses such deciles; stored data edited by hand is left off the
            # layer rather than breaking the page.
            logger.warning("Area %s has no valid IMD decile; left off the layer", area.get("code"))
            continue
        decile = int(area["decile"])
        people = area.get("people")
        share = (people / total) if total and people is not None else None
        rows.append({
            "code": area["code"], "name": area.get("name") or area["code"], "decile": decile,
            "label": decile_label(decile), "band": decile_band(decile),
            "colour": decile_colour(decile), "text_colour": text_colour(decile_colour(decile)),
            "share": None if share is None else round(100 * share),
            "share_text": percent_text(share),
        })
    rows.sort(key=lambda row: (row["decile"], row["name"]))
    return rows


def _summary(need) -> dict:
    """The neighbourhood's population-weighted decile and its share in England's most
    deprived fifth (national IMD quintile 1)."""
    population = need.population or 0
    most_deprived = (need.quintile_population or {}).get("1", 0) or 0
    share = most_deprived / population if population else None
    return {
        "decile": need.imd_decile, "label": decile_label(need.imd_decile),
        "band": decile_band(need.imd_decile),
        "colour": decile_colour(need.imd_decile),
        "text_colour": text_colour(decile_colour(need.imd_decile)),
        "most_deprived_share": None if share is None else round(100 * share),
        "most_deprived_text": percent_text(share),
    }


def _shape(geojson):
    if not geojson:
        return None
    geometry = shape(geojson)
    return geometry if geometry.is_valid else geometry.buffer(0)


def _polygons(geometry) -> list:
    """The non-empty polygons in a geometry (an intersection may add lines and points)."""
    if geometry.geom_type == "Polygon":
        return [] if geometry.is_empty else [geometry]
    return [polygon for part in getattr(geometry, "geoms", []) for polygon in _polygons(part)]


def _feature(row: dict, geojson, boundary) -> dict | None:
    """The area as a GeoJSON Feature clipped to the boundary, with its label point; None when
    its boundary is unknown or nothing of it lies inside."""
    area = _shape(geojson)
    if area is None:
        return None
    if boundary is not None:
        area = area.intersection(boundary)
    polygons = [orient(polygon, sign=1.0) for polygon in _polygons(set_precision(area, GRID_SIZE))]
    if not polygons:
        return None
    largest = max(polygons, key=lambda polygon: polygon.area)
    point = largest.representative_point()
    geometry = (mapping(polygons[0]) if len(polygons) == 1
                else {"type": "MultiPolygon", "coordinates": [mapping(p)["coordinates"]
                                                              for p in polygons]})
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "code": row["code"], "name": row["name"], "decile": row["decile"],
            "colour": row["colour"], "text_colour": row["text_colour"],
            "label": row["label"], "label_point": [round(point.x, 5), round(point.y, 5)],
        },
    }
