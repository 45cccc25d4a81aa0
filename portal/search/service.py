"""One search over everything public: pages, and whatever the feature apps offer through
`extension_points.SEARCH_PROVIDERS` (assets, organisations, forums, surveys)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils.functional import cached_property
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.models import Site

from portal import extension_points
from portal.neighbourhoods import content_cache

from . import ranking, suggest
from .hits import SearchHit, SearchQuery
from .pages import PageSearchProvider
from .query import query_terms

logger = logging.getLogger(__name__)

MAX_RESULTS = 500
CACHE_SECONDS = 60
ALREADY_STALE = 1.0  # a "fresh until" long past: the cache does not keep the answer


@dataclass
class Result:
    """One result as the page shows it: plain `title`, and escaped HTML with the searched
    words marked in `title_html` and `snippet_html`."""

    hit: SearchHit
    kind_label: str
    terms: tuple[str, ...]

    @property
    def title(self) -> str:
        return self.hit.title

    @property
    def url(self) -> str:
        return self.hit.url

    @cached_property
    def title_html(self):
        return ranking.highlight(self.hit.title, self.terms)

    @cached_property
    def tags_html(self):
        return ranking.highlight(" · ".join(self.hit.tags), self.terms) if self.hit.tags else ""

    @cached_property
    def snippet_html(self):
        return ranking.snippet(snippet_source(self.hit, self.terms), self.terms)


@dataclass
class Outcome:
    results: list[Result] = field(default_factory=list)
    every_word: bool = True
    suggestion: str = ""
    failed: bool = False


def providers() -> list:
    """The registered providers, after the core's page provider (which leaves out the page
    types they answer for)."""
    registered = list(hooks.get_hooks(extension_points.SEARCH_PROVIDERS))
    claimed = [model for provider in registered for model in provider.page_models]
    return [PageSearchProvider(excluded=claimed), *registered]


def kinds() -> list[tuple[str, str]]:
    """(kind, label) of each provider, for the "show only" filter."""
    return [(provider.kind, provider.label) for provider in providers()]


def snippet_source(hit: SearchHit, terms) -> str:
    """The hit's snippet text, or the first of its extracts or longer fields that has a
    searched word."""
    candidates = [hit.snippet, *hit.extracts] + [text for text, weight in hit.fields
                                                 if weight <= 2 and len(text) > 40]
    for text in candidates:
        folded = ranking.plain_text(text).casefold()
        if any(term in folded for term in terms):
            return text
    return hit.snippet


def search(text: str, *, kind: str = "", neighbourhood=None, request=None) -> Outcome:
    """Every provider's hits for `text` (of one `kind` if given, in `neighbourhood` if given),
    ranked together; a provider the database refuses makes the whole search `failed`.

    An answer is kept in the shared cache until content changes, and for at most
    `CACHE_SECONDS` (a survey's "open" or "closed" changes with time), so paging through
    results or asking again costs one query; a failed search is not kept."""
    terms = query_terms(text)
    if not terms:
        return Outcome()
    site = Site.find_for_request(request) if request is not None else None
    asked = "\n".join([text, kind, str(getattr(neighbourhood, "pk", "")),
                        get_language() or "", str(getattr(site, "pk", ""))])
    key = "search:outcome:" + hashlib.sha256(asked.encode()).hexdigest()

    def compute():
        outcome = _search(text, terms, kind=kind, neighbourhood=neighbourhood, request=request)
        return outcome, (ALREADY_STALE if outcome.failed else None)

    return content_cache.cached(key, compute, timeout=CACHE_SECONDS)


def _search(text, terms, *, kind, neighbourhood, request) -> Outcome:
    query = SearchQuery(text=text, terms=terms, neighbourhood=neighbourhood, request=request)
    everyone = providers()
    chosen = [p for p in everyone if not kind or p.kind == kind]
    labels = {p.kind: str(p.label) for p in everyone}
    hits: list[SearchHit] = []
    try:
        for provider in chosen:
            # A savepoint each, so a query a backend refuses leaves the transaction usable.
            with transaction.atomic():
                hits.extend(provider.search(query))
    except DatabaseError:
        logger.warning("The search backend refused the query %r", text, exc_info=True)
        return Outcome(failed=True)
    ranked, every_word = ranking.rank(hits, terms, text)
    matched = {term for hit in ranked for term in hit.matched}
    outcome = Outcome(
        results=[Result(hit, labels.get(hit.kind, ""), terms) for hit in ranked[:MAX_RESULTS]],
        every_word=every_word)
    unmatched = set(terms) - matched
    if unmatched:
        outcome.suggestion = suggest.did_you_mean(text, unmatched, everyone)
    return outcome
