"""The admin's "Content translations" report is axe-clean, wide and at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD, make_user

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def make_pages():
    from wagtail.models import Locale, Site

    from portal.pages.models import StandardPage

    welsh = Locale.objects.get_or_create(language_code="cy")[0]
    root = Site.objects.get(is_default_site=True).root_page
    copied = root.add_child(instance=StandardPage(title="Bin collections", slug="bins"))
    copied.copy_for_translation(welsh, copy_parents=True)
    root.add_child(instance=StandardPage(title="Parking permits", slug="parking"))


def test_the_content_translation_report_is_accessible(browser, live_server, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    make_user("content.translations@example.org", "Officers")
    make_pages()
    # The Wagtail admin has its own CSP (inline scripts), so it gets its own browser context.
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/accounts/login/?next=/admin/content-translations/")
    page.get_by_label("Email").fill("content.translations@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile("/admin/content-translations/"))
    expect(page.get_by_role("heading", name="Content translations")).to_be_visible()
    expect(page.get_by_role("table", name="Translation state of each page and snippet")
           ).to_contain_text("Copy, not translated")
    assert_accessible(page)
    page.get_by_label("State").select_option("not_translated")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile("state=not_translated"))
    rows = page.get_by_role("table", name="Translation state of each page and snippet")
    expect(rows).to_contain_text("Parking permits")
    expect(rows).not_to_contain_text("Bin collections")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    context.close()
    assert not errors, errors
