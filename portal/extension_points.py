"""The core's extension points: Wagtail hooks that feature apps register with.

The core imports no feature app. A feature app contributes by registering a function (or a
provider object) under one of the hook names below in its `wagtail_hooks.py`, and the core asks
`wagtail.hooks.get_hooks(name)`. One mechanism for every extension point, so a new app plugs in
the same way everywhere:

| hook | what is registered |
| --- | --- |
| `WHATS_ON` | `fn(request) -> list[dict(title, url, kind, when, neighbourhood, sort_key)]` |
| `NEIGHBOURHOOD_SECTION` | `fn(neighbourhood, request) -> dict(title, template, context) or None` |
| `PERSONAL_DATA` | `fn(user) -> dict[section name, JSON-serialisable data]` |
| `PERSONAL_DATA_ERASURE` | `fn(user, *, delete_free_text: bool)`, before an account goes |
| `OUTCOMES` | `fn(page, cached=True) -> list[dict]`: the plan actions a survey or forum led to |
| `VENUE_PROVIDERS` | an object with `choices()` and `find(key) -> Venue or None` |
| `ORGANISATION_PROVIDERS` | the same, and optionally `find_many(keys)` |
| `SEARCH_PROVIDERS` | a site search provider with `search(query)` (`portal/search/hits.py`) |
| `HAPPENINGS` | `fn(*, since=None) -> Iterable[happenings.Happening]`: feeds, alerts |
| `INSIGHT_SOURCES` | an `InsightSource`: free text to code in the community insight app |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from wagtail import hooks

WHATS_ON = "portal_whats_on"
NEIGHBOURHOOD_SECTION = "portal_neighbourhood_section"
PERSONAL_DATA = "portal_personal_data"
PERSONAL_DATA_ERASURE = "portal_personal_data_erasure"
OUTCOMES = "portal_outcomes"
VENUE_PROVIDERS = "portal_venue_providers"
ORGANISATION_PROVIDERS = "portal_organisation_providers"
SEARCH_PROVIDERS = "portal_search_providers"
HAPPENINGS = "portal_happenings"
INSIGHT_SOURCES = "portal_insight_sources"


def whats_on(request) -> list[dict]:
    """Open surveys, upcoming forums and other current items from every feature app."""
    items = []
    for provider in hooks.get_hooks(WHATS_ON):
        items.extend(provider(request))
    return sorted(items, key=lambda item: (item.get("sort_key") or item.get("title") or ""))


def neighbourhood_sections(neighbourhood, request) -> list[dict]:
    """The sections feature apps contribute to a neighbourhood page, in hook order."""
    providers = hooks.get_hooks(NEIGHBOURHOOD_SECTION)
    sections = (provider(neighbourhood, request) for provider in providers)
    return [section for section in sections if section]


def personal_data(user) -> dict[str, Any]:
    """Every feature app's sections of a person's data, merged."""
    sections: dict[str, Any] = {}
    for exporter in hooks.get_hooks(PERSONAL_DATA):
        sections.update(exporter(user))
    return sections


def erase_personal_data(user, *, delete_free_text: bool = False) -> None:
    """Let every feature app forget what it keeps about a person whose account is about to be
    deleted (hashes, and with `delete_free_text` what they wrote), while the account still
    links to it."""
    for eraser in hooks.get_hooks(PERSONAL_DATA_ERASURE):
        eraser(user, delete_free_text=delete_free_text)


def actions_for_page(page, *, cached: bool = True) -> list[dict]:
    """Plain dicts describing the actions `page` (a survey or forum) led to. Each has at least
    `title` and `url`; plans also give `status`, `status_label`, `priority`, `plan_title` and
    `plan_url`. `cached=False` asks providers to work it out afresh, running the same queries
    whatever the page (the reference look-up relies on that, so it cannot be probed)."""
    if page is None or getattr(page, "pk", None) is None:
        return []
    actions: list[dict] = []
    for provider in hooks.get_hooks(OUTCOMES):
        actions.extend(provider(page, cached=cached))
    return actions


@dataclass(frozen=True)
class Venue:
    """A place something can happen, identified by a stable `key` such as "asset:<uuid>".

    Consumers copy it into their own fields, so they still read well if the place goes."""

    key: str
    name: str
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    url: str = ""
    is_hub: bool = False


@dataclass(frozen=True)
class Organisation:
    """A public organisation: its stable key ("organisation:<uuid>"), name and public page."""

    key: str
    name: str
    url: str = ""


class KeyedProvider(Protocol):
    """What a venue or organisation provider offers: chooser pairs and one item by key."""

    def choices(self) -> Iterable[tuple[str, str]]: ...

    def find(self, key: str) -> Any: ...


class Catalogue:
    """Items offered by every provider registered under one hook, looked up by stable key.

    Providers offer only public items with public fields; consumers store the key and look it
    up when they show it, so a renamed item shows its new name and a removed one drops out."""

    def __init__(self, hook_name: str):
        self.hook_name = hook_name

    def providers(self) -> list[KeyedProvider]:
        return list(hooks.get_hooks(self.hook_name))

    def choices(self) -> list[tuple[str, str]]:
        """(key, label) pairs from every provider, in hook order."""
        return [(str(key), str(label))
                for provider in self.providers() for key, label in provider.choices()]

    def find(self, key: str):
        """The item with this key, or None when no provider offers it (any more)."""
        if not key:
            return None
        for provider in self.providers():
            item = provider.find(key)
            if item is not None:
                return item
        return None

    def find_many(self, keys: Iterable[str]) -> list:
        """The items for these keys that a provider still offers, in the keys' order; asks a
        provider's `find_many(keys)` when it has one (one query for a whole page)."""
        keys = [key for key in keys if key]
        found: dict[str, Any] = {}
        for provider in self.providers():
            wanted = [key for key in keys if key not in found]
            if not wanted:
                break
            if hasattr(provider, "find_many"):
                found.update({item.key: item for item in provider.find_many(wanted)})
            else:
                found.update({key: item for key in wanted
                              if (item := provider.find(key)) is not None})
        return [found[key] for key in dict.fromkeys(keys) if key in found]


venues = Catalogue(VENUE_PROVIDERS)
organisations = Catalogue(ORGANISATION_PROVIDERS)


class InsightSource(Protocol):
    """Free text a feature app offers the community insight app to code (`insight.sources`).

    `rows()` yields dicts with `origin_id`, `text`, `received_on` (a date), `source` (a short
    channel code), `source_label`, `neighbourhood_id`, `language`, `people_count`, `theme_ids`
    and `safeguarding`; only items with text. `apply()` writes an officer's coding back, so the
    app's own evidence counts it; it never changes what was said."""

    origin: str  # stable short name stored with each item, such as "comment"
    label: str
    watched_models: set[str]  # lower-case model labels whose saves and deletes change rows

    def rows(self, origin_ids: Iterable[int] | None = None) -> Iterable[dict]: ...

    def origin_ids_for(self, instance) -> list[int]: ...

    def apply(self, origin_id: int, *, theme_ids: list[int], sentiment: str,
              safeguarding: bool, user) -> None: ...

    def link(self, origin_id: int) -> str: ...


def insight_sources() -> list[InsightSource]:
    """Every feature app's insight source, in hook order."""
    return list(hooks.get_hooks(INSIGHT_SOURCES))
