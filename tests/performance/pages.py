"""The public pages of the full demo, one of each type, for the query-count tests and the
pages benchmark (benchmarks/pages.py)."""

from __future__ import annotations

import io
import os

from django.core.management import call_command

# What `make run` loads after the borough.
DEMO_COMMANDS = (("load_demo_assets",), ("load_demo_forums",),
                 ("load_demo_surveys", "--responses", "120"),
                 ("load_demo_priorities",), ("load_demo_plans",),
                 ("load_demo_translations", "--strict"))


def load_full_demo() -> str:
    """Load every app's demo after the borough; returns what the last command (the Welsh
    translations, --strict: the demo catalogue must be complete) printed."""
    quiet = open(os.devnull, "w")
    out = io.StringIO()
    for command, *args in DEMO_COMMANDS:
        call_command(command, *args, stdout=out if command == DEMO_COMMANDS[-1][0] else quiet)
    return out.getvalue()


def _first_url(model, **filters) -> str:
    page = model.objects.live().public().filter(locale__language_code="en", **filters).first()
    return page.url if page is not None else ""


def public_pages() -> dict[str, str]:
    """Page type -> an address of that type in the demo (a type missing from the demo is left
    out, and the tests say so)."""
    from assets_map.models import Asset, AssetMapPage
    from forums.models import ForumEventPage, ForumIndexPage
    from plans.models import LocalityPlanIndexPage, LocalityPlanPage
    from portal.pages.models import (
        HomePage,
        NeighbourhoodIndexPage,
        NeighbourhoodPage,
        StandardPage,
    )
    from priorities.models import PrioritiesPage
    from surveys.models import SurveyIndexPage, SurveyPage

    asset_map = _first_url(AssetMapPage)
    asset = Asset.objects.published().order_by("name").first() if asset_map else None
    priorities = _first_url(PrioritiesPage)
    neighbourhood = _first_url(NeighbourhoodPage)
    slug = neighbourhood.rstrip("/").rsplit("/", 1)[-1]
    pages = {
        "home": _first_url(HomePage),
        "neighbourhood index": _first_url(NeighbourhoodIndexPage),
        "neighbourhood": neighbourhood,
        "standard page": _first_url(StandardPage),
        "asset map and list": asset_map,
        "asset list, filtered": f"{asset_map}?q=food" if asset_map else "",
        "asset": f"{asset_map}{asset.slug}/" if asset else "",
        "forum index": _first_url(ForumIndexPage),
        "forum": _first_url(ForumEventPage),
        "survey index": _first_url(SurveyIndexPage),
        "survey introduction": _first_url(SurveyPage),
        "survey results": _results_url(SurveyPage),
        "priorities index": priorities,
        "neighbourhood priorities": f"{priorities}{slug}/" if priorities else "",
        "priorities method": f"{priorities}how-we-worked-this-out/" if priorities else "",
        "plan index": _first_url(LocalityPlanIndexPage),
        "plan": _first_url(LocalityPlanPage),
        "search": "/search/?q=food",
        "feed, all": "/feeds/all.atom",
        "feed, neighbourhood": f"/feeds/neighbourhoods/{slug}.atom",
        "follow (alerts)": "/alerts/",
        "GeoJSON, assets": "/api/assets.geojson",
        "GeoJSON, boundaries": "/api/neighbourhoods/boundaries.geojson",
        "Welsh home": "/cy/",
        "Welsh neighbourhood": f"/cy{neighbourhood}",
        "404": "/no-such-page/",
    }
    return {name: url for name, url in pages.items() if url}


def _results_url(model) -> str:
    page = model.objects.live().public().filter(locale__language_code="en",
                                                results_published=True).first()
    return f"{page.url}results/" if page is not None else ""
