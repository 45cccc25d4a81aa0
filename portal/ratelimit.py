"""Who is asking, and how often: the client's address and counters in the shared cache.

`client_ip` is the one place the portal (and allauth, through the account adapter) learns a
request's address: `REMOTE_ADDR`, or the `X-Forwarded-For` entry written by the outermost of
`PORTAL_TRUSTED_PROXY_COUNT` proxies. A header nobody vouches for is never read, so a client
cannot pick its own address.

Counters live in the default cache, which every process shares (the database, or Redis): a
limit of 5 is 5 however many workers serve the site. People signed in are counted per account
and everyone else per address (`requester`), so a crowd on one venue's wifi cannot use up a
resident's allowance. Addresses are never stored as typed: keys hold a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from portal.cache import COUNTER_PREFIXES

# Counters' keys start with this, which portal.cache.cache_key sorts after every other key.
COUNTER_PREFIX = COUNTER_PREFIXES[0]


def ip_hash(ip: str) -> str:
    """A keyed hash of an address, so neither the cache nor the database holds the address."""
    return hmac.new(settings.SECRET_KEY.encode(), (ip or "").encode(), hashlib.sha256).hexdigest()


def _clean_ip(value: str) -> str:
    """The address in `value` ("203.0.113.7", "203.0.113.7:5120", "[2001:db8::1]:443"), or ""."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """The address of the person making the request, as the outermost trusted proxy saw it.

    With `PORTAL_TRUSTED_PROXY_COUNT` 0 (or unset) that is `REMOTE_ADDR` and
    `X-Forwarded-For` is ignored. With N trusted proxies it is the N-th entry of
    `X-Forwarded-For` from the right (each proxy appends the address it received the request
    from, so the entries further left are whatever the client sent). A request that passed
    through fewer proxies gives the leftmost entry; an unusable entry gives `REMOTE_ADDR`.
    """
    remote = _clean_ip(request.META.get("REMOTE_ADDR", ""))
    hops = getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", None) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops <= 0 or not forwarded.strip():
        return remote
    entries = forwarded.split(",")
    return _clean_ip(entries[-min(hops, len(entries))]) or remote


def _address_key(ip: str) -> str:
    """IPv6 addresses counted per /64 network, as allauth does: one household or phone holds
    a whole /64 and could otherwise take a fresh address for every attempt."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False).network_address)
    return ip


def requester(request) -> str:
    """Whom a request counts against: the account when signed in, else the address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{_address_key(client_ip(request))}"


def _store():
    return caches["default"]


@contextmanager
def _locked(store, key: str):
    """A short lock in the cache for a read-modify-write on backends without atomic incr."""
    lock = f"{key}:lock"
    deadline = time.monotonic() + 1
    while not (held := store.add(lock, 1, 5)):
        if time.monotonic() > deadline:
            break  # count without the lock: at worst one attempt is not counted
        time.sleep(0.01)
    try:
        yield
    finally:
        if held:
            store.delete(lock)


def _key(scope: str, who: str, window: int) -> tuple[str, int]:
    """The counter's key for the current fixed window, and the seconds left in it."""
    now = time.time()
    bucket = int(now // window)
    left = max(1, int((bucket + 1) * window - now) + 1)
    return f"{COUNTER_PREFIX}{scope}:{ip_hash(who)[:32]}:{window}:{bucket}", left


def hit(scope: str, who: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt by `who` (an address or `requester(...)`); True when it is over
    `limit` in the window. The window is fixed (it starts on a multiple of `window`)."""
    store = _store()
    key, left = _key(scope, who, window)
    if store.add(key, 1, left):
        total = 1
    elif isinstance(store, RedisCache | LocMemCache):  # atomic, and keeps the expiry
        try:
            total = store.incr(key)
        except ValueError:  # expired between add and incr
            store.set(key, 1, left)
            total = 1
    else:  # the database cache's incr is a get and a set that would reset the expiry
        with _locked(store, key):
            total = (store.get(key) or 0) + 1
            store.set(key, total, left)
    return total > limit
