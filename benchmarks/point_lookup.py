"""Benchmark: which neighbourhood covers a point, with the locator against a naive loop.

Builds 50 neighbourhoods without a database: the 43 real 2013 wards of Brent and Gateshead
(../shared/data/wards/) plus 7 synthetic 0.02° grid cells just outside Gateshead (the first
cells, west to east and south to north, of a grid over Gateshead's bounding box that touch no
ward), so the set does not overlap, as real neighbourhoods do not. Random points (fixed seed),
half in Brent's bounding box and half in Gateshead's, are then located by:

- the portal's NeighbourhoodLocator: locate_many (vectorised) and locate (one call per point);
- a naive loop over all 50 shapely polygons in code order, taking the first that covers the
  point (the polygons are not prepared, as a straightforward implementation would leave them).

Every method must give identical answers. Speeds are printed as points per second and as
ratios to the naive loop measured in the same run, since absolute numbers vary by machine.

Run from the repository root:  .venv/bin/python benchmarks/point_lookup.py [--points N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
WARD_FILES = ["brent_E09000005_wards.geojson", "gateshead_E08000037_wards.geojson"]
GRID_CELLS = 7
GRID_STEP = 0.02


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20240521)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many timings")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from shapely.geometry import box, mapping, shape

    from portal.neighbourhoods.geometry import parse_boundary
    from portal.neighbourhoods.services import NeighbourhoodLocator

    if not (args.data / "wards").is_dir():
        sys.exit(f"The ward files are not in {args.data / 'wards'}; pass --data.")

    items = []  # (id, code, GeoJSON boundary), as the locator reads them from the database
    areas = []  # the bounding box of each authority, where points are drawn
    for file_name in WARD_FILES:
        collection = json.loads((args.data / "wards" / file_name).read_text(encoding="utf-8"))
        geometries = []
        for feature in collection["features"]:
            boundary = parse_boundary(feature)
            items.append((len(items) + 1, feature["properties"]["WD13CD"], boundary.geojson))
            geometries.append(boundary.geometry)
        areas.append(_bounds_of(geometries))
    wards = [shape(boundary) for _, _, boundary in items]
    for cell in _grid_cells_outside(areas[-1], wards, box)[:GRID_CELLS]:
        items.append((len(items) + 1, f"GRID{len(items):03d}", mapping(cell)))

    rng = random.Random(args.seed)
    points = []
    for index in range(args.points):
        min_lng, min_lat, max_lng, max_lat = areas[index % len(areas)]
        points.append((rng.uniform(min_lat, max_lat), rng.uniform(min_lng, max_lng)))

    started = time.perf_counter()
    locator = NeighbourhoodLocator(items)
    build_seconds = time.perf_counter() - started

    # The naive baseline: plain shapely polygons, checked one by one in the same (code) order.
    ordered = sorted(items, key=lambda item: item[1])
    naive_polygons = [(item_id, shape(boundary)) for item_id, _, boundary in ordered]
    from shapely.geometry import Point

    def naive(lat, lng):
        point = Point(lng, lat)
        return next((item_id for item_id, polygon in naive_polygons if polygon.covers(point)),
                    None)

    timings = {}
    answers = {}
    for label, run in [
        ("naive loop", lambda: [naive(lat, lng) for lat, lng in points]),
        ("locator.locate", lambda: [locator.locate(lat, lng) for lat, lng in points]),
        ("locator.locate_many", lambda: locator.locate_many(points)),
    ]:
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            answers[label] = run()
            best = min(best, time.perf_counter() - started)
        timings[label] = best

    baseline = answers["naive loop"]
    for label, found in answers.items():
        mismatches = sum(1 for a, b in zip(found, baseline, strict=True) if a != b)
        assert mismatches == 0, f"{label} disagrees with the naive loop on {mismatches} points"

    inside = sum(1 for found in baseline if found is not None)
    vertices = sum(len(shape(b).exterior.coords) for _, _, b in items)
    print(f"neighbourhoods: {len(items)} (43 real wards + {len(items) - 43} grid cells), "
          f"{vertices} vertices")
    print(f"points: {len(points)} (seed {args.seed}), {inside} inside a neighbourhood, "
          f"{len(points) - inside} outside")
    print(f"locator build: {build_seconds * 1000:.1f} ms")
    naive_rate = len(points) / timings["naive loop"]
    for label, seconds in timings.items():
        rate = len(points) / seconds
        print(f"{label}: {rate:,.0f} points/s ({seconds * 1000:.1f} ms, best of {args.repeat}), "
              f"{rate / naive_rate:.1f}x the naive loop")
    print("answers: identical for all methods")


def _bounds_of(geometries):
    bounds = [geometry.bounds for geometry in geometries]
    return (min(b[0] for b in bounds), min(b[1] for b in bounds),
            max(b[2] for b in bounds), max(b[3] for b in bounds))


def _grid_cells_outside(area, polygons, box):
    """Grid cells over `area` that touch none of `polygons`, south-west first."""
    min_lng, min_lat, max_lng, max_lat = area
    cells = []
    lat = min_lat
    while lat < max_lat:
        lng = min_lng
        while lng < max_lng:
            cell = box(round(lng, 6), round(lat, 6), round(lng + GRID_STEP, 6),
                       round(lat + GRID_STEP, 6))
            if not any(polygon.intersects(cell) for polygon in polygons):
                cells.append(cell)
            lng += GRID_STEP
        lat += GRID_STEP
    return cells


if __name__ == "__main__":
    main()
