"""Pages serve the stored rankings (cache, else the `RankingRun` row) with their time."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from priorities.models import FeedbackItem, RankingRun, ScoringWeights
from priorities.ranking import STORE_KEY, evidence_version, live_ranking, ranking_status
from priorities.tasks import refresh_now

from .conftest import add_feedback

pytestmark = pytest.mark.django_db
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _fail(*args, **kwargs):
    raise AssertionError("a page computed the rankings")


def _as_of(when) -> str:
    return date_format(timezone.localtime(when), "H:i, j F Y")


def test_committed_changes_are_refreshed_and_then_served_from_the_cache(
        areas, themes, django_capture_on_commit_callbacks):
    harlesden = areas["Harlesden"]
    with django_capture_on_commit_callbacks(execute=True):
        add_feedback(harlesden, [themes["housing"]])
    assert [p["theme_id"] for p in live_ranking(harlesden)["priorities"]] == [
        themes["housing"].pk]
    with CaptureQueriesContext(connection) as queries:
        live_ranking(harlesden)  # stored: read from the cache, whose table is in the database
    assert [query["sql"] for query in queries if "portal_cache" not in query["sql"]] == []
    with django_capture_on_commit_callbacks(execute=True):
        add_feedback(harlesden, [themes["mental-health"]], when=None)
        add_feedback(harlesden, [themes["mental-health"]])
    assert live_ranking(harlesden)["priorities"][0]["theme_id"] == themes["mental-health"].pk
    with django_capture_on_commit_callbacks(execute=True):  # deletions and weights count too
        FeedbackItem.objects.filter(themes=themes["mental-health"]).delete()
    assert live_ranking(harlesden)["priorities"][0]["theme_id"] == themes["housing"].pk
    version = evidence_version()
    with django_capture_on_commit_callbacks(execute=True):
        ScoringWeights.objects.create(neighbourhood=harlesden, surveys=2, forums=1, feedback=1)
    assert evidence_version() != version
    assert live_ranking(harlesden)["weights"]["surveys"] == 2.0
    assert RankingRun.objects.count() == 1  # only the latest is kept


@override_settings(TASKS=NO_WORKER)
def test_a_stale_ranking_is_served_with_its_time(client, priorities_page, areas, themes,
                                                 monkeypatch):
    harlesden = areas["Harlesden"]
    add_feedback(harlesden, [themes["housing"]])
    with time_machine.travel(datetime(2026, 11, 29, 10, 42, tzinfo=UTC), tick=False):
        refresh_now()
    computed_at = RankingRun.objects.get().computed_at
    assert _as_of(computed_at) == "10:42, 29 November 2026"  # London time is UTC in November
    monkeypatch.setattr("priorities.ranking.compute_rankings", _fail)
    fresh = client.get("/priorities/harlesden/").content.decode()
    assert "Ranking as of 10:42, 29 November 2026." in fresh
    add_feedback(harlesden, [themes["mental-health"]], people=5)  # the version moves on
    assert ranking_status().stale
    for path in ("/priorities/harlesden/", "/priorities/"):
        html = client.get(path).content.decode()
        assert "Ranking as of 10:42, 29 November 2026; an update is being worked out." in html
    # The last ranking, not the new evidence, until the job has run.
    assert [p["theme_id"] for p in live_ranking(harlesden)["priorities"]] == [
        themes["housing"].pk]


@override_settings(TASKS=NO_WORKER)
def test_a_cold_cache_serves_the_stored_run_without_computing(client, priorities_page, areas,
                                                              themes, monkeypatch):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    refresh_now()
    cache.delete(STORE_KEY)
    monkeypatch.setattr("priorities.ranking.compute_rankings", _fail)
    ranking = live_ranking(areas["Harlesden"])
    assert ranking["priorities"][0]["theme_id"] == themes["housing"].pk
    assert cache.get(STORE_KEY)["rankings"][areas["Harlesden"].pk] == ranking
    assert not ranking_status().stale
    html = client.get("/priorities/harlesden/").content.decode()
    assert "an update is being worked out" not in html and "Ranking as of" in html


@override_settings(TASKS=NO_WORKER)
def test_the_first_render_says_the_ranking_is_being_worked_out(client, priorities_page, areas,
                                                               themes, monkeypatch):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    monkeypatch.setattr("priorities.ranking.compute_rankings", _fail)
    for path in ("/priorities/", "/priorities/harlesden/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "The ranking is being worked out." in response.content.decode()
    assert ranking_status().computed_at is None
