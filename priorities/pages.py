"""What priorities contributes to the core's pages, and the pages its evidence came from.

`neighbourhood_section` is registered under `portal.extension_points.NEIGHBOURHOOD_SECTION`
(in `wagtail_hooks`), so each neighbourhood page shows its top priorities without the core
importing priorities.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from wagtail.models import Locale, Page

from .models import PrioritiesPage
from .presentation import TOP, method_info, present
from .ranking import live_ranking
from .snapshots import adopted_priorities


def priorities_page(site=None):
    """The live priorities page (of the site, when given), or None."""
    pages = PrioritiesPage.objects.live().public()
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    localized = pages.filter(locale=Locale.get_active()).first()
    return localized or pages.first()


def evidence_pages(ranking: dict, request=None) -> dict[int, list[dict]]:
    """Per theme, the live public pages (surveys, forums) its evidence came from (one query)."""
    wanted = {page_id for p in ranking["priorities"] for group in p["evidence"].values()
              for page_id in group.get("pages", [])}
    pages = {page.pk: page for page in Page.objects.live().public().filter(pk__in=wanted)}
    found = {}
    for priority in ranking["priorities"]:
        links = []
        for group in ("surveys", "forums"):
            for page_id in (priority["evidence"].get(group) or {}).get("pages", []):
                page = pages.get(page_id)
                if page is not None:
                    links.append({"title": page.title, "url": page.get_url(request),
                                  "group": group})
        found[priority["theme_id"]] = links
    return found


def neighbourhood_section(neighbourhood, request):
    """The 'priorities' section of a neighbourhood page: top priorities and a link."""
    page = priorities_page(getattr(request, "site", None) if request else None)
    if page is None:
        return None
    ranking = live_ranking(neighbourhood)
    adopted = list(adopted_priorities(neighbourhood))
    if not ranking["priorities"] and not adopted:
        return None
    return {"title": gettext_lazy("Priorities"),
            "template": "priorities/includes/neighbourhood_section.html",
            "context": {"live": present(ranking, limit=TOP), "adopted": adopted,
                        "method": method_info(ranking["method"]),
                        "method_url": page.get_url(request) + page.reverse_subpage(
                            "method_route"),
                        "url": page.get_url(request) + page.reverse_subpage(
                            "neighbourhood_route", kwargs={"slug": neighbourhood.slug})}}
