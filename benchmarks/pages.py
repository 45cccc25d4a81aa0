"""Benchmark: queries and time per public page of the full demo, against the 404 page.

Loads what `make run` loads (the demo borough, then every app's demo) into a throwaway test
database, asks each page once to warm the caches, then times `--repeat` requests of each
(median) through Django's test client, so every middleware runs as for a visitor. Prints one
line per page: its queries, its median time, and that time as a ratio to the 404 page's
measured in the same run (the 404 page goes through the same middleware, menus and footer).
The query budget for a public page is 15 (tests/performance/test_query_counts.py).

Run from the repository root:  .venv/bin/python benchmarks/pages.py [--repeat N] [--signed-in]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from harness import REPO, setup_django, throwaway_database


def measure(client, url: str, repeat: int) -> tuple[int, int, float]:
    """(status, queries, median milliseconds) of `url` once its caches are warm."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        # Not savepoints: the benchmark runs outside a transaction, as production does.
        if not sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            queries.append(sql)
        return execute(sql, params, many, context)

    client.get(url)
    with connection.execute_wrapper(count):
        response = client.get(url)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return response.status_code, len(queries), statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--signed-in", action="store_true", help="as a signed-in resident")
    args = parser.parse_args()
    setup_django()
    sys.path.insert(0, str(REPO))
    from django.core.management import call_command
    from django.test import Client

    from tests.performance.pages import load_full_demo, public_pages

    with throwaway_database():
        call_command("load_demo_data", stdout=open(os.devnull, "w"))
        load_full_demo()
        client = Client()
        if args.signed_in:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.create_user(email="bench@example.org",
                                                        password="bench-password-2026")
            client.force_login(user)
        pages = public_pages()
        results = {name: measure(client, url, args.repeat) for name, url in pages.items()}
    baseline = results["404"][2]
    audience = "signed in" if args.signed_in else "anonymous"
    print(f"pages ({audience}), median of {args.repeat}; 404 page: {baseline:.1f} ms, "
          f"{results['404'][1]} queries")
    print(f"{'page':28s} {'status':>6s} {'queries':>7s} {'ms':>8s} {'x 404':>6s}")
    for name, (status, queries, ms) in results.items():
        print(f"{name:28s} {status:6d} {queries:7d} {ms:8.1f} {ms / baseline:6.2f}")
    over = [name for name, (_status, queries, _ms) in results.items() if queries > 15]
    print(f"over 15 queries: {len(over)} of {len(results)}" + (f" ({', '.join(over)})"
                                                             if over else ""))


if __name__ == "__main__":
    main()
