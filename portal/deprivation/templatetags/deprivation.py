"""Template tags that place the deprivation layer on a page (web map + table) or in a PDF
(SVG + table). Each renders nothing when the neighbourhood has no need data."""

from __future__ import annotations

from django import template

from ..display import neighbourhood_layer as build_layer
from ..svg import deprivation_svg

register = template.Library()


@register.simple_tag
def neighbourhood_layer(neighbourhood):
    """The layer dict (see display.neighbourhood_layer), or None: `{% ... as layer %}`."""
    return build_layer(neighbourhood)


@register.inclusion_tag("deprivation/layer.html", takes_context=True)
def deprivation_layer(context, neighbourhood=None, layer=None, heading_class="heading-l"):
    """The layer for a web page: heading, summary, Leaflet map (a GeoJSON data island), legend
    and the table that is its accessible equivalent."""
    if layer is None:
        layer = build_layer(neighbourhood)
    return {
        "layer": layer, "heading_class": heading_class,
        "tiles_url": context.get("PORTAL_MAP_TILES_URL", ""),
        "tiles_attribution": context.get("PORTAL_MAP_TILES_ATTRIBUTION", ""),
    }


@register.inclusion_tag("deprivation/layer_pdf.html")
def deprivation_layer_pdf(neighbourhood=None, layer=None, without_graphics=False):
    """The layer for the plan PDF: the server-drawn SVG (left out `without_graphics`) and the
    table."""
    if layer is None:
        layer = build_layer(neighbourhood)
    svg = "" if without_graphics or layer is None else deprivation_svg(layer)
    return {"layer": layer, "svg": svg}
