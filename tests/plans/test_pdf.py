"""The plan PDF: content, pages, title, language and tagging (pypdf); cached per revision,
language, progress and layout version; rendered by the task backend with a "preparing" state;
its chart, map and evidence appendix."""

import io
import re
from datetime import date

import pypdf
import pytest
from django.test import override_settings

from plans import pdfs
from plans.context import evidence_rows, plan_data
from plans.models import ActionUpdate, PlanPdf
from plans.pdf_cache import pdf_request
from portal.pages.models import PortalSettings
from portal.pdf import supports_pdf_ua

from .conftest import make_plan, record_update


def pdf_reader(response):
    assert response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def text_of(reader):
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def big_plan(plan_index, snapshot):
    return make_plan(plan_index, snapshot, actions_per_priority=25, slug="big-plan")


def test_plan_pdf_content_metadata_and_tagging(client, big_plan):
    response = client.get(big_plan.url + "pdf/")
    assert response.status_code == 200
    reader = pdf_reader(response)
    text = text_of(reader)
    for expected in ("Harlesden neighbourhood plan", "2025 to 2027", "Contents",
                     "Financial hardship", "Homelessness", "Financial hardship action 25",
                     "Money advice clinic", "Households supported before crisis",
                     "Partners do not buy in", "Appendix: the evidence", "version 1",
                     "Published on"):
        assert expected in text, expected
    assert len(reader.pages) >= 6
    assert reader.metadata.title == "Harlesden neighbourhood plan"
    publisher = PortalSettings.for_site(big_plan.get_site())
    assert reader.metadata.author == (publisher.organisation_name or publisher.site_name)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    if supports_pdf_ua():
        assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    # The action table is long enough to break across pages, and its header repeats.
    assert text.count("Lead and partners") >= 2


def test_pdf_is_cached_per_revision_language_and_progress(client, plan, officer):
    client.get(plan.url + "pdf/")
    client.get(plan.url + "pdf/")
    assert PlanPdf.objects.filter(page=plan, status=PlanPdf.READY).count() == 1
    welsh = pdf_request(plan, language="cy")
    assert welsh.status == PlanPdf.READY
    assert set(PlanPdf.objects.values_list("language", flat=True)) == {"en", "cy"}
    record_update(plan.actions.first(), status="done", note="Finished early.",
                  user=officer, on=date(2025, 6, 3))
    response = client.get(plan.url + "pdf/")
    assert PlanPdf.objects.filter(page=plan, language="en").count() == 2
    assert "Done" in text_of(pdf_reader(response))
    plan.save_revision().publish()
    client.get(plan.url + "pdf/")
    assert PlanPdf.objects.filter(page=plan, language="en").count() == 3


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_preparing_page_offers_the_pdf_once_the_worker_has_rendered_it(client, plan):
    response = client.get(plan.url + "pdf/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preparing your PDF" in html
    # No timed refresh (WCAG 2.2.1): a module asks again and offers a link; no inline script.
    assert 'http-equiv="refresh"' not in html
    assert 'src="/static/plans/js/pdf-ready.js"' in html and "Check again" in html
    assert "<script>" not in html
    row = PlanPdf.objects.get(page=plan)
    assert row.status == PlanPdf.QUEUED
    pdfs.render_pdf_row(row)
    response = client.get(plan.url + "pdf/")
    assert response["Content-Type"] == "application/pdf"


def test_unpublished_plans_have_no_public_pdf(client, plan_index, snapshot):
    draft = make_plan(plan_index, snapshot, live=False, slug="draft")
    assert client.get(f"/plans/{draft.slug}/pdf/").status_code == 404


def test_static_files_are_read_from_disk_and_the_network_is_refused():
    from portal.pdf import read_local

    body, mime_type = read_local("https://portal.invalid/static/plans/css/print.css")
    assert b"@page" in body and mime_type == "text/css"
    with pytest.raises(ValueError):
        read_local("https://tile.openstreetmap.org/1/1/1.png")


def test_map_and_chart_are_svg_with_text_alternatives(plan):
    data = plan_data(plan)
    assert data["chart_svg"].startswith("<svg") and "<title" in data["chart_svg"]
    assert "<path" in data["map_svg"] and "Map of Harlesden" in data["map_svg"]
    assert ActionUpdate.objects.count() == 0


def test_bumping_the_pdf_layout_version_renders_a_new_pdf(client, plan, monkeypatch):
    client.get(plan.url + "pdf/")
    client.get(plan.url + "pdf/")
    assert PlanPdf.objects.count() == 1
    assert str(pdfs.PDF_LAYOUT_VERSION) in PlanPdf.objects.get().data_version
    monkeypatch.setattr(pdfs, "PDF_LAYOUT_VERSION", pdfs.PDF_LAYOUT_VERSION + 1)
    response = client.get(plan.url + "pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert PlanPdf.objects.count() == 2
    assert len(set(PlanPdf.objects.values_list("data_version", flat=True))) == 2


def test_asset_counts_are_not_suppressed_and_have_no_people(plan, snapshot):
    priority = snapshot.priorities.get(rank=1)
    priority.evidence = {"surveys": {"count": 3, "people": 2}, "assets": {"count": 3}}
    priority.save()
    rows = {row["source"]: row for row in evidence_rows(priority)}
    assert rows["Surveys"]["suppressed"] and rows["Surveys"]["people"] is None
    assets = rows["Community assets"]
    assert (assets["count"], assets["people"], assets["suppressed"]) == (3, None, False)
    html = pdfs.plan_pdf_html(plan)
    appendix = html.split('id="evidence"')[1]
    assert "<td>Community assets</td><td class=\"number\">3</td><td class=\"number\">–</td>" \
        in appendix
