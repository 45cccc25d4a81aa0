"""Charts drawn on the server as SVG geometry: bar charts of results and the officers' dot map.

No JavaScript and no chart library: the templates draw what these return, and each chart sits
beside a table with the same numbers.
"""

from __future__ import annotations

import math

from shapely.geometry import shape


def chart(rows, value="count", width=400) -> dict:
    """Geometry of a horizontal bar chart drawn as SVG on the server.

    Bars are scaled to the largest value shown: a hidden row's value is None, so no bar's
    length rests on a hidden number.
    """
    bar_height, gap, label_width = 24, 12, 0
    values = [row.get(value) or 0 for row in rows]
    top = max(values) if values and max(values) > 0 else 1
    bars = []
    for index, (row, number) in enumerate(zip(rows, values, strict=True)):
        y = index * (bar_height + gap)
        length = round(width * number / top) if number else 0
        # A hidden row's bar has no length and says why (its `cell`, see portal.disclosure).
        bars.append({"label": row["label"], "y": y, "text_y": y + bar_height + 14 - bar_height,
                     "bar_y": y + 16, "width": length, "value": row.get(value),
                     "suppressed": row.get("suppressed", False), "cell": row.get("cell"),
                     "value_x": length + 6})
    return {"bars": bars, "width": width + 120 + label_width,
            "height": max(len(rows) * (bar_height + gap) + 16, 40), "bar_height": bar_height - 8}


def dot_map(points, neighbourhoods, width=600) -> dict | None:
    """Geometry of a server-drawn SVG map: neighbourhood outlines and a dot per marked position.

    For officers only (points are never published). `points` are (lat, lng, count); a dot's
    area grows with its count. Returns None when there is nothing to draw.
    """
    shapes = _outlines(neighbourhoods)
    lngs = [lng for _lat, lng, _n in points]
    lats = [lat for lat, _lng, _n in points]
    for _name, geometry in shapes:
        min_x, min_y, max_x, max_y = geometry.bounds
        lngs += [min_x, max_x]
        lats += [min_y, max_y]
    if not lngs:
        return None
    projection = _Projection(min(lngs), max(lngs), min(lats), max(lats), width)
    areas = [_area(name, geometry, projection) for name, geometry in shapes]
    dots = []
    for lat, lng, n in points:
        x, y = projection.xy(lng, lat)
        dots.append({"x": x, "y": y, "count": n, "r": round(3 + 2 * math.sqrt(n - 1), 1)})
    return {"width": width, "height": projection.height, "areas": areas, "dots": dots,
            "people": sum(n for _lat, _lng, n in points), "positions": len(points)}


def _outlines(neighbourhoods) -> list:
    """(name, shapely geometry) of each neighbourhood with a boundary to draw."""
    shapes = []
    for neighbourhood in neighbourhoods:
        try:
            shapes.append((neighbourhood.name, shape(neighbourhood.boundary)))
        except (AttributeError, KeyError, TypeError, ValueError):
            continue  # no boundary to draw
    return shapes


class _Projection:
    """Longitude and latitude to SVG pixels: equirectangular, squashed for the latitude."""

    pad = 12

    def __init__(self, min_lng, max_lng, min_lat, max_lat, width):
        self.min_lng, self.max_lat = min_lng, max_lat
        self.squash = math.cos(math.radians((min_lat + max_lat) / 2))
        span_x = max((max_lng - min_lng) * self.squash, 0.005)
        self.span_y = max(max_lat - min_lat, 0.005)
        self.scale = (width - 2 * self.pad) / span_x
        self.height = round(self.span_y * self.scale + 2 * self.pad)

    def xy(self, lng, lat):
        return (round(self.pad + (lng - self.min_lng) * self.squash * self.scale, 1),
                round(self.pad + (self.max_lat - lat) * self.scale, 1))


def _rings(geometry):
    for polygon in getattr(geometry, "geoms", [geometry]):
        yield polygon.exterior
        yield from polygon.interiors


def _area(name, geometry, projection) -> dict:
    """A neighbourhood's outline as an SVG path, simplified to the map's scale, and its label."""
    simple = geometry.simplify(projection.span_y / 400, preserve_topology=True)
    path = " ".join(
        "M" + " L".join("{},{}".format(*projection.xy(x, y)) for x, y in ring.coords) + " Z"
        for ring in _rings(simple))
    label = geometry.representative_point()
    label_x, label_y = projection.xy(label.x, label.y)
    return {"name": name, "path": path, "label_x": label_x, "label_y": label_y}
