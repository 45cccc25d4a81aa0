"""The suggested codes page is axe-clean with and without a model, at 1280 px and at 320 px, and
"Retrain now" works from the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from insight import classifier
from tests.conftest import DEMO_PASSWORD, make_user
from tests.insight.test_classifier import add_items, make_themes, sentences

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_suggestions_page_is_accessible_and_retrains_from_the_keyboard(browser, live_server,
                                                                       settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    make_user("suggestions.browser@example.org", "Officers")
    classifier._current.clear()
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/accounts/login/?next=/admin/insight/suggestions/")
    page.get_by_label("Email").fill("suggestions.browser@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="No model yet")).to_be_visible()
    page.reload()  # without the fading "signed in" message
    assert_accessible(page)

    themes = make_themes()
    rows = list(sentences())
    add_items([text for text, _s in rows], coded_with=[s for _t, s in rows], themes=themes)
    page.reload()
    button = page.get_by_role("button", name="Retrain now")
    button.focus()
    page.keyboard.press("Enter")  # the test settings run the task at once
    expect(page.get_by_text("Retraining queued.")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Precision and recall"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Of the themes it suggested .* \(precision\)"))
           ).to_be_visible()
    page.reload()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 320, f"the page scrolls sideways at 320 px ({overflow} px)"
    context.close()
    assert not errors
