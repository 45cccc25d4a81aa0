"""The cached PDF of a plan (or of a month's highlight report) for its live revision and the
current language: served when ready, queued for the task worker when not."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from .models import PlanPdf
from .pdfs import data_version
from .tasks import render_plan_pdf


def pdf_request(plan, kind="plan", language=None) -> PlanPdf:
    """The cached PDF row for the plan's live revision in this language, queuing a render in
    the background when there is none yet (or the last one failed)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    revision_id = plan.live_revision_id or plan.latest_revision_id or 0
    key = {"page": plan, "kind": kind, "revision_id": revision_id, "language": language,
           "data_version": data_version(plan)}
    try:
        with transaction.atomic():
            row, created = PlanPdf.objects.get_or_create(**key)
    except IntegrityError:  # another request created it at the same moment
        row, created = PlanPdf.objects.get(**key), False
    if created or row.status == PlanPdf.FAILED:
        if row.status == PlanPdf.FAILED:
            row.status, row.error = PlanPdf.PENDING, ""
            row.save(update_fields=["status", "error"])
        # Immediately with the test backend; by a worker with the database backend.
        render_plan_pdf.enqueue(row.pk)
    row.refresh_from_db()
    return row
