"""The refresh job: debounced, one at a time, off the request path; and its cron command."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks import default_task_backend

from priorities import ranking, tasks
from priorities.models import RankingRun

from .conftest import add_feedback

pytestmark = pytest.mark.django_db
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def officer_client(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    return client


def _fail(*args, **kwargs):
    raise AssertionError("computed the rankings")


def _queued() -> list[str]:
    return [result.task.name for result in default_task_backend.results
            if result.task.name == "refresh_rankings"]


@override_settings(TASKS=NO_WORKER)
def test_a_burst_of_changes_marks_stale_and_queues_one_job_on_commit(
        areas, themes, django_capture_on_commit_callbacks):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    tasks.refresh_now()
    assert not ranking.ranking_status().stale
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _n in range(10):
            add_feedback(areas["Harlesden"], [themes["mental-health"]])
        assert ranking.ranking_status().stale  # stale at once, in every process
        assert _queued() == []  # nothing queued before the commit: the job must see the change
    assert callbacks
    assert _queued() == ["refresh_rankings"]
    ranking.live_rankings()  # a page finding it stale does not queue another
    assert _queued() == ["refresh_rankings"]
    assert tasks.refresh_rankings.call() == tasks.DONE  # the worker runs it
    assert not ranking.ranking_status().stale
    assert ranking.live_ranking(areas["Harlesden"])["priorities"][0]["theme_id"] == (
        themes["mental-health"].pk)


@override_settings(TASKS=NO_WORKER)
def test_the_lock_stops_a_second_concurrent_job(areas, themes, monkeypatch):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    assert cache.add(tasks.LOCK_KEY, "another worker", tasks.LOCK_TIMEOUT)
    monkeypatch.setattr("priorities.ranking.compute_rankings", _fail)
    assert tasks.refresh_rankings.call() == tasks.BUSY
    assert not RankingRun.objects.exists()
    assert cache.get(tasks.LOCK_KEY) == "another worker"  # not released by the second job
    cache.delete(tasks.LOCK_KEY)
    monkeypatch.undo()
    assert tasks.refresh_rankings.call() == tasks.DONE
    assert cache.get(tasks.LOCK_KEY) is None  # released after the run
    assert tasks.refresh_rankings.call() == tasks.DONE
    assert RankingRun.objects.count() == 1


@override_settings(TASKS=NO_WORKER)
def test_a_change_during_the_computation_queues_another_job(areas, themes, monkeypatch):
    compute = ranking.compute_rankings

    def compute_while_evidence_changes():
        ranking.evidence_changed(queue=False)  # as another process would, mid-computation
        return compute()

    monkeypatch.setattr("priorities.ranking.compute_rankings", compute_while_evidence_changes)
    assert tasks.refresh_now() == tasks.AGAIN
    assert _queued() == ["refresh_rankings"]
    assert ranking.ranking_status().stale


@override_settings(TASKS=NO_WORKER)
def test_pages_never_compute_the_rankings(officer_client, priorities_page, areas, themes,
                                          monkeypatch):
    harlesden = areas["Harlesden"]
    add_feedback(harlesden, [themes["housing"]])
    monkeypatch.setattr("priorities.ranking.compute_rankings", _fail)
    paths = ["/priorities/", "/priorities/harlesden/", "/neighbourhoods/harlesden/",
             reverse("priorities_admin:overview"),
             reverse("priorities_admin:neighbourhood", args=[harlesden.pk])]
    for path in paths:  # nothing computed yet
        assert officer_client.get(path).status_code == 200, path
    assert _queued() == ["refresh_rankings"]  # queued once, by the first page
    monkeypatch.undo()
    tasks.refresh_now()
    add_feedback(harlesden, [themes["mental-health"]])  # stale now
    monkeypatch.setattr("priorities.ranking.compute_rankings", _fail)
    cache.delete(ranking.STORE_KEY)  # and a cold cache
    for path in paths:
        assert officer_client.get(path).status_code == 200, path


def test_the_cron_command_refreshes_only_stale_rankings(areas, themes, monkeypatch):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    out = StringIO()
    call_command("refresh_rankings", stdout=out)
    assert "Rankings refreshed" in out.getvalue()
    assert RankingRun.objects.get().rankings[str(areas["Harlesden"].pk)]["priorities"]
    monkeypatch.setattr("priorities.ranking.compute_rankings", _fail)
    call_command("refresh_rankings", stdout=out)
    assert "up to date" in out.getvalue()
    cache.add(tasks.LOCK_KEY, "a worker", tasks.LOCK_TIMEOUT)
    call_command("refresh_rankings", "--force", stdout=out)
    assert "nothing done" in out.getvalue()
