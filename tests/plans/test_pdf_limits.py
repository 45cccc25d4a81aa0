"""A plan PDF renders in a child process with a memory cap and a time limit (issue 19): past
either, the render fails with a clear message, the last good PDF stays available, and a retry
once the limit allows renders it (real child processes, real WeasyPrint, nothing mocked)."""

import io
from datetime import date

import pypdf
import pytest

from plans.models import PlanPdf

from .conftest import record_update


def pdf_text(response) -> str:
    reader = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return "".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("limit, message", [
    # 8 MB in all: the worker's own address space is not counted as room (a forked child may
    # reuse the worker's free heap, so "8 MB more than the worker" could still fit a render).
    ({"PORTAL_PDF_MEMORY_MB": 8}, "memory"),
    ({"PORTAL_PDF_TIMEOUT_SECONDS": 0.001}, "longer than 0.001 seconds"),
])
def test_a_render_past_a_limit_fails_keeps_the_last_pdf_and_a_retry_succeeds(
        client, plan, settings, monkeypatch, limit, message):
    first = client.get(plan.url + "pdf/")  # rendered at once with the test task backend
    assert first["Content-Type"] == "application/pdf"
    assert "Not started" not in pdf_text(first)
    good = PlanPdf.objects.get(page=plan, status=PlanPdf.READY)

    record_update(plan.actions.first(), status="not_started", note="Paused for the summer.",
                  on=date(2025, 6, 2))  # a new progress update: the PDF is made again
    for name, value in limit.items():
        setattr(settings, name, value)
    if "PORTAL_PDF_MEMORY_MB" in limit:
        monkeypatch.setattr("portal.pdf._fork_base", lambda: 0)
    failed_page = client.get(plan.url + "pdf/")
    row = PlanPdf.objects.exclude(pk=good.pk).get(page=plan)
    assert row.status == PlanPdf.FAILED and message in row.error
    html = failed_page.content.decode()
    assert failed_page.status_code == 200
    assert "could not be made" in html and "will try again" in html
    assert "Try again" in html and message not in html  # the error itself is for officers
    assert f'href="{plan.url}pdf/?version=previous"' in html
    previous = client.get(plan.url + "pdf/?version=previous")
    assert previous["Content-Type"] == "application/pdf"
    assert "Not started" not in pdf_text(previous)  # the last good PDF, not lost
    assert PlanPdf.objects.get(pk=good.pk).file

    settings.PORTAL_PDF_MEMORY_MB, settings.PORTAL_PDF_TIMEOUT_SECONDS = 1536, 120
    monkeypatch.undo()
    assert client.post(plan.url + "pdf/").status_code == 302  # "Try again"
    row.refresh_from_db()
    assert (row.status, row.retries, row.error) == (PlanPdf.READY, 1, "")
    again = client.get(plan.url + "pdf/")
    assert again["Content-Type"] == "application/pdf"
    assert "Not started" in pdf_text(again)  # the new progress is in it
