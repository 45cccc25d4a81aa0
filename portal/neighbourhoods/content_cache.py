"""Parts of public pages kept in the shared cache against one content version (issue 19).

The sections feature apps add to a neighbourhood page and the priorities pages' figures cost
a dozen queries a request, and change only when content does. Each is stored with the
content version it was computed for and read back together with the current version in one
`get_many` (one query with the database cache). Saving or deleting anything these parts show
(a page, an asset, a theme, a snapshot, a neighbourhood...) moves the version on, now and
again when the transaction commits (another process may have cached the old rows in
between); so do new rankings (`priorities.ranking`). An entry also lapses after `TIMEOUT`
seconds, or sooner when what it shows changes with time (a forum starting, a survey closing).
"""

from __future__ import annotations

import threading
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "content:version"
TIMEOUT = 300
_local = threading.local()  # how many times this thread moved the version on

# What the cached parts show: every page type, these core models, and the models each app
# names in its AppConfig's `shown_on_public_pages`. Not responses, answers, registrations and
# the like, saved many times a minute and shown on none of these parts.
CORE_MODELS = {
    "wagtailcore": {"pageviewrestriction", "locale", "site"},
    "neighbourhoods": {"locality", "neighbourhood"},
    "deprivation": {"neighbourhoodneed"},
    "themes": {"theme"},
}


def content_changed(**kwargs) -> None:
    """Move the content version on, at once and once more when the transaction commits."""
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
            entry[1] is _bump for entry in connection.run_on_commit):
        transaction.on_commit(_bump)


def _bump() -> None:
    _local.bumps = getattr(_local, "bumps", 0) + 1
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _shown(model) -> bool:
    from wagtail.models import Page

    meta = model._meta
    declared = getattr(meta.app_config, "shown_on_public_pages", set())
    return (issubclass(model, Page) or meta.model_name in declared
            or meta.model_name in CORE_MODELS.get(meta.app_label, ()))


def connect() -> None:
    """Listen for saves and deletes of what the cached parts show (called once, from the
    app's `ready`). Model by model: a receiver for every model would stop Django deleting
    rows in bulk (it sends `post_delete` for each row of a model somebody listens to)."""
    from django.apps import apps

    for model in apps.get_models():
        if _shown(model):
            post_save.connect(content_changed, sender=model, weak=False,
                              dispatch_uid=f"content_cache_save_{model._meta.label}")
            post_delete.connect(content_changed, sender=model, weak=False,
                                dispatch_uid=f"content_cache_delete_{model._meta.label}")


def cached(key: str, compute, timeout: int = TIMEOUT):
    """What `compute()` gives, from the cache while the content version is unchanged.

    `compute()` returns `(value, fresh_until)`: `fresh_until` (a Unix time, or None) is when
    the value goes out of date by itself, whatever is saved. The value must pickle.
    """
    found = cache.get_many([VERSION_KEY, key])
    version, entry = found.get(VERSION_KEY), found.get(key)
    now = time.time()
    if (version is not None and isinstance(entry, dict) and entry.get("version") == version
            and entry.get("until", 0) > now):
        return entry["value"]
    bumps = getattr(_local, "bumps", 0)
    value, fresh_until = compute()
    if getattr(_local, "bumps", 0) != bumps:
        # Working it out changed content (rankings refreshed in the request, where tasks run
        # at once): once more against the version that gives, rather than storing it stale.
        version = cache.get(VERSION_KEY)
        value, fresh_until = compute()
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):
            return value  # another process set a version meanwhile: store nothing this time
    until = min(now + timeout, fresh_until or now + timeout)
    if until > now:
        cache.set(key, {"version": version, "until": until, "value": value}, timeout)
    return value
