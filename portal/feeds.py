"""Atom feeds of what's new (`portal.happenings`): one for the whole site and one per
neighbourhood (its own happenings and the whole area's), in the reader's language.

Entry and feed ids are tag URIs on the configured public address (PORTAL_BASE_URL) with the
happening's stable id, so a feed reader never shows an entry twice, whichever host name served
it. Feeds may be cached for `FEED_MAX_AGE` seconds and answer conditional requests (ETag,
Last-Modified) with 304.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from . import happenings
from .neighbourhoods import content_cache
from .neighbourhoods.models import Neighbourhood
from .pages.models import NeighbourhoodPage, PortalSettings

FEED_MAX_AGE = 15 * 60
FEED_LIMIT = 50
ALREADY_STALE = 1.0  # a "fresh until" long past: the cache does not keep the value
TAG_YEAR = "2026"  # the year in every tag URI: never change it, or every id changes


def tag_uri(specific: str) -> str:
    """A tag URI (RFC 4151) on the portal's configured host: stable ids for feeds and entries."""
    host = urlsplit(happenings.site_base_url()).hostname or "localhost"
    return f"tag:{host},{TAG_YEAR}:{quote(specific, safe=':/-_.')}"


@dataclass
class FeedContext:
    """What one request's feed is about: the whole site or one neighbourhood."""

    site_name: str
    home_url: str
    neighbourhood: Neighbourhood | None
    items: list


class HappeningsFeed(Feed):
    """What's new as Atom: surveys opened, results, "you said, we did", forums, plans, reports."""

    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        neighbourhood = get_object_or_404(Neighbourhood, slug=slug) if slug else None
        site = Site.find_for_request(request)
        settings = PortalSettings.for_site(site) if site else None
        return FeedContext(
            site_name=settings.site_name if settings else _("Neighbourhood portal"),
            home_url=_home_url(site, neighbourhood),
            neighbourhood=neighbourhood,
            items=happenings.select(_collected(), neighbourhood=neighbourhood,
                                    limit=FEED_LIMIT, language=get_language()),
        )

    def title(self, obj):
        if obj.neighbourhood is None:
            return _("What's new: %(site)s") % {"site": obj.site_name}
        return _("What's new in %(neighbourhood)s: %(site)s") % {
            "neighbourhood": obj.neighbourhood.name, "site": obj.site_name}

    def subtitle(self, obj):
        return _("Surveys opening, results, “you said, we did”, neighbourhood forums, locality "
                 "plans and monthly highlight reports.")

    def link(self, obj):
        return obj.home_url

    def feed_url(self, obj):
        if obj.neighbourhood is None:
            return reverse("feed_all")
        return reverse("feed_neighbourhood", args=[obj.neighbourhood.slug])

    def feed_guid(self, obj):
        if obj.neighbourhood is None:
            return tag_uri("feeds:all")
        return tag_uri(f"feeds:neighbourhood:{obj.neighbourhood.code}")

    def author_name(self, obj):
        return obj.site_name

    def items(self, obj):
        return obj.items

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return escape(item.summary)  # Atom's summary is HTML; ours is plain text

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return tag_uri(item.id)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.happened_at

    def item_updateddate(self, item):
        return item.happened_at

    def item_categories(self, item):
        return [item.kind_label]


def _collected() -> list:
    """Every provider's happenings in the active language (`happenings.collect()`), kept in
    the shared cache until content changes. What has happened by now is chosen per request
    (a scheduled item appears on time); a list a provider failed to add to is not kept."""
    def compute():
        failed = []
        items = happenings.collect(failed=failed)
        return items, (ALREADY_STALE if failed else None)

    return content_cache.cached(f"feeds:happenings:{get_language()}", compute)


def _home_url(site, neighbourhood) -> str:
    """The page the feed is the news of: the neighbourhood's page, else the home page, in the
    active language where there is a copy."""
    page = None
    if neighbourhood is not None:
        page = (NeighbourhoodPage.objects.live().public().filter(neighbourhood=neighbourhood)
                .select_related("locale").first())
    if page is None and site is not None:
        page = site.root_page
    if page is None:
        return "/"
    return page.localized.get_url() or "/"


feed = HappeningsFeed()


def _serve(request, **kwargs):
    response = feed(request, **kwargs)
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    set_response_etag(response)
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(request, etag=response.get("ETag"),
                                    last_modified=last_modified, response=response)


def all_feed(request):
    """What's new on the whole site."""
    return _serve(request)


def neighbourhood_feed(request, slug):
    """What's new in one neighbourhood (and the whole area); 404 for an unknown one."""
    return _serve(request, slug=slug)
