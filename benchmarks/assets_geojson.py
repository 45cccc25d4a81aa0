"""Benchmark: the assets GeoJSON endpoint with 10,000 assets, against returning prebuilt bytes.

Creates a throw-away test database (portal.settings.test; SQLite file under test-artifacts/,
deleted afterwards), loads the demo borough's 5 Brent neighbourhoods, then bulk-creates N
published assets (fixed seed) at random points in Brent's bounding box, a third of them with
two themes. It then times, best of --repeat runs, calling the views directly (no middleware,
for both):

- `prebuilt bytes`: a view returning the same GeoJSON body already serialised (the floor);
- `endpoint, cold`: assets_geojson with the cache invalidated first (query + build + dump);
- `endpoint, cached`: assets_geojson again with the cache warm.

and prints each time and its ratio to the prebuilt baseline, plus the endpoint's query count at
100 assets and at N assets (it must not grow). Target: cold under 300 ms at 10,000.

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
    from django.http import HttpResponse
    from django.test.client import RequestFactory
    from django.test.utils import CaptureQueriesContext

    with throwaway_database() as connection:
        run(args, call_command, connection, HttpResponse, RequestFactory,
            CaptureQueriesContext)


def run(args, call_command, connection, HttpResponse, RequestFactory, CaptureQueriesContext):
    from assets_map import opendata, views
    from assets_map.models import Asset, AssetCategory
    from portal.neighbourhoods.services import get_locator
    from portal.themes.models import Theme

    call_command("load_demo_data", stdout=open(os.devnull, "w"))
    call_command("load_demo_assets", stdout=open(os.devnull, "w"))
    Asset.objects.all().delete()
    rng = random.Random(args.seed)
    categories = list(AssetCategory.objects.all())
    themes = list(Theme.objects.all())
    factory = RequestFactory()

    def populate(count):
        points = [(rng.uniform(51.528, 51.600), rng.uniform(-0.335, -0.192))
                  for _ in range(count)]
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

    def endpoint():
        return views.assets_geojson(factory.get("/api/assets.geojson"))

    def count_queries():
        opendata.assets_changed()
        endpoint()  # warm the per-process caches (site root paths)
        opendata.assets_changed()
        with CaptureQueriesContext(connection) as queries:
            endpoint()
        return len(queries)

    populate(100)
    small_queries = count_queries()
    populate(args.assets - 100)
    large_queries = count_queries()

    body = endpoint().content
    prebuilt = HttpResponse(body, content_type="application/geo+json")

    def baseline():
        return HttpResponse(prebuilt.content, content_type="application/geo+json")

    def cold():
        opendata.assets_changed()
        return endpoint()

    floor = best(args.repeat, baseline)
    cold_time = best(args.repeat, cold)
    endpoint()
    warm_time = best(args.repeat, endpoint)
    print(f"assets: {Asset.objects.published().count()} published (seed {args.seed}); "
          f"body {len(body) / 1e6:.2f} MB")
    print(f"prebuilt bytes: {floor * 1000:.2f} ms, 1.0x")
    print(f"endpoint, cold: {cold_time * 1000:.1f} ms, {cold_time / floor:,.0f}x the prebuilt "
          f"bytes (target under 300 ms: {'met' if cold_time < 0.3 else 'NOT met'})")
    print(f"endpoint, cached: {warm_time * 1000:.2f} ms, {warm_time / floor:,.1f}x the prebuilt "
          "bytes")
    print(f"queries: {small_queries} at 100 assets, {large_queries} at {args.assets} "
          f"({'constant' if small_queries == large_queries else 'GROWS'})")


if __name__ == "__main__":
    main()
