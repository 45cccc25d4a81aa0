"""Each asset's GeoJSON feature, stored on the asset (`Asset.geojson_feature`) whenever it or
something it shows changes, so `/api/assets.geojson` joins stored text instead of rebuilding.

The stored text is the feature the endpoint serves, except that its "url" is relative to the
asset map page ("harlesden-library/"): the page's address is only known per request (it can
move, and it differs by language), so `collection` puts it in front once for the whole body.
Signal handlers (signals.py) and the bulk paths (importers, boundary changes, the demo loader)
call `features_changed`; inside `deferred_features()` the ids are collected and each asset is
rebuilt once at the end. A feature found empty at request time is built then (self-repair).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import re
from collections import defaultdict

from django.apps import apps as global_apps
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction

CHUNK = 500
HEAD = '{"type":"FeatureCollection","features":['
TAIL = "]}"
# "url":" only occurs where the key is: a quote inside any value is escaped (\").
URL_KEY = '"url":"'
_RELATIVE_URL = re.compile(r'"url":"(?:[^"\\]|\\.)*"')
_pending: contextvars.ContextVar[set | None] = contextvars.ContextVar("pending", default=None)


def feature_texts(ids=None, registry=global_apps) -> dict[int, str]:
    """Compact GeoJSON text of each asset's feature (all assets when `ids` is None), in a
    constant number of queries per 500 assets. `registry` is a migration's `apps` there."""
    asset_model = registry.get_model("assets_map", "Asset")
    assets = asset_model.objects.order_by()
    ids = list(assets.values_list("pk", flat=True)) if ids is None else list(ids)
    texts = {}
    for start in range(0, len(ids), CHUNK):
        texts.update(_chunk_texts(asset_model, ids[start:start + CHUNK]))
    return texts


def _chunk_texts(asset_model, ids: list[int]) -> dict[int, str]:
    rows = asset_model.objects.filter(pk__in=ids).values_list(
        "pk", "slug", "name", "summary", "address", "postcode", "latitude", "longitude",
        "is_hub", "last_verified", "category__name", "category__slug", "organisation__name",
        "neighbourhood__name", "neighbourhood__code")
    pairs = asset_model.themes.through.objects.filter(asset_id__in=ids).values_list(
        "asset_id", "theme__slug", "theme__name")
    themes = defaultdict(list)
    for asset_id, slug, _name in sorted(pairs, key=lambda row: (row[0], row[2])):
        themes[asset_id].append(slug)
    texts = {}
    for (pk, slug, name, summary, address, postcode, lat, lng, hub, checked, category,
         category_slug, organisation, area, code) in rows:
        texts[pk] = json.dumps({
            "type": "Feature",
            "id": slug,
            "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
            "properties": {
                "name": name, "summary": summary, "category": category,
                "category_slug": category_slug, "organisation": organisation,
                "address": address, "postcode": postcode, "neighbourhood": area,
                "neighbourhood_code": code, "themes": themes.get(pk, []), "hub": hub,
                "last_checked": checked.isoformat() if checked else None, "url": f"{slug}/",
            },
        }, separators=(",", ":"))
    return texts


def refresh_features(ids=None, registry=global_apps) -> int:
    """Rebuild and store the features of these assets (all when `ids` is None); returns how
    many were stored. Used by the data migration with its `apps`."""
    asset_model = registry.get_model("assets_map", "Asset")
    texts = feature_texts(ids, registry)
    if len(texts) == 1:
        (pk, text), = texts.items()
        asset_model.objects.filter(pk=pk).update(geojson_feature=text)
    elif texts:  # one prepared UPDATE a row: bulk_update's CASE: 3-5 times slower
        connection = connections[asset_model.objects.db]
        name = connection.ops.quote_name
        meta = asset_model._meta
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {name(meta.db_table)} SET {name('geojson_feature')} = %s "  # noqa: S608
                f"WHERE {name(meta.pk.column)} = %s", [(text, pk) for pk, text in texts.items()])
    return len(texts)


def features_changed(ids) -> None:
    """These assets' features are out of date: rebuild them now, or at the end of the
    enclosing `deferred_features()` block. Also forgets cached open data."""
    from .opendata import assets_changed

    ids = {pk for pk in ids if pk is not None}
    pending = _pending.get()
    if pending is not None:
        pending.update(ids)
        return
    if ids:
        refresh_features(ids)
    assets_changed()


@contextlib.contextmanager
def deferred_features():
    """Collect `features_changed` ids for the length of the block (an import of many rows) and
    rebuild each changed asset once when it ends without an error."""
    if _pending.get() is not None:  # nested: the outer block rebuilds
        yield
        return
    token = _pending.set(set())
    try:
        yield
        ids = _pending.get()
    finally:
        _pending.reset(token)
    if not transaction.get_connection().needs_rollback:  # a dry run: nothing is kept
        features_changed(ids)


def collection(qs, base_url: str) -> bytes:
    """The FeatureCollection of the assets of `qs`, in its order, from their stored features:
    one query, no JSON encoding per feature."""
    texts = _stored_texts(qs)
    if not all(texts):  # saved by a path that bypassed the signals (a raw bulk_create)
        refresh_features(qs.filter(geojson_feature="").order_by().values_list("pk", flat=True))
        texts = _stored_texts(qs)
    body = HEAD + ",".join(texts) + TAIL
    if base_url:
        body = body.replace(URL_KEY, URL_KEY + json.dumps(base_url)[1:-1])
    elif texts:
        body = _RELATIVE_URL.sub('"url":null', body)
    return body.encode()


def _stored_texts(qs) -> list[str]:
    """The stored column of `qs`'s rows in its order: the queryset's own SQL on a plain cursor,
    which skips the ORM's per-row iterator (measured in benchmarks/assets_geojson.py)."""
    query = qs.values_list("geojson_feature")
    try:
        sql, params = query.query.get_compiler(using=query.db).as_sql()
    except EmptyResultSet:  # qs.none(), pk__in=[]
        return []
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
