"""The cache every process shares (`CACHES` in portal/settings/base.py): its table and its keys.

By default the cache is a table in the database, so rate-limit counters, cache versions and
results are the same in every gunicorn worker; Redis replaces it when `REDIS_URL` is set.
"""

from __future__ import annotations

from django.core.management import call_command

# Keys of rate-limit counters: the portal's (portal.ratelimit) and allauth's.
COUNTER_PREFIXES = ("rate:", "allauth:rl:")


def cache_key(key: str, key_prefix: str, version) -> str:
    """Django's key function (`KEY_FUNCTION`), except that counters sort after every other key.

    The database cache culls (when over `MAX_ENTRIES`) expired entries first and then the
    lowest keys, so a flood of distinct results-cache entries empties the results, not the
    counters that stop password guessing.
    """
    last = "~" if key.startswith(COUNTER_PREFIXES) else ""
    return f"{last}{key_prefix}:{version}:{key}"


def create_cache_table(sender, using="default", **kwargs) -> None:
    """Create the database cache's table (if the cache is the database) before migrating.

    Connected to `pre_migrate` (portal/apps.py), so `migrate` alone prepares a database, for
    `make run`, the test runner and deployments alike. Not a migration: data migrations of
    other apps save models whose signal handlers already use the cache, and a migration
    cannot be ordered before those on a database where they are already applied.
    `pre_migrate` is sent once per app; contenttypes (always installed) stands for them all.
    """
    if sender.label == "contenttypes":
        call_command("createcachetable", database=using, verbosity=0)
