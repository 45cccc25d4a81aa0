"""A plan PDF whose newest render failed says so accessibly and still offers the last good PDF
(issue 19: a failed render never loses the previous PDF)."""

import pytest
from playwright.sync_api import expect

from tests.plans.conftest import (  # noqa: F401
    harlesden,
    make_plan,
    no_staff_mfa,
    plan_index,
    snapshot,
)

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_failed_pdf_offers_the_previous_version_accessibly(page, live_server,
                                                             plan_index, snapshot):  # noqa: F811
    from django.core.files.base import ContentFile

    from plans.models import PlanPdf
    from plans.pdfs import data_version

    plan = make_plan(plan_index, snapshot)
    old = PlanPdf(page=plan, revision_id=plan.live_revision_id, language="en",
                  data_version="l0-u0", status=PlanPdf.READY)
    old.file.save("old.pdf", ContentFile(b"%PDF-1.7 previous version"), save=True)
    PlanPdf.objects.create(page=plan, revision_id=plan.live_revision_id, language="en",
                           data_version=data_version(plan), status=PlanPdf.FAILED,
                           error="The render needed more than 8 MB of memory and was stopped.")
    page.goto(plan.url + "pdf/")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not prepare your PDF")
    expect(page.get_by_text("could not be made")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the previous version").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read() == b"%PDF-1.7 previous version"
