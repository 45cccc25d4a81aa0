"""What forums offer the site search (registered under `extension_points.SEARCH_PROVIDERS`):
live public forums in the active language, past and to come, by their public text and the
support they offer (BSL, hearing loop, childcare). Joining links and instructions are never
searched: they are for confirmed attendees only."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from portal.search.hits import SearchHit, SearchQuery
from portal.search.matching import rank_by_terms

from .formatting import when_text
from .models import ForumEventPage

TITLE, NAMES, TEXT = 10.0, 4.0, 1.0
LOOKUPS = ("title", "summary", "venue_name", "venue_address", "accessibility_notes",
           "minutes")
# Each support a forum can offer, and the words that mean it.
SUPPORT = {
    "step_free_access": gettext_lazy("Step-free access wheelchair"),
    "hearing_loop": gettext_lazy("Hearing loop induction deaf"),
    "interpreters_on_request": gettext_lazy("Interpreters on request translation language"),
    "bsl_on_request": gettext_lazy("British Sign Language (BSL) on request deaf"),
    "childcare": gettext_lazy("Childcare available children creche"),
}


def _words(text) -> list[str]:
    return str(text).casefold().replace("(", " ").replace(")", " ").split()


def _support_for(term: str):
    if len(term) < 3:
        return None
    condition = Q()
    for name, words in SUPPORT.items():
        if any(word.startswith(term) for word in _words(words)):
            condition |= Q(**{name: True})
    return condition or None


class ForumSearchProvider:
    kind = "forum"
    label = gettext_lazy("Forums")
    page_models = (ForumEventPage,)

    def forums(self, neighbourhood=None):
        forums = ForumEventPage.objects.live().public().filter(locale=Locale.get_active())
        if neighbourhood is not None:
            forums = forums.filter(pk__in=ForumEventPage.objects.filter(
                neighbourhoods=neighbourhood).values("pk"))
        return forums

    def search(self, query: SearchQuery) -> list[SearchHit]:
        """Forums with any of the terms in their public text or the support they offer."""
        found = rank_by_terms(self.forums(query.neighbourhood).order_by("-start"), query.terms,
                              LOOKUPS, _support_for, query.limit)
        return [self.hit(forum, query.request)
                for forum in found.prefetch_related("neighbourhoods")]

    def hit(self, forum, request=None) -> SearchHit:
        support = [str(words) for name, words in SUPPORT.items() if getattr(forum, name)]
        names = ", ".join(n.name for n in forum.neighbourhoods.all())
        meta = [when_text(forum)] + ([names] if names else [])
        if forum.is_cancelled:
            meta.insert(0, _("Cancelled"))
        return SearchHit(
            key=f"page:{forum.pk}", kind=self.kind, title=forum.title,
            url=forum.get_url(request) or "",
            fields=[(forum.title, TITLE), (forum.summary, TEXT), (forum.venue_name, NAMES),
                    (forum.venue_address, TEXT), (forum.accessibility_notes, TEXT),
                    (forum.minutes, TEXT), *[(words, NAMES) for words in support]],
            snippet=forum.summary, meta=" · ".join(meta),
        )

    def vocabulary(self):
        yield from self.forums().values_list("title", flat=True)[:2000]
        yield from (str(words) for words in SUPPORT.values())


provider = ForumSearchProvider()
