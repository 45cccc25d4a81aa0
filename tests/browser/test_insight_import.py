"""Journey: an officer imports a feedback file: upload -> match the columns (an unmapped
required column first) -> dry run -> import -> done. Every page is axe-clean and fits 320 px,
as is the progress page of an import still running."""

import re

import pytest
from playwright.sync_api import expect

from insight.models import ImportRun, ImportSource
from portal.neighbourhoods.models import Neighbourhood
from priorities.models import FeedbackItem
from tests.conftest import make_user

from .conftest import assert_accessible
from .test_insight_matrix import fits
from .test_paper_entry import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_officer_imports_a_file(browser, live_server, demo_site, settings, tmp_path):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    settings.MEDIA_ROOT = str(tmp_path)  # the uploaded file is thrown away
    make_user("import.browser@example.org", "Officers")
    area = Neighbourhood.objects.order_by("name").first().name
    content = ("Ref,Date,Comment,Area,Theme\r\n"
               f"1,2026-10-03,The lifts are broken again,{area},Housing\r\n"
               f"2,03/10/2026,Buses are late,{area},\r\n"
               f"3,3 Oct 2026,Where is this,Atlantis,\r\n").encode()
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "import.browser@example.org")

    page.goto("/admin/insight/imports/")
    assert_accessible(page)
    assert fits(page)
    page.get_by_role("link", name="Import a file").click()
    expect(page).to_have_url(re.compile("/admin/insight/imports/new/"))
    assert_accessible(page)
    assert fits(page)
    page.get_by_label("Name of a new source").fill("Partner log")
    page.get_by_label("Channel of a new source").select_option(FeedbackItem.PARTNER_MEETING)
    page.get_by_label("File (CSV or XLSX)").set_input_files(
        {"name": "feedback.csv", "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Upload and match the columns").click()

    expect(page).to_have_url(re.compile("/columns/"))
    expect(page.get_by_text("The file was read as UTF-8 text.")).to_be_visible()
    assert_accessible(page)
    assert fits(page)
    # Leave the required neighbourhood unmapped: an error summary, nothing lost.
    page.get_by_label("Neighbourhood (required)").select_option("")
    page.get_by_role("button", name="Check every row (dry run)").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Choose the column that holds the neighbourhood")
    assert_accessible(page)
    page.get_by_label("Neighbourhood (required)").select_option("Area")
    page.get_by_role("button", name="Check every row (dry run)").click()

    expect(page.get_by_role("heading", name="Dry run: what importing would do")).to_be_visible()
    expect(page.get_by_text("Row 4, Neighbourhood: “Atlantis” is not a neighbourhood")
           ).to_be_visible()
    assert_accessible(page)
    assert fits(page)
    assert not FeedbackItem.objects.filter(text="Buses are late").exists()
    page.get_by_role("button", name="Import 2 rows").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="What the import did")).to_be_visible()
    assert_accessible(page)
    assert fits(page)
    run = ImportRun.objects.get()
    assert run.state == ImportRun.DONE and run.created_count == 2
    assert ImportSource.objects.get().mapping["neighbourhood"] == "Area"

    # The progress page of an import still running.
    run.state, run.processed_rows, run.total_rows = ImportRun.RUNNING, 1, 3
    run.save()
    settings.INSIGHT_IMPORT_REFRESH_SECONDS = 600  # no reload while axe reads the page
    page.goto(f"/admin/insight/imports/{run.pk}/")
    expect(page.locator("progress")).to_have_attribute("value", "1")
    assert_accessible(page)
    assert fits(page)
    assert not errors
    context.close()
