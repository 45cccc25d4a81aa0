"""/healthz tells a load balancer the truth: 503, naming the failed check, when the database is
missing, empty or unmigrated, or queued tasks wait with no worker; SQLite files are never
created by accident."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from portal import health

PROBE = "health_probe"


def sqlite_settings(path: Path) -> dict:
    """SQLite opened as production opens it: read-write, never created."""
    from portal.settings.base import sqlite_uri

    return {"ENGINE": "django.db.backends.sqlite3", "NAME": sqlite_uri(str(path)),
            "OPTIONS": {"uri": True}}


@pytest.fixture
def database_at(django_db_blocker):
    """A database alias of its own for a database file (Django's migration recorder finds its
    table through the alias); only it is used, so the test database is not involved."""
    def use(path: Path):
        connections.settings[PROBE] = connections.configure_settings(
            {"default": sqlite_settings(path)})["default"]
        return connections[PROBE]

    with django_db_blocker.unblock():
        yield use
        if PROBE in connections.settings:
            connections[PROBE].close()
            del connections[PROBE]
            del connections.settings[PROBE]


def healthz(alias=PROBE):
    """/healthz's answer for the database `alias`."""
    from functools import partial
    from unittest import mock

    from django.test import RequestFactory

    from portal import views

    with mock.patch.object(health, "report", partial(health.report, alias=alias)):
        response = views.healthz(RequestFactory().get("/healthz"))
    for leak in ("Traceback", "Error", "sqlite", "/tmp", "test-artifacts"):
        assert leak not in response.content.decode()
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {
        "database": "ok", "migrations": "ok", "task_queue": "ok"}}
    assert "no-cache" in response.headers["Cache-Control"]


def test_a_missing_database_file_fails_and_is_not_created(database_at, tmp_path):
    missing = tmp_path / "lost-volume" / "db.sqlite3"
    database_at(missing)
    status, body = healthz()
    assert status == 503 and body["status"] == "fail"
    assert body["checks"] == {"database": "the database cannot be reached or opened",
                              "migrations": "not checked", "task_queue": "not checked"}
    assert not missing.exists()
    missing.parent.mkdir()  # the folder is back, the file is not
    assert healthz()[0] == 503
    assert not missing.exists()


def test_an_empty_database_fails(database_at, tmp_path):
    empty = tmp_path / "db.sqlite3"
    empty.touch()  # as a deliberate `touch` before the first `migrate` leaves it
    database_at(empty)
    assert healthz() == (503, {"status": "fail", "checks": {
        "database": "ok",
        "migrations": "the database is empty or was never migrated (no migrations table)",
        "task_queue": "not checked"}})


def test_an_unmigrated_database_fails(database_at, tmp_path):
    (tmp_path / "db.sqlite3").touch()
    recorder = MigrationRecorder(database_at(tmp_path / "db.sqlite3"))
    recorder.ensure_schema()
    recorder.record_applied("contenttypes", "0001_initial")
    status, body = healthz()
    assert status == 503
    message = body["checks"]["migrations"]
    assert message.endswith("migration(s) not applied: run manage.py migrate")
    assert int(message.split()[0]) > 100


def test_the_migration_plan_is_computed_once_a_minute(database_at, tmp_path, monkeypatch):
    (tmp_path / "db.sqlite3").touch()
    connection = database_at(tmp_path / "db.sqlite3")
    computed = []
    real = health._unapplied_migrations
    monkeypatch.setattr(health, "_unapplied_migrations",
                        lambda conn: computed.append(1) or real(conn))
    clock = [1000.0]
    monkeypatch.setattr(health.time, "monotonic", lambda: clock[0])
    for _ in range(3):
        assert health.migration_problem(connection)
    assert len(computed) == 1
    clock[0] += health.MIGRATION_CHECK_SECONDS + 1
    health.migration_problem(connection)
    assert len(computed) == 2


def queue_task(waited_seconds: int, run_after=None):
    from django_tasks_db.models import DBTaskResult, get_date_max

    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="plans.tasks.render_plan_pdf",
        backend_name="default", run_after=run_after or get_date_max())
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=waited_seconds))
    return task


@pytest.mark.django_db
def test_a_task_waiting_past_the_limit_fails(client, settings):
    settings.PORTAL_HEALTH_TASK_BACKLOG_SECONDS = 900
    queue_task(60)  # recently queued: a worker will get to it
    queue_task(3600, run_after=timezone.now() + timedelta(hours=1))  # scheduled for later
    assert client.get("/healthz").status_code == 200
    queue_task(1000)
    response = client.get("/healthz")
    assert response.status_code == 503
    message = response.json()["checks"]["task_queue"]
    assert message.startswith("the oldest queued task has waited 10")
    assert "(limit 900)" in message and "db_worker" in message


@pytest.mark.django_db
def test_finished_tasks_and_a_zero_limit_do_not_count(client, settings):
    from django_tasks_db.models import DBTaskResult

    task = queue_task(3600)
    DBTaskResult.objects.filter(pk=task.pk).update(status="SUCCESSFUL")
    assert client.get("/healthz").status_code == 200
    queue_task(3600)
    settings.PORTAL_HEALTH_TASK_BACKLOG_SECONDS = 0
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_plain_http_probe_gets_the_answer_not_a_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301  # everything else still goes to HTTPS


def test_sqlite_never_creates_a_missing_file_under_production_settings(database_at, tmp_path):
    from django.db import OperationalError

    missing = tmp_path / "db.sqlite3"
    connection = database_at(missing)
    with pytest.raises(OperationalError, match="unable to open database file"):
        connection.ensure_connection()
    assert not missing.exists()
