"""Open data about assets: GeoJSON and CSV, and the version key that keeps their cache fresh.

Open Referral UK is in `openreferral.py`.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict

from django.core.cache import cache
from django.db.models import CharField
from django.db.models.functions import Cast

from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

from .models import Asset, AssetCategory, Organisation

VERSION_KEY = "assets_map:version"
CSV_HEADER = [
    "external_id", "name", "category", "organisation", "summary", "address", "postcode",
    "latitude", "longitude", "neighbourhood_code", "themes", "hub", "step_free_access",
    "accessible_toilet", "hearing_loop", "bsl", "languages", "website", "status", "last_checked",
]


# --- cache versioning -------------------------------------------------------------------------

def data_version() -> str:
    """A token that changes whenever any asset changes, for keys of cached open-data output."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    return version


def assets_changed() -> None:
    """Forget every cached open-data output (a new version key, seen by every process)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


# --- GeoJSON ----------------------------------------------------------------------------------

def _themes_by_asset(qs) -> dict[int, list[str]]:
    """Theme slugs per asset of a queryset, in two small queries whatever its size."""
    slugs = dict(Theme.objects.values_list("pk", "slug"))
    names = dict(Theme.objects.values_list("pk", "name"))
    through = Asset.themes.through
    themes = defaultdict(list)
    pairs = through.objects.filter(asset__in=qs.order_by().values("pk"))
    for asset_id, theme_id in sorted(pairs.values_list("asset_id", "theme_id"),
                                     key=lambda pair: (pair[0], names[pair[1]])):
        themes[asset_id].append(slugs[theme_id])
    return themes


def geojson(qs, base_url: str) -> dict:
    """An RFC 7946 FeatureCollection of assets as Points (lon, lat), in a constant number of
    queries. Each feature's id is the asset's slug (stable, and its page's address).

    Names of categories, organisations and neighbourhoods come from small look-up tables rather
    than joins, and the date as text, which keeps the per-row cost low at 10,000 assets.
    """
    rows = list(qs.annotate(checked=Cast("last_verified", CharField())).values_list(
        "id", "slug", "name", "summary", "address", "postcode", "latitude", "longitude",
        "is_hub", "checked", "category_id", "organisation_id", "neighbourhood_id",
    ))
    if not rows:
        return {"type": "FeatureCollection", "features": []}
    themes = _themes_by_asset(qs)
    categories = {pk: (name, slug) for pk, name, slug in
                  AssetCategory.objects.values_list("pk", "name", "slug")}
    organisations = dict(Organisation.objects.filter(assets__in=qs.order_by().values("pk"))
                         .values_list("pk", "name").distinct())
    neighbourhoods = {pk: (name, code) for pk, name, code in
                      Neighbourhood.objects.values_list("pk", "name", "code")}
    no_area = (None, None)
    features = []
    for (pk, slug, name, summary, address, postcode, lat, lng, hub, checked, category_id,
         organisation_id, neighbourhood_id) in rows:
        category, category_slug = categories[category_id]
        area, code = neighbourhoods.get(neighbourhood_id, no_area)
        features.append({
            "type": "Feature",
            "id": slug,
            "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
            "properties": {
                "name": name, "summary": summary, "category": category,
                "category_slug": category_slug,
                "organisation": organisations.get(organisation_id),
                "address": address, "postcode": postcode, "neighbourhood": area,
                "neighbourhood_code": code, "themes": themes.get(pk, []), "hub": hub,
                "last_checked": checked, "url": f"{base_url}{slug}/" if base_url else None,
            },
        })
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(qs, base_url: str, cache_key: str | None = None) -> bytes:
    """The FeatureCollection serialised, cached per filter set until an asset changes."""
    if cache_key:
        key = f"assets_map:geojson:{data_version()}:{base_url}:{cache_key}"
        cached = cache.get(key)
        if cached is not None:
            return cached
    body = json.dumps(geojson(qs, base_url), separators=(",", ":")).encode()
    if cache_key:
        cache.set(key, body, 600)
    return body


# --- CSV --------------------------------------------------------------------------------------

def csv_rows(qs):
    """Published assets as CSV rows under `CSV_HEADER` (the importer reads the same columns).
    No personal details. `portal.spreadsheets` writes them: a name or summary a spreadsheet
    would run as a formula gets a quote in front, which the importer takes off again."""
    rows = list(qs.values(
        "id", "uuid", "external_id", "name", "category__slug", "organisation__name", "summary",
        "address", "postcode", "latitude", "longitude", "neighbourhood__code", "is_hub",
        "step_free_access", "accessible_toilet", "hearing_loop", "bsl", "languages", "website",
        "status", "last_verified",
    ))
    themes = _themes_by_asset(qs) if rows else {}
    for row in rows:
        yield [
            row["external_id"] or f"portal:{row['uuid']}", row["name"], row["category__slug"],
            row["organisation__name"] or "", row["summary"], row["address"], row["postcode"],
            f"{row['latitude']:.6f}", f"{row['longitude']:.6f}", row["neighbourhood__code"] or "",
            ";".join(themes.get(row["id"], [])), _yes(row["is_hub"]),
            _yes(row["step_free_access"]), _yes(row["accessible_toilet"]),
            _yes(row["hearing_loop"]), _yes(row["bsl"]), row["languages"], row["website"],
            row["status"], row["last_verified"].isoformat() if row["last_verified"] else "",
        ]


def _yes(value: bool) -> str:
    return "yes" if value else "no"
