"""What /healthz checks: the database answers, it is fully migrated, and queued tasks are being
worked through. Each check answers None when healthy, or a short reason for the operator:
never an exception's text, which could name hosts, users or paths."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# Loading every migration file costs far more than the rest of the check, and the files only
# change with a deployment (a new process), so each process looks at most once a minute.
MIGRATION_CHECK_SECONDS = 60
_migration_results: dict[tuple[str, str], tuple[float, str | None]] = {}
_lock = threading.Lock()


def database_problem(connection) -> str | None:
    """Why the database cannot answer a query, or None."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 (every failure here means "unhealthy")
        logger.warning("Health check: the database did not answer (%s).", type(exc).__name__)
        return "the database cannot be reached or opened"
    return None


def _unapplied_migrations(connection) -> str | None:
    if not MigrationRecorder(connection).has_table():
        return "the database is empty or was never migrated (no migrations table)"
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} migration(s) not applied: run manage.py migrate"
    return None


def migration_problem(connection) -> str | None:
    """Why the database's schema is not the code's (cached for a minute per process), or None."""
    key = (connection.alias, str(connection.settings_dict.get("NAME")))
    now = time.monotonic()
    cached = _migration_results.get(key)
    if cached and cached[0] > now:
        return cached[1]
    with _lock:
        try:
            result = _unapplied_migrations(connection)
        except Exception as exc:  # noqa: BLE001
            logger.warning("Health check: migrations could not be read (%s).",
                           type(exc).__name__)
            result = "the migration state could not be read"
        _migration_results[key] = (now + MIGRATION_CHECK_SECONDS, result)
    return result


def task_backlog_problem(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """Whether a task has been ready to run for longer than PORTAL_HEALTH_TASK_BACKLOG_SECONDS
    (no worker is running, or the workers cannot keep up), or None. 0 turns the check off."""
    limit = settings.PORTAL_HEALTH_TASK_BACKLOG_SECONDS
    if not limit or not apps.is_installed("django_tasks_db"):
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - timedelta(seconds=limit)
    # Waiting since it was queued, or since the time it was scheduled for if that is later.
    oldest = (DBTaskResult.objects.using(using).ready()
              .filter(enqueued_at__lt=cutoff)
              .filter(Q(run_after=get_date_max()) | Q(run_after__lt=cutoff))
              .order_by("enqueued_at").values_list("enqueued_at", flat=True).first())
    if oldest is None:
        return None
    waited = int((timezone.now() - oldest).total_seconds())
    return (f"the oldest queued task has waited {waited} seconds (limit {limit}): "
            "is a task worker (manage.py db_worker) running?")


def report(alias: str = DEFAULT_DB_ALIAS) -> dict:
    """{"status": "ok" | "fail", "checks": {name: "ok" | reason | "not checked"}}."""
    connection = connections[alias]
    checks = {"database": database_problem(connection)}
    checks["migrations"] = (migration_problem(connection) if checks["database"] is None
                            else "not checked")
    if checks["migrations"] is None:
        try:
            checks["task_queue"] = task_backlog_problem(alias)
        except Exception as exc:  # noqa: BLE001
            logger.warning("Health check: the task queue could not be read (%s).",
                           type(exc).__name__)
            checks["task_queue"] = "the task queue could not be read"
    else:
        checks["task_queue"] = "not checked"
    healthy = all(value is None for value in checks.values())
    return {"status": "ok" if healthy else "fail",
            "checks": {name: value or "ok" for name, value in checks.items()}}
