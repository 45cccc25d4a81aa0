"""Counters in the cache every process shares: the database by default, Redis when configured."""

import itertools
import runpy
from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache

from portal import ratelimit
from tests.conftest import REPO

pytestmark = pytest.mark.django_db

BASE_SETTINGS = REPO / "portal" / "settings" / "base.py"


@pytest.fixture(autouse=True)
def empty_cache():
    caches["default"].clear()


def workers(number):
    """Separate connections to the default cache, as separate gunicorn workers hold."""
    connections = [caches.create_connection("default") for _ in range(number)]
    assert len({id(connection) for connection in connections}) == number
    return connections


def test_the_default_cache_is_the_database_shared_by_every_process():
    assert isinstance(caches["default"], DatabaseCache)
    assert django_settings.CACHES["default"]["LOCATION"] == "portal_cache"


def test_base_settings_choose_the_database_or_redis(monkeypatch):
    monkeypatch.delenv("PORTAL_REDIS_URL", raising=False)
    monkeypatch.setenv("PORTAL_TRUSTED_PROXY_COUNT", "1")
    base = runpy.run_path(str(BASE_SETTINGS))
    assert base["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert base["PORTAL_TRUSTED_PROXY_COUNT"] == base["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    monkeypatch.setenv("PORTAL_REDIS_URL", "redis://cache.internal:6379/1")
    base = runpy.run_path(str(BASE_SETTINGS))
    assert base["CACHES"]["default"]["BACKEND"] == (
        "django.core.cache.backends.redis.RedisCache")
    assert base["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/1"
    monkeypatch.delenv("PORTAL_TRUSTED_PROXY_COUNT")
    base = runpy.run_path(str(BASE_SETTINGS))
    assert base["PORTAL_TRUSTED_PROXY_COUNT"] is None  # not set: 0, and a deployment warning
    assert base["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0


def test_a_limit_of_five_is_five_across_three_workers(monkeypatch):
    turns = itertools.cycle(workers(3))
    monkeypatch.setattr(ratelimit, "_store", lambda: next(turns))
    over = [ratelimit.hit("test", "ip:198.51.100.7", 5) for _ in range(7)]
    assert over == [False] * 5 + [True, True]
    assert ratelimit.hit("test", "ip:203.0.113.9", 5) is False  # another address: its own count


class RoundRobin:
    """A cache whose every call goes to the next worker's connection."""

    def __init__(self, connections):
        self._turns = itertools.cycle(connections)

    def __getattr__(self, name):
        return getattr(next(self._turns), name)


def test_allauths_login_limit_is_five_across_three_workers(client, resident, demo_site,
                                                          monkeypatch):
    import allauth.core.internal.ratelimit as allauth_ratelimit

    from tests.conftest import DEMO_PASSWORD

    monkeypatch.setattr(allauth_ratelimit, "cache", RoundRobin(workers(3)))
    for attempt in range(5):
        response = client.post("/accounts/login/", {"login": "resident@example.org",
                                                    "password": f"wrong-{attempt}"})
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post("/accounts/login/", {"login": "resident@example.org",
                                                "password": DEMO_PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@time_machine.travel(datetime(2025, 3, 4, 10, 0, 0, tzinfo=UTC), tick=False)
def test_a_counter_lasts_its_whole_window_in_the_database_cache():
    # The database cache's own incr would store the count again with the default timeout
    # (5 minutes), forgetting attempts made earlier in the hour.
    assert not ratelimit.hit("test", "ip:198.51.100.7", 2)
    assert not ratelimit.hit("test", "ip:198.51.100.7", 2)
    with time_machine.travel(datetime(2025, 3, 4, 10, 40, 0, tzinfo=UTC), tick=False):
        assert ratelimit.hit("test", "ip:198.51.100.7", 2)
    with time_machine.travel(datetime(2025, 3, 4, 11, 0, 1, tzinfo=UTC), tick=False):
        assert not ratelimit.hit("test", "ip:198.51.100.7", 2)  # a new hour


def test_a_flood_of_cached_results_does_not_cull_the_counters(settings):
    settings.CACHES = {"default": {**settings.CACHES["default"],
                                   "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}}}
    store = caches["default"]
    for _ in range(3):
        ratelimit.hit("test", "ip:198.51.100.7", 3)
    store.add("allauth:rl:allauth.account:login_failed:5/300.0/key:abc", [1.0], 300)
    for number in range(40):
        store.set(f"assets_map:geojson:{number:03}", b"{}", 600)
    assert ratelimit.hit("test", "ip:198.51.100.7", 3)  # the fourth attempt: still counted
    assert store.get("allauth:rl:allauth.account:login_failed:5/300.0/key:abc") == [1.0]
    assert store.get("assets_map:geojson:000") is None  # the results went instead


def deployment_warnings():
    from portal.checks import check_production_settings

    return {problem.id for problem in check_production_settings(None)}


def test_the_deployment_checks_warn_about_a_per_process_cache(settings):
    assert "portal.W003" not in deployment_warnings()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "portal.W003" in deployment_warnings()


@pytest.mark.parametrize("count, warned", [(None, True), (0, False), (1, False)])
def test_the_deployment_checks_ask_how_many_proxies_are_trusted(settings, count, warned):
    settings.PORTAL_TRUSTED_PROXY_COUNT = count
    assert ("portal.W004" in deployment_warnings()) is warned
