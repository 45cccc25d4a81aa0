"""Organisations other apps can name: a small registry, like portal/venues.py for places.

The core imports no feature app, so a feature app that knows about organisations (the asset
map) registers a provider from its `AppConfig.ready()`, and an app that names partners (a
locality plan) asks the registry. Providers offer only organisations that are public already,
with public fields only. Consumers store the stable `key` ("organisation:<uuid>") and look it
up when they show it, so a renamed organisation shows its new name and a removed one drops out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Organisation:
    """A public organisation: its stable key, its name and its public web page (or "")."""

    key: str
    name: str
    url: str = ""


class OrganisationProvider(Protocol):
    """What a provider offers: (key, label) pairs for a chooser, and one organisation by key."""

    def choices(self) -> Iterable[tuple[str, str]]: ...

    def find(self, key: str) -> Organisation | None: ...


_providers: list[OrganisationProvider] = []


def register_organisation_provider(provider: OrganisationProvider) -> OrganisationProvider:
    """Add a provider (once; registering the same one again does nothing)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_organisation_provider(provider: OrganisationProvider) -> None:
    """Remove a provider (for tests)."""
    if provider in _providers:
        _providers.remove(provider)


def organisation_choices() -> list[tuple[str, str]]:
    """(key, label) pairs from every provider, in registration order."""
    choices: list[tuple[str, str]] = []
    for provider in _providers:
        choices.extend((str(key), str(label)) for key, label in provider.choices())
    return choices


def find_organisation(key: str) -> Organisation | None:
    """The organisation with this key, or None when no provider offers it (any more)."""
    if not key:
        return None
    for provider in _providers:
        organisation = provider.find(key)
        if organisation is not None:
            return organisation
    return None


def find_organisations(keys: Iterable[str]) -> list[Organisation]:
    """The organisations for these keys that a provider still offers, in the keys' order.

    Asks each provider's `find_many(keys)` when it has one (one query for a whole page)."""
    keys = [key for key in keys if key]
    found: dict[str, Organisation] = {}
    for provider in _providers:
        wanted = [key for key in keys if key not in found]
        if not wanted:
            break
        if hasattr(provider, "find_many"):
            found.update({org.key: org for org in provider.find_many(wanted)})
        else:
            for key in wanted:
                organisation = provider.find(key)
                if organisation is not None:
                    found[key] = organisation
    return [found[key] for key in dict.fromkeys(keys) if key in found]
