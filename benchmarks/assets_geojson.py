"""Benchmark: the assets GeoJSON endpoint with 10,000 assets, against a raw fetch of the stored
features.

Creates a throw-away test database (portal.settings.test; SQLite file under test-artifacts/,
deleted afterwards), loads the demo borough's 5 Brent neighbourhoods, then bulk-creates N
published assets (fixed seed) at random points in Brent's bounding box, a third of them with
two themes, and builds their stored features (`features.refresh_features`, the bulk path a
data migration or a boundary change takes; timed). It then times, best of --repeat runs,
calling the views directly (no middleware):

- `raw fetch`: one SQL SELECT of the stored column of the published assets, in name order,
  joined into the FeatureCollection body and encoded (the floor the issue sets);
- `endpoint, cold`: assets_geojson with the cache invalidated first (filters, version, query,
  join, page urls, storing the body in the cache);
- `endpoint, again`: assets_geojson again (bodies over `opendata.MAX_CACHED_BYTES` are not
  cached, so for every asset this is the cold path again), and `?hubs=on` cold and cached;
- `endpoint, 304`: a request with the ETag of the last response in If-None-Match;

and prints each time and its ratio to the raw fetch, plus the endpoint's query count at 100
assets and at N assets (it must not grow). Targets: cold under 300 ms at 10,000 on a quiet
machine, and within 1.5 times the raw fetch.

Run from the repository root:  .venv/bin/python benchmarks/assets_geojson.py [--assets N]
"""

from __future__ import annotations

import argparse
import os
import random
import time

from harness import setup_django, throwaway_database


def best(repeat, function):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--repeat", type=int, default=5, help="best of this many timings")
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.test.client import RequestFactory
    from django.test.utils import CaptureQueriesContext

    with throwaway_database() as connection:
        run(args, call_command, connection, RequestFactory, CaptureQueriesContext)


def run(args, call_command, connection, RequestFactory, CaptureQueriesContext):
    from assets_map import features, opendata, views
    from assets_map.models import Asset

    call_command("load_demo_data", stdout=open(os.devnull, "w"))
    call_command("load_demo_assets", stdout=open(os.devnull, "w"))
    Asset.objects.all().delete()
    rng = random.Random(args.seed)
    factory = RequestFactory()

    def endpoint(query=None, **headers):
        return views.assets_geojson(factory.get("/api/assets.geojson", query, headers=headers))

    def count_queries():
        opendata.assets_changed()
        endpoint()  # warm the per-process caches (site root paths)
        opendata.assets_changed()
        with CaptureQueriesContext(connection) as queries:
            endpoint()
        return len(queries)

    def after_a_change(query=None):
        opendata.assets_changed()
        return endpoint(query)

    populate(rng, 100)
    features.refresh_features()
    figures = {"small_queries": count_queries()}
    populate(rng, args.assets - 100)
    start = time.perf_counter()
    features.refresh_features()
    figures["refresh"] = time.perf_counter() - start
    figures["large_queries"] = count_queries()
    figures["body"] = len(endpoint().content)
    figures["floor"] = best(args.repeat, lambda: raw_fetch(connection))
    figures["cold"] = best(args.repeat, after_a_change)
    figures["again"] = best(args.repeat, endpoint)
    hubs = {"hubs": "on"}
    figures["hubs_body"] = len(endpoint(hubs).content)
    figures["hubs_cold"] = best(args.repeat, lambda: after_a_change(hubs))
    figures["hubs_warm"] = best(args.repeat, lambda: endpoint(hubs))
    etag = endpoint()["ETag"]
    assert endpoint(if_none_match=etag).status_code == 304
    figures["304"] = best(args.repeat, lambda: endpoint(if_none_match=etag))
    report(args, figures, Asset.objects.published().count(), opendata.MAX_CACHED_BYTES)


def populate(rng, count):
    """Bulk-create `count` published assets at random points in Brent, a third with two
    themes (no signals: their features are built by `refresh_features` afterwards)."""
    from assets_map import opendata
    from assets_map.models import Asset, AssetCategory
    from portal.neighbourhoods.services import get_locator
    from portal.themes.models import Theme

    categories, themes = list(AssetCategory.objects.all()), list(Theme.objects.all())
    points = [(rng.uniform(51.528, 51.600), rng.uniform(-0.335, -0.192)) for _ in range(count)]
    located = get_locator().locate_many(points)
    start = Asset.objects.count()
    Asset.objects.bulk_create([
        Asset(name=f"Asset {start + i}", slug=f"asset-{start + i}",
              category=rng.choice(categories), latitude=lat, longitude=lng,
              neighbourhood_id=hood, status=Asset.PUBLISHED, is_hub=rng.random() < 0.02,
              summary="A benchmark asset.", address=f"{i} High Road", postcode="NW10 8SE")
        for i, ((lat, lng), hood) in enumerate(zip(points, located, strict=True))
    ], batch_size=1000)
    through = Asset.themes.through
    new_ids = list(Asset.objects.order_by("-id").values_list("id", flat=True)[:count])
    through.objects.bulk_create([
        through(asset_id=asset_id, theme_id=theme.pk)
        for asset_id in new_ids if rng.random() < 1 / 3
        for theme in rng.sample(themes, 2)
    ], batch_size=1000)
    opendata.assets_changed()


def raw_fetch(connection) -> bytes:
    """The floor: one SELECT of the stored column, joined into the body and encoded."""
    from assets_map import features
    from assets_map.models import Asset

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT geojson_feature FROM {Asset._meta.db_table} "  # noqa: S608
                       "WHERE status = %s ORDER BY name", [Asset.PUBLISHED])
        texts = [row[0] for row in cursor.fetchall()]
    return (features.HEAD + ",".join(texts) + features.TAIL).encode()


def report(args, figures: dict, published: int, max_cached: int) -> None:
    floor, cold = figures["floor"], figures["cold"]
    ratio = cold / floor
    print(f"assets: {published} published (seed {args.seed}); body {figures['body'] / 1e6:.2f} "
          f"MB; building every stored feature took {figures['refresh'] * 1000:.0f} ms")
    print(f"raw fetch of the stored features: {floor * 1000:.1f} ms, 1.0x")
    print(f"endpoint, cold: {cold * 1000:.1f} ms, {ratio:.2f}x the raw fetch (targets: "
          f"under 300 ms {'met' if cold < 0.3 else 'NOT met'}, within 1.5x "
          f"{'met' if ratio <= 1.5 else 'NOT met'})")
    print(f"endpoint, again: {figures['again'] * 1000:.1f} ms, {figures['again'] / floor:.2f}x "
          f"the raw fetch (bodies over {max_cached / 1e6:g} MB are not cached)")
    print(f"endpoint, ?hubs=on ({figures['hubs_body'] / 1e3:.0f} kB): cold "
          f"{figures['hubs_cold'] * 1000:.1f} ms, cached {figures['hubs_warm'] * 1000:.1f} ms")
    print(f"endpoint, 304: {figures['304'] * 1000:.2f} ms, {figures['304'] / floor:.3f}x the "
          "raw fetch")
    small, large = figures["small_queries"], figures["large_queries"]
    print(f"queries: {small} at 100 assets, {large} at {args.assets} "
          f"({'constant' if large <= small else 'GROWS'}; at 100 the body is also stored in "
          "the cache)")


if __name__ == "__main__":
    main()
