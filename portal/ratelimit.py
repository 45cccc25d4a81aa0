"""A per-address counter in Django's cache, shared by the apps that take anonymous input.

Addresses are never stored as typed: the cache key holds a keyed hash of the address. With
the default local-memory cache each process counts on its own (a deployment with several
processes points `CACHES` at a shared cache such as Redis).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache


def ip_hash(ip: str) -> str:
    """A keyed hash of an address, so neither the cache nor the database holds the address."""
    return hmac.new(settings.SECRET_KEY.encode(), (ip or "").encode(), hashlib.sha256).hexdigest()


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, ip: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt from this address; True when it is over `limit` in the window."""
    key = f"{scope}:rate:{ip_hash(ip)[:32]}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit
