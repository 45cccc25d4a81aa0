"""Evidence rows for priorities and plans: published assets per neighbourhood and theme.

`rows()` yields plain `EvidenceRow`s, the shape every feature app's evidence module shares:
(neighbourhood_id, theme_id, source, weight, count, date). Here ``source`` is "assets_map",
``count`` is the number of published assets in the neighbourhood serving the theme (from their
location and their themes), ``weight`` is 1.0 (assets are supply, not demand: consumers decide
whether many assets lower a priority or confirm it; priorities shows them as context and does
not score them) and ``date`` is the latest "last checked" date among them. Statistics about
assets are not about people, so no small-number suppression applies.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Count, Max

from portal.evidence_rows import EvidenceRow
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

from .models import Asset

SOURCE = "assets_map"
# How priorities treats these rows: a group of its own, shown as context, not scored.
SOURCE_GROUP = "assets"
CONTEXT_ONLY = True
# Saving or deleting these models changes the rows (priorities' cache listens for them).
CHANGES_WITH = ("assets_map.Asset",)


def rows(neighbourhood=None, since: date | None = None,
         until: date | None = None) -> Iterator[EvidenceRow]:
    """One row per (neighbourhood, theme) with at least one published asset.

    `since` and `until` are accepted for the shared interface and ignored: an asset open
    today is context whatever the period of the evidence.
    """
    qs = Asset.objects.published().filter(neighbourhood__isnull=False, themes__isnull=False)
    if neighbourhood is not None:
        qs = qs.filter(neighbourhood=neighbourhood)
    for row in (qs.values("neighbourhood", "themes")
                .annotate(count=Count("id", distinct=True), date=Max("last_verified"))
                .order_by("neighbourhood", "themes")):
        yield EvidenceRow(row["neighbourhood"], row["themes"], SOURCE, 1.0, row["count"],
                          row["date"])


def gaps_table() -> dict:
    """Neighbourhoods x active themes -> number of published assets serving each, for officers
    looking for gaps (the same counts as `rows()`, zeros included)."""
    neighbourhoods = list(Neighbourhood.objects.order_by("name").values("id", "name"))
    themes = list(Theme.objects.active().order_by("name").values("id", "name"))
    counts = {(row.neighbourhood_id, row.theme_id): row.count for row in rows()}
    return {"themes": [t["name"] for t in themes],
            "rows": [{"neighbourhood": n["name"],
                      "cells": [counts.get((n["id"], t["id"]), 0) for t in themes]}
                     for n in neighbourhoods]}
