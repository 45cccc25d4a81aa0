"""The cached PDF of a plan (or of a month's highlight report) for its live revision and the
current language: served when ready, queued for the task worker when not, retried on request
when it failed or is stuck."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from .models import PlanPdf
from .pdfs import data_version
from .tasks import render_plan_pdf

# How many times one PDF may be queued again by anyone's "Try again" (officers retry from the
# admin without this cap), so a render that always fails cannot keep a worker busy.
PUBLIC_RETRIES = 3


def _enqueue(row: PlanPdf) -> None:
    # Immediately with the test backend; by a worker with the database backend. Called once
    # the row's change is saved, so a worker never looks for a state that is not there yet.
    render_plan_pdf.enqueue(row.pk)


def pdf_request(plan, kind="plan", language=None) -> PlanPdf:
    """The cached PDF row for the plan's live revision in this language, queuing a render in
    the background when there is none yet. A failed render stays failed until retried."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    revision_id = plan.live_revision_id or plan.latest_revision_id or 0
    key = {"page": plan, "kind": kind, "revision_id": revision_id, "language": language,
           "data_version": data_version(plan)}
    try:
        with transaction.atomic():
            row, created = PlanPdf.objects.get_or_create(**key)
    except IntegrityError:  # another request created it at the same moment
        row, created = PlanPdf.objects.get(**key), False
    if created:
        _enqueue(row)
    row.refresh_from_db()
    return row


def previous_ready(row: PlanPdf) -> PlanPdf | None:
    """The newest ready PDF of the same plan, kind and language made before this one (for an
    earlier revision, progress update or layout), so a render that fails or is slow never
    hides the last good PDF: the page offers it, marked as the previous version."""
    return (PlanPdf.objects.filter(page_id=row.page_id, kind=row.kind, language=row.language,
                                   status=PlanPdf.READY, pk__lt=row.pk)
            .exclude(file="").order_by("-pk").first())


def needs_retry(row: PlanPdf, now=None) -> bool:
    """Failed, or stuck: waiting for a worker (or on a dead one) for longer than it should."""
    return row.status == PlanPdf.FAILED or row.is_stuck(now)


def retry(row: PlanPdf, *, limit: int | None = PUBLIC_RETRIES) -> bool:
    """Queue a failed or stuck render once more; False when it needs none, or has been retried
    `limit` times already. Only one of several simultaneous retries queues it."""
    if not needs_retry(row):
        return False
    rows = PlanPdf.objects.filter(pk=row.pk).filter(
        Q(status=PlanPdf.FAILED) | Q(pk__in=PlanPdf.objects.stuck().values("pk")))
    if limit is not None:
        rows = rows.filter(retries__lt=limit)
    requeued = rows.update(status=PlanPdf.QUEUED, error="", queued_at=timezone.now(),
                           started_at=None, retries=F("retries") + 1)
    if requeued:
        _enqueue(row)
    row.refresh_from_db()
    return bool(requeued)
