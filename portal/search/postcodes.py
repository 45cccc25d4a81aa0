"""A postcode typed into search: its neighbourhood, and the places nearest it from the
providers that offer `nearby` (the asset map)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.neighbourhoods.geocoding import PostcodeError, geocode
from portal.pages.services import find_by_postcode

NEARBY_LIMIT = 5


@dataclass
class PostcodeAnswer:
    postcode: str
    page: object = None  # the neighbourhood's page
    error: str = ""
    error_code: str = ""
    nearby: list = field(default_factory=list)
    more_url: str = ""


def answer(text: str, providers, request=None) -> PostcodeAnswer:
    """The neighbourhood page for a typed postcode, or the geocoder's message for why there
    is none, and the nearest places when the postcode is in the area."""
    lookup = find_by_postcode(
        text, _site(request),
        next_step=_("You can search for a place or service by name instead, or browse the "
                    "neighbourhoods."))
    result = PostcodeAnswer(lookup.postcode, page=lookup.page, error=str(lookup.error or ""),
                            error_code=lookup.error_code or "")
    if lookup.page is None and lookup.error_code != "no_page":
        return result
    try:
        location = geocode(text)
    except PostcodeError:
        return result
    for provider in providers:
        nearby = getattr(provider, "nearby", None)
        if nearby is None:
            continue
        hits, more_url = nearby(location, NEARBY_LIMIT)
        result.nearby.extend(hits)
        result.more_url = result.more_url or more_url
    return result


def _site(request):
    if request is None:
        return None
    from wagtail.models import Site

    return Site.find_for_request(request)
