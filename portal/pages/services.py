"""Logic behind the public pages: neighbourhood lists and maps, postcode search, extension points.

Feature apps add to the home page's "what's on" area and to each neighbourhood page through
the hooks in `portal.extension_points`; the core never imports them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.neighbourhoods.geocoding import PostcodeError, place_postcode


def neighbourhood_pages(site):
    """Live neighbourhood pages of a site in the active language, with their neighbourhoods."""
    from wagtail.models import Locale

    from .models import NeighbourhoodPage

    pages = NeighbourhoodPage.objects.live().public().filter(
        locale=Locale.get_active()
    ).select_related(
        "neighbourhood", "neighbourhood__locality"
    ).order_by("neighbourhood__locality__name", "title")
    if site is not None:
        pages = pages.descendant_of(site.root_page.localized)
    return list(pages)


def map_data(pages, request, focus=False) -> dict:
    """Data for a neighbourhood map: a GeoJSON FeatureCollection with each page's name and URL."""
    features = []
    for page in pages:
        neighbourhood = page.neighbourhood
        features.append({
            "type": "Feature",
            "id": neighbourhood.code,
            "geometry": neighbourhood.boundary,
            "properties": {
                "name": page.title,
                "code": neighbourhood.code,
                "url": page.get_url(request),
            },
        })
    return {"type": "FeatureCollection", "features": features, "focus": focus}


@dataclass
class PostcodeLookup:
    postcode: str
    page: object = None
    error: str = ""
    error_code: str = ""


def find_by_postcode(text: str, site=None, next_step: str | None = None) -> PostcodeLookup:
    """The neighbourhood page for a typed postcode, or a message saying why there is none
    ("not a postcode", "not in our area", "we could not find this postcode"), ending with
    `next_step` (by default the neighbourhood finder's: the list or the map)."""
    if next_step is None:
        next_step = _("You can choose your neighbourhood from the list or the map instead.")
    try:
        placed = place_postcode(text, next_step)
    except PostcodeError as exc:
        return PostcodeLookup(text, error=str(exc.message), error_code=exc.code)
    location, neighbourhood_id = placed.location, placed.neighbourhood_id
    page = next(
        (p for p in neighbourhood_pages(site) if p.neighbourhood_id == neighbourhood_id), None
    )
    if page is None:
        return PostcodeLookup(
            location.postcode,
            error=_("%(postcode)s is in a neighbourhood that has no page yet. Choose a "
                    "neighbourhood from the list.") % {"postcode": location.postcode},
            error_code="no_page",
        )
    return PostcodeLookup(location.postcode, page=page)


def _channel(hex_value: str) -> float:
    value = int(hex_value, 16) / 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    red, green, blue = (_channel(colour[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours (1 to 21)."""
    try:
        lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                                 reverse=True)
    except (ValueError, AttributeError):
        return 21.0  # malformed colours are reported by the field validators instead
    return (lighter + 0.05) / (darker + 0.05)
