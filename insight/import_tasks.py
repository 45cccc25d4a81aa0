"""Background work (django-tasks): importing a checked feedback file off the request path."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from .importing import fail, import_file
from .models import ImportRun

logger = logging.getLogger(__name__)


def queue_import(run: ImportRun) -> None:
    """Mark the run QUEUED and queue its import once the change is committed."""
    run.state, run.processed_rows, run.message = ImportRun.QUEUED, 0, ""
    run.save(update_fields=["state", "processed_rows", "message"])
    transaction.on_commit(lambda: run_import.enqueue(run.pk))


@task()
def run_import(run_id: int) -> str:
    """The queued job: import the run's file; QUEUED -> RUNNING -> DONE, or FAILED with a
    message (the batches imported before the failure stay)."""
    run = ImportRun.objects.select_related("source", "created_by").filter(pk=run_id).first()
    if run is None or run.state not in (ImportRun.QUEUED, ImportRun.FAILED):
        return "skipped"
    try:
        import_file(run)
    except Exception as error:  # noqa: BLE001 (any failure is shown to the officer)
        logger.exception("Import run %s failed", run_id)
        fail(run, error)
        return ImportRun.FAILED
    return ImportRun.DONE
