"""Journey: an officer adds a sub-theme to the coding matrix with the keyboard and saves a new
version; every matrix page (current, edit, an error, an old version) is axe-clean and fits a
320 px screen."""

import re

import pytest
from playwright.sync_api import expect

from insight import matrix
from insight.matrix import ServiceRow, SubThemeRow
from insight.models import CodingMatrix
from portal.themes.models import Theme
from tests.conftest import make_user

from .conftest import assert_accessible
from .test_paper_entry import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fits(page, width=320):
    page.set_viewport_size({"width": width, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return overflow <= width


def test_an_officer_adds_a_sub_theme_with_the_keyboard(browser, live_server, demo_site,
                                                       settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    officer = make_user("matrix.browser@example.org", "Officers")
    housing = Theme.objects.get(slug="housing").pk
    matrix.save_new_version(matrix.propose(matrix.current_matrix(), [
        SubThemeRow(housing, "Damp and mould", 1), SubThemeRow(housing, "Repairs", 2)],
        [ServiceRow("Housing repairs")]), officer, "First sub-themes")
    # The Wagtail admin has its own CSP (inline styles), so it gets its own browser context.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "matrix.browser@example.org")

    page.goto("/admin/insight/matrix/")
    expect(page.get_by_role("heading", name="Housing")).to_be_visible()
    assert_accessible(page)
    assert fits(page)
    page.get_by_role("link", name="Edit the coding matrix").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/admin/insight/matrix/edit/"))
    assert_accessible(page)
    assert fits(page)

    # Saving with nothing changed and no notes: a clear summary, nothing saved.
    page.get_by_role("button", name="Save as version 3").focus()
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Nothing has changed")
    expect(summary).to_contain_text("Say what changed and why")
    assert_accessible(page)

    # The first new row: choose the theme by typing, then the name and the order.
    page.locator("#id_sub-2-theme").focus()
    page.keyboard.type("Housing")
    page.keyboard.press("Tab")
    page.keyboard.type("Overcrowding")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.get_by_label("What changed and why").focus()
    page.keyboard.type("Healthwatch asked us to count overcrowding on its own.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save as version 3")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/admin/insight/matrix/$"))
    expect(page.get_by_text("Version 3 of the coding matrix saved.")).to_be_visible()
    assert_accessible(page)
    newest = CodingMatrix.current()
    assert newest.number == 3
    assert list(newest.sub_themes.order_by("position").values_list("name", flat=True)) == [
        "Damp and mould", "Repairs", "Overcrowding"]

    page.goto("/admin/insight/matrix/versions/2/")
    expect(page.get_by_text("This is an old version.")).to_be_visible()
    assert_accessible(page)
    assert fits(page)
    context.close()
    assert not errors, errors
