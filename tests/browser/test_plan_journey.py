"""Journey: an officer's draft plan awaits approval; a councillor approves it in the Wagtail
admin, which publishes it; a resident reads it (accessible) and downloads its PDF."""

import pypdf
import pytest
from playwright.sync_api import expect
from wagtail.models import Workflow

from portal.plans.models import WORKFLOW_NAME
from tests.conftest import DEMO_PASSWORD, make_user
from tests.plans.conftest import (  # noqa: F401
    harlesden,
    make_plan,
    no_staff_mfa,
    plan_index,
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
