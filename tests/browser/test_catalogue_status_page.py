"""The admin's "Interface translations" report is axe-clean, wide and at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD, make_user

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_translation_report_is_accessible(browser, live_server, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    make_user("translations.browser@example.org", "Officers")
    # The Wagtail admin has its own CSP (inline scripts), so it gets its own browser context.
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/accounts/login/?next=/admin/translations/")
    page.get_by_label("Email").fill("translations.browser@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile("/admin/translations/"))
    expect(page.get_by_role("heading", name="Interface translations")).to_be_visible()
    table = page.get_by_role("table", name="Interface translations by language")
    expect(table).to_be_visible()
    expect(page.get_by_role("link", name="Download the Arabic .po file")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Polish: [\d,]+ of [\d,]+ strings drafted, none "
                                       r"checked by a fluent translator"))).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    # At 320 px the page itself does not scroll sideways (the table may, inside its own box).
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    context.close()
    assert not errors, errors
