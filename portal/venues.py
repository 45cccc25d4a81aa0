"""Venues other apps can offer: a small registry so forums can meet at a hub or asset.

The core imports no feature app, so a feature app that knows about places (the asset map)
registers a provider from its `AppConfig.ready()`, and a feature app that needs a place (a
forum) asks the registry. A venue is a plain `Venue` copied into the consumer's own fields,
so the consumer still reads well if the place is later removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Venue:
    """A place something can happen, identified by a stable `key` such as "asset:<uuid>"."""

    key: str
    name: str
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    url: str = ""
    is_hub: bool = False


class VenueProvider(Protocol):
    """What a provider offers: its venues for a chooser, and one venue by key."""

    def choices(self) -> Iterable[tuple[str, str]]: ...

    def find(self, key: str) -> Venue | None: ...


_providers: list[VenueProvider] = []


def register_venue_provider(provider: VenueProvider) -> VenueProvider:
    """Add a provider (once; registering the same one again does nothing)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_venue_provider(provider: VenueProvider) -> None:
    """Remove a provider (for tests)."""
    if provider in _providers:
        _providers.remove(provider)


def venue_choices() -> list[tuple[str, str]]:
    """(key, label) pairs from every provider, in registration order."""
    choices: list[tuple[str, str]] = []
    for provider in _providers:
        choices.extend((str(key), str(label)) for key, label in provider.choices())
    return choices


def find_venue(key: str) -> Venue | None:
    """The venue with this key, or None when no provider knows it (any more)."""
    if not key:
        return None
    for provider in _providers:
        venue = provider.find(key)
        if venue is not None:
            return venue
    return None

