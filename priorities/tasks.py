"""Background work (django-tasks): refreshing the live rankings off the request path.

Evidence changes mark the stored rankings stale and call `request_refresh` on commit; pages that
find them stale (or missing) call it too. It is debounced: a cache `add` flag lets a burst of
changes queue one job. The job is one at a time: a lock taken with `cache.add`, with an expiry
in case a worker dies, so two workers never compute at once; a job that finds the lock taken
does nothing, and the running one queues again when the evidence moved on while it computed.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django_tasks import task

from . import ranking

QUEUED_KEY = "priorities:refresh-queued"
LOCK_KEY = "priorities:refresh-lock"
QUEUED_TIMEOUT = 10 * 60  # should a queued job be lost, a later change or page queues again
LOCK_TIMEOUT = 15 * 60  # well over a full computation; a dead worker's lock expires

DONE, BUSY, AGAIN = "done", "busy", "queued again"


def request_refresh() -> bool:
    """Queue `refresh_rankings` unless one is queued already; True when this call queued it."""
    if not cache.add(QUEUED_KEY, True, QUEUED_TIMEOUT):
        return False
    refresh_rankings.enqueue()
    return True


def refresh_now() -> str:
    """Compute and store every neighbourhood's ranking, unless another worker is at it.

    Returns `DONE`, `BUSY` (the lock was taken: nothing done) or `AGAIN` (done, but evidence
    changed meanwhile, so another refresh was queued).
    """
    token = secrets.token_hex(8)
    if not cache.add(LOCK_KEY, token, LOCK_TIMEOUT):
        return BUSY
    try:
        cache.delete(QUEUED_KEY)  # changes from now on queue another refresh
        version = ranking.evidence_version()
        ranking.store_rankings(version, ranking.compute_rankings())
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)
    if ranking.evidence_version() != version:
        cache.delete(QUEUED_KEY)  # a job queued meanwhile found the lock taken
        request_refresh()
        return AGAIN
    return DONE


@task()
def refresh_rankings() -> str:
    """The queued job: `refresh_now`."""
    return refresh_now()
