"""Open data about assets: GeoJSON and CSV, and the version key that keeps their cache fresh.

Open Referral UK is in `openreferral.py`.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.utils.http import parse_etags
from django.utils.translation import gettext as _

from portal.themes.models import Theme

from . import features
from .models import ACCESSIBILITY_FEATURES, Asset

VERSION_KEY = "assets_map:version"
MAX_VALUE_LENGTH = 200  # longer than any filter value (a bbox, a search, a slug)
# Bodies up to this size are cached. A larger one (every asset of a borough: 4.4 MB at 10,000)
# is joined from the stored features in about the time the database cache takes to read it
# back, and storing it there cost as much again (benchmarks/assets_geojson.py); its ETag still
# saves the transfer.
MAX_CACHED_BYTES = 1_000_000
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
    """Forget every cached open-data output (a new version key, seen by every process), now
    and again when the transaction commits: a request between the two saw the old rows."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


# --- GeoJSON ----------------------------------------------------------------------------------

def filters_key(filters: dict) -> str | None:
    """A short key for a set of cleaned filters (forms.AssetFilterForm, plus bbox): the same
    for the same filters however they were written (order, repeats, postcode spacing), None
    when the answer changes by the minute ("open now") and must not be cached."""
    if filters.get("open_now"):
        return None
    location = filters.get("location")
    normal = {
        "category": getattr(filters.get("category"), "slug", None),
        "theme": getattr(filters.get("theme"), "slug", None),
        "neighbourhood": getattr(filters.get("neighbourhood"), "slug", None),
        "features": sorted(set(filters.get("features") or [])),
        "hubs": bool(filters.get("hubs")), "q": filters.get("q") or "",
        "near": [location.latitude, location.longitude] if location else None,
        "bbox": list(filters["bbox"]) if filters.get("bbox") else None,
    }
    return hashlib.sha256(json.dumps(normal, sort_keys=True).encode()).hexdigest()


def parameter_problems(query, fields: list[str]) -> dict | None:
    """The body of a 400 for filter parameters no caller means (a value too long to be a
    filter, or one parameter given several times: only `features` takes several values),
    naming the accepted ones; None if there are none. Parameters that are not filters are
    ignored (the map page passes its own query string on) and kept out of the cache key."""
    errors = {}
    for name in fields:
        values = query.getlist(name)
        limit = len(ACCESSIBILITY_FEATURES) if name == "features" else 1
        if len(values) > limit:
            errors[name] = [_("Give “%(name)s” once.") % {"name": name} if limit == 1 else
                            _("Give “%(name)s” at most %(count)s times.")
                            % {"name": name, "count": limit}]
        elif any(len(value) > MAX_VALUE_LENGTH for value in values):
            errors[name] = [_("“%(name)s” may be at most %(max)s characters long.")
                            % {"name": name, "max": MAX_VALUE_LENGTH}]
    return {"errors": errors, "accepted": fields} if errors else None


def geojson_etag(version: str, base_url: str, key: str) -> str:
    """The ETag of a cached FeatureCollection: changes with the data, the filters and the
    address of the map page (the features' urls)."""
    digest = hashlib.sha256(f"{version}|{base_url}|{key}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def etag_matches(header: str, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag (weakly, as RFC 9110 says) or "*"."""
    tags = {tag.removeprefix("W/") for tag in parse_etags(header)} if header else set()
    return "*" in tags or etag in tags


def geojson_bytes(qs, base_url: str, cache_key: str | None = None,
                  version: str | None = None) -> bytes:
    """The FeatureCollection of `qs` joined from stored features (features.py), cached (up to
    MAX_CACHED_BYTES) per normalised filter set (`filters_key`) until an asset changes."""
    if cache_key:
        key = f"assets_map:geojson:{version or data_version()}:{base_url}:{cache_key}"
        cached = cache.get(key)
        if cached is not None:
            return cached
    body = features.collection(qs, base_url)
    if cache_key and len(body) <= MAX_CACHED_BYTES:
        cache.set(key, body, 600)
    return body


# --- CSV --------------------------------------------------------------------------------------

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
