"""The core's own search provider: live public pages of every type in the active language,
found through Wagtail's search backend (WAGTAILSEARCH_BACKENDS; the database backend by
default), except the page types another provider answers for."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy
from wagtail.models import Locale, Page, Site
from wagtail.search import index

from .hits import SearchHit, SearchQuery
from .query import stem

_WORD = re.compile(r"\w+")

TITLE, INTRO, BODY = 10.0, 2.0, 1.0
SUMMARY_FIELDS = ("search_description", "introduction", "summary")


class PageSearchProvider:
    kind = "page"
    label = gettext_lazy("Pages")
    page_models = ()

    def __init__(self, excluded=()):
        self.excluded = tuple(excluded)

    def live_pages(self, request=None):
        pages = Page.objects.live().public().filter(locale=Locale.get_active())
        site = Site.find_for_request(request) if request is not None else None
        site = site or Site.objects.filter(is_default_site=True).first()
        if site is not None:
            pages = pages.descendant_of(site.root_page.localized, inclusive=True)
        if self.excluded:
            pages = pages.not_type(*self.excluded)
        return pages

    def search(self, query: SearchQuery) -> list[SearchHit]:
        """Pages the backend finds for any of the terms (it may raise DatabaseError)."""
        # The backend matches whole words: give it the words as typed and their folded forms.
        typed = [word for word in _WORD.findall(query.text.casefold())
                 if stem(word) in query.terms]
        words = " ".join(dict.fromkeys([*typed, *query.terms]))
        found = (self.live_pages(query.request).specific()
                 .search(words, operator="or")[: query.limit])
        hits = []
        for page in found:
            if query.neighbourhood is not None and not covers(page, query.neighbourhood):
                continue
            hits.append(page_hit(page, query.request))
        return hits

    def vocabulary(self):
        return self.live_pages().values_list("title", flat=True)[:5000]


def covers(page, neighbourhood) -> bool:
    """Whether a page is about the neighbourhood: its own, one of its neighbourhoods, or its
    locality's (a page about nowhere in particular is not)."""
    if getattr(page, "neighbourhood_id", None) == neighbourhood.pk:
        return True
    if getattr(page, "locality_id", None) and page.locality_id == neighbourhood.locality_id:
        return True
    related = getattr(page, "neighbourhoods", None)
    return related is not None and related.filter(pk=neighbourhood.pk).exists()


def page_text(page) -> list[tuple[str, float]]:
    """The page's indexed text as (text, weight) pairs: its title, its summary fields, then
    the other fields its model declares for search (StreamField and rich text included)."""
    fields = [(page.title, TITLE)]
    for name in SUMMARY_FIELDS:
        value = getattr(page, name, "")
        if isinstance(value, str) and value:
            fields.append((value, INTRO))
    for search_field in type(page).get_search_fields():
        if not isinstance(search_field, index.SearchField):
            continue
        if search_field.field_name in {"title", *SUMMARY_FIELDS}:
            continue
        value = search_field.get_value(page)
        if isinstance(value, list | tuple):
            value = " ".join(str(item) for item in value)
        if value:
            fields.append((str(value), BODY))
    return fields


def page_hit(page, request=None) -> SearchHit:
    fields = page_text(page)
    summary = next((text for text, weight in fields if weight == INTRO), "")
    body = " ".join(text for text, weight in fields if weight == BODY)
    return SearchHit(
        key=f"page:{page.pk}", kind="page", title=page.title,
        url=page.get_url(request) or "", fields=fields, snippet=summary or body,
    )
