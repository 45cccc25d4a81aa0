"""What the site search asks of its providers and what they give back.

A provider is registered under `extension_points.SEARCH_PROVIDERS` from a feature app's
`wagtail_hooks.py` (the core never imports the apps). It is an object with:

- `kind` (a short stable name, "asset") and `label` (translated, "Places and services"): one
  entry of the search's "show only" filter;
- `page_models`: the page types it answers for itself, left out of the core's page search
  (empty for other models);
- `search(query: SearchQuery) -> list[SearchHit]`: public items matching any of the query's
  terms, best first, at most `query.limit` (use `matching.rank_by_terms`);
- `vocabulary() -> Iterable[str]`: public names and titles, the words "did you mean" draws
  on;
- optionally `nearby(location, limit) -> (list[SearchHit], more_url)`: the items nearest a
  postcode's point, offered when someone types a postcode.

The core scores every hit the same way from its `fields` (see `ranking.py`), so providers
do not have to agree on a scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SearchQuery:
    """A cleaned search: its text, the terms to match (casefolded, see `query.query_terms`),
    the neighbourhood it is narrowed to (or None) and how many hits a provider may return."""

    text: str
    terms: tuple[str, ...]
    neighbourhood: Any = None
    limit: int = 200
    request: Any = None


@dataclass
class SearchHit:
    """One public thing that matched.

    `key` is stable and unique across kinds ("asset:<uuid>", "page:42"); `fields` are
    (plain text or HTML, weight) pairs the core scores, title included (weight 10 for a title,
    4 for names of categories, services or features, 1 for descriptions, less for themes);
    `snippet` is the text the result's extract is taken from, unless it lacks every searched
    word and one of `extracts` (other public text: a service, a question) has one; `meta` a
    short line of facts ("Food support · Harlesden"); `tags` short labels shown with it
    (accessibility features).
    """

    key: str
    kind: str
    title: str
    url: str
    fields: list[tuple[str, float]] = field(default_factory=list)
    snippet: str = ""
    extracts: list[str] = field(default_factory=list)
    meta: str = ""
    tags: tuple[str, ...] = ()
    score: float = 0.0
    matched: frozenset[str] = frozenset()
