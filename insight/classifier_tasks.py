"""Background retraining of the suggested codes (django-tasks), off the request path.

The coding screen calls `codings_saved(count)` (through `suggestions.coding_saved`) after
officers save codings. A counter in the cache adds them up; after `INSIGHT_RETRAIN_EVERY`
(default 200) new codings, or while no model exists, one retrain is queued. Queuing is
debounced with a cache `add` flag, and the job runs one at a time under a cache lock with an
expiry (as priorities.tasks does), so two workers never train at once. A refused training
(too few coded items) is remembered, and is not tried again until `RETRY_AFTER_REFUSAL` more
items are coded.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import classifier
from .models import ClassifierModel

QUEUED_KEY = "insight:retrain-queued"
LOCK_KEY = "insight:retrain-lock"
COUNTER_KEY = "insight:codings-since-training"
REFUSED_KEY = "insight:retrain-refused"
QUEUED_TIMEOUT = 30 * 60  # should a queued job be lost, later codings queue again
LOCK_TIMEOUT = 60 * 60  # well over a training on a year of items; a dead worker's lock expires
RETRY_AFTER_REFUSAL = 25

DONE, BUSY, REFUSED = "done", "busy", "refused"


def retrain_every() -> int:
    """New codings between retrains (INSIGHT_RETRAIN_EVERY)."""
    return max(1, int(getattr(settings, "INSIGHT_RETRAIN_EVERY", 200)))


def _count(count: int) -> int:
    try:
        return cache.incr(COUNTER_KEY, count)
    except ValueError:  # no counter yet (or it was evicted)
        cache.add(COUNTER_KEY, 0, None)
        return cache.incr(COUNTER_KEY, count)


def codings_saved(count: int = 1) -> bool:
    """Count `count` new codings; queue a retrain when enough have built up since the last
    training, or when there is no model yet. True when this call queued one."""
    if count <= 0:
        return False
    since = _count(count)
    if ClassifierModel.objects.exists():
        due = since >= retrain_every()
    else:
        due = cache.get(REFUSED_KEY) is None or since >= RETRY_AFTER_REFUSAL
    return due and request_retrain()


def request_retrain() -> bool:
    """Queue `retrain_classifier` after the current transaction commits, unless one is queued
    already; True when this call queued it."""
    if not cache.add(QUEUED_KEY, True, QUEUED_TIMEOUT):
        return False
    transaction.on_commit(lambda: retrain_classifier.enqueue())
    return True


def status() -> str | None:
    """"training" while a job runs, "queued" while one waits, else None."""
    if cache.get(LOCK_KEY) is not None:
        return "training"
    if cache.get(QUEUED_KEY) is not None:
        return "queued"
    return None


def last_refusal() -> dict | None:
    """Why the last training was refused ({"reason", "coded", "left_out", "at"}), if it was."""
    return cache.get(REFUSED_KEY)


def retrain_now() -> str:
    """Train and store a new model unless another worker is at it: `DONE`, `BUSY` (nothing
    done) or `REFUSED` (too few coded items; the reason is kept for the suggestions page)."""
    token = secrets.token_hex(8)
    if not cache.add(LOCK_KEY, token, LOCK_TIMEOUT):
        return BUSY
    try:
        cache.delete(QUEUED_KEY)  # codings from now on may queue the next one
        cache.set(COUNTER_KEY, 0, None)
        try:
            classifier.train()
        except classifier.NotEnoughCoded as refusal:
            cache.set(REFUSED_KEY, {"reason": refusal.reason, "coded": refusal.coded,
                                    "left_out": refusal.left_out,
                                    "at": timezone.now().isoformat()}, None)
            return REFUSED
        cache.delete(REFUSED_KEY)
        return DONE
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


@task()
def retrain_classifier() -> str:
    """The queued job: `retrain_now`."""
    return retrain_now()
