"""Plan PDFs never wait forever (issue 16, "stuck PDFs"): a render has a time limit and a failed
state that keeps its error; a render queued with no worker is shown as stuck after a while;
anyone may retry a failed or stuck render (once per press, rate-limited); officers see failed
and stuck renders in the admin, with a retry."""

import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

import portal.pdf
from plans import pdf_cache, pdfs
from plans.models import PlanPdf

NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def broken_renderer(monkeypatch):
    def fail(*args, **kwargs):
        raise ValueError("Image not found: /media/plans/missing.png")

    monkeypatch.setattr(portal.pdf, "render_pdf", fail)


def test_a_render_that_raises_is_failed_and_the_page_says_so(client, plan, broken_renderer):
    response = client.get(plan.url + "pdf/")
    row = PlanPdf.objects.get(page=plan)
    assert row.status == PlanPdf.FAILED
    assert "Image not found: /media/plans/missing.png" in row.error
    html = response.content.decode()
    assert "We could not prepare your PDF" in html
    assert "Try again" in html and f'<form method="post" action="{plan.url}pdf/">' in html
    assert "Retry-After" not in response  # the page's script stops asking
    assert "Image not found" not in html  # the error is for officers
    # Looking again does not queue it again: only "Try again" does.
    client.get(plan.url + "pdf/")
    row.refresh_from_db()
    assert (row.status, row.retries) == (PlanPdf.FAILED, 0)


@override_settings(PORTAL_PDF_TIMEOUT_SECONDS=1)
def test_a_render_past_its_time_limit_is_stopped_and_failed(plan, monkeypatch):
    def endless(*args, **kwargs):
        time.sleep(60)

    monkeypatch.setattr(portal.pdf, "render_pdf", endless)
    row = PlanPdf.objects.create(page=plan, revision_id=plan.live_revision_id, language="en",
                                 data_version=pdfs.data_version(plan))
    pdfs.render_pdf_row(row)
    row.refresh_from_db()
    assert row.status == PlanPdf.FAILED
    assert "longer than 1 seconds" in row.error


def test_the_time_limited_render_returns_the_pdf_and_its_pages(plan):
    info = {}
    content = portal.pdf.render_pdf_within(
        60, pdfs.plan_pdf_html(plan), title="Harlesden", language="en", info=info)
    assert content.startswith(b"%PDF") and info["pages"] >= 1


@override_settings(TASKS=NO_WORKER, PORTAL_PDF_STUCK_MINUTES=5)
def test_a_render_queued_too_long_says_it_is_stuck_with_a_retry(client, plan):
    response = client.get(plan.url + "pdf/")
    assert "Preparing your PDF" in response.content.decode()
    assert response["Retry-After"] == "3"
    PlanPdf.objects.update(queued_at=timezone.now() - timedelta(minutes=6))
    response = client.get(plan.url + "pdf/")
    html = response.content.decode()
    assert "Your PDF is taking too long" in html and "Preparing your PDF" not in html
    assert "Try again" in html
    assert "Retry-After" not in response


@override_settings(TASKS=NO_WORKER)
def test_a_render_whose_worker_died_is_stuck(plan):
    row = PlanPdf.objects.create(page=plan, revision_id=plan.live_revision_id, language="en",
                                 status=PlanPdf.RENDERING,
                                 started_at=timezone.now() - timedelta(hours=1))
    assert pdf_cache.needs_retry(row)
    row.started_at = timezone.now()
    row.save()
    assert not pdf_cache.needs_retry(row)


def test_retry_requeues_a_failed_render_once(client, plan, broken_renderer, monkeypatch):
    client.get(plan.url + "pdf/")
    row = PlanPdf.objects.get(page=plan)
    monkeypatch.undo()  # the renderer works again
    response = client.post(plan.url + "pdf/")
    assert response.status_code == 302 and response["Location"] == plan.url + "pdf/"
    row.refresh_from_db()
    assert (row.status, row.retries, row.error) == (PlanPdf.READY, 1, "")
    assert client.get(plan.url + "pdf/")["Content-Type"] == "application/pdf"
    # Nothing to retry now: pressing again queues nothing.
    client.post(plan.url + "pdf/")
    row.refresh_from_db()
    assert (row.status, row.retries) == (PlanPdf.READY, 1)


@override_settings(TASKS=NO_WORKER)
def test_retry_of_a_stuck_render_queues_it_again_and_only_once(client, plan):
    client.get(plan.url + "pdf/")
    PlanPdf.objects.update(queued_at=timezone.now() - timedelta(hours=1))
    client.post(plan.url + "pdf/")
    row = PlanPdf.objects.get(page=plan)
    assert (row.status, row.retries) == (PlanPdf.QUEUED, 1)
    assert row.queued_at > timezone.now() - timedelta(minutes=1)
    client.post(plan.url + "pdf/")  # queued afresh: not stuck, so not queued twice
    row.refresh_from_db()
    assert row.retries == 1
    assert "Preparing your PDF" in client.get(plan.url + "pdf/").content.decode()


def test_public_retries_are_capped_and_rate_limited(client, plan, broken_renderer, settings):
    client.get(plan.url + "pdf/")
    for _ in range(pdf_cache.PUBLIC_RETRIES):
        client.post(plan.url + "pdf/")
    row = PlanPdf.objects.get(page=plan)
    assert (row.status, row.retries) == (PlanPdf.FAILED, pdf_cache.PUBLIC_RETRIES)
    html = client.get(plan.url + "pdf/").content.decode()
    assert "tried again several times" in html and f'action="{plan.url}pdf/"' not in html
    settings.PORTAL_PDF_RETRIES_PER_HOUR = pdf_cache.PUBLIC_RETRIES
    response = client.post(plan.url + "pdf/")
    assert response.status_code == 429
    assert "too many times in the last hour" in response.content.decode()


def test_officers_see_failed_renders_with_the_error_and_retry_them(
        client, plan, officer, resident, broken_renderer, monkeypatch):
    client.get(plan.url + "pdf/")
    client.force_login(resident)
    assert client.get(reverse("plans_admin:pdfs")).status_code in (302, 403)
    client.force_login(officer)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 plan PDF failed or is stuck." in dashboard
    page = client.get(reverse("plans_admin:pdfs")).content.decode()
    assert "Harlesden neighbourhood plan" in page
    assert "Image not found: /media/plans/missing.png" in page
    monkeypatch.undo()
    row = PlanPdf.objects.get(page=plan)
    response = client.post(reverse("plans_admin:pdfs"), {"pdf": row.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == PlanPdf.READY
    assert "No plan PDF has failed" in client.get(reverse("plans_admin:pdfs")).content.decode()
