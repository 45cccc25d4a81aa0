"""Journey: an officer's draft plan awaits approval; a councillor approves it in the Wagtail
admin, which publishes it; a resident reads it (accessible) and downloads its PDF."""

import pypdf
import pytest
from playwright.sync_api import expect
from wagtail.models import Workflow

from plans.workflow import WORKFLOW_NAME
from tests.conftest import DEMO_PASSWORD, make_user
from tests.plans.conftest import (  # noqa: F401
    harlesden,
    make_plan,
    no_staff_mfa,
    plan_index,
    record_update,
    snapshot,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page, email, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_councillor_approves_and_resident_downloads_pdf(page, live_server, plan_index,  # noqa: F811
                                                       snapshot, tmp_path):  # noqa: F811
    officer = make_user("officer.plans@example.org", "Officers")
    make_user("cllr.plans@example.org", "Councillors")
    make_user("amina.plans@example.org")
    draft = make_plan(plan_index, snapshot, live=False)
    Workflow.objects.get(name=WORKFLOW_NAME).start(draft, officer)

    # The Wagtail admin sets inline styles that the public site's strict CSP listener (on
    # `page`) would report; the admin has its own policy, so it gets its own browser context.
    admin_context = page.context.browser.new_context(base_url=live_server.url)
    admin = admin_context.new_page()
    sign_in(admin, "cllr.plans@example.org", f"/admin/pages/{draft.pk}/edit/")
    expect(admin.get_by_text("Harlesden neighbourhood plan").first).to_be_visible()
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(admin.get_by_role("status")).to_contain_text("has been updated")
    expect(admin.get_by_role("link", name="Current page status: live")).to_be_visible()
    admin_context.close()
    draft.refresh_from_db()
    assert draft.live

    sign_in(page, "amina.plans@example.org", "/plans/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Locality plans")
    assert_accessible(page)
    page.get_by_role("link", name="Harlesden neighbourhood plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harlesden neighbourhood plan")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the plan (PDF)").click()
    path = tmp_path / "plan.pdf"
    download_info.value.save_as(path)
    reader = pypdf.PdfReader(path)
    assert reader.metadata.title == "Harlesden neighbourhood plan"
    assert "Financial hardship" in reader.pages[2].extract_text() + reader.pages[3].extract_text()

    page.goto(draft.url + "highlights/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly highlight reports")
    assert_accessible(page)


def test_monthly_report_and_preparing_pdf_pages_are_accessible(page, live_server, plan_index,  # noqa: F811
                                                              snapshot):  # noqa: F811
    from datetime import date

    from plans.models import PlanPdf
    from plans.pdfs import data_version, render_pdf_row

    plan = make_plan(plan_index, snapshot)
    first, second = plan.actions.all()[:2]
    record_update(first, status="at_risk", note="The room fell through.",
                  issue="No venue yet.", help_needed="A room on Thursdays.",
                  next_steps="Ask the library hub.", on=date(2025, 6, 4))
    record_update(second, status="done", note="Clinic opened.",
                  learning="Warm hand-offs beat leaflets.", on=date(2025, 6, 11))

    page.goto(plan.url + "highlights/2025-06/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("June 2025")
    expect(page.get_by_text("Warm hand-offs beat leaflets.")).to_be_visible()
    assert_accessible(page)

    # A render still waiting for the worker: the "Preparing your PDF" page.
    PlanPdf.objects.create(page=plan, kind="highlights-2025-06",
                           revision_id=plan.live_revision_id, language="en",
                           data_version=data_version(plan), status=PlanPdf.QUEUED)
    page.goto(plan.url + "highlights/2025-06/pdf/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing your PDF")
    assert_accessible(page)
    # Once the worker has rendered it, the status message offers it (no reload, no surprise).
    render_pdf_row(PlanPdf.objects.get(page=plan))
    expect(page.get_by_role("status")).to_contain_text("Your PDF is ready.", timeout=15000)
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    assert_accessible(page)


def test_a_failed_pdf_says_so_accessibly_and_try_again_delivers_it(page, live_server,  # noqa: F811
                                                                   plan_index, snapshot):  # noqa: F811
    from plans.models import PlanPdf
    from plans.pdfs import data_version

    plan = make_plan(plan_index, snapshot)
    PlanPdf.objects.create(page=plan, revision_id=plan.live_revision_id, language="en",
                           data_version=data_version(plan), status=PlanPdf.FAILED,
                           error="Image not found")
    page.goto(plan.url + "pdf/")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not prepare your PDF")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Try again").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    assert PlanPdf.objects.get(page=plan).status == PlanPdf.READY
