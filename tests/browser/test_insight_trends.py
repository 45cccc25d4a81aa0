"""The insight trends page, exact and partner view, is axe-clean at 1280 px and at 320 px,
and fits the narrow screen without sideways scrolling of the page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from insight.models import CodingMatrix, MatrixSubTheme
from portal.themes.models import Theme
from tests.conftest import DEMO_PASSWORD, make_user
from tests.insight.test_trends import Maker, place

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

D = datetime.date


def some_items():
    housing, health = Theme.objects.order_by("name")[:2]
    matrix = CodingMatrix.objects.create(number=1)
    repairs = MatrixSubTheme.objects.create(matrix=matrix, theme=housing, key="repairs",
                                            name="Repairs")
    alpha, beta = place("Alpha"), place("Beta")
    add = Maker()
    add(7, D(2026, 8, 10), alpha, "healthwatch", housing, repairs, "negative",
        {"sex": "female"})
    add(2, D(2026, 9, 2), beta, "survey", health, None, "neutral")
    add(9, D(2026, 10, 5), alpha, "survey", health, None, "positive", {"age": "25_34"})
    add(1, D(2026, 11, 3), None, "outreach")


def sign_in(page, email):
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile("/admin/"))


def test_trends_page_is_accessible_wide_and_narrow(browser, live_server, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    make_user("trends.browser@example.org", "Officers")
    some_items()
    # The Wagtail admin has its own CSP (inline scripts), so it gets its own browser context.
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "trends.browser@example.org")
    query = "?since=2026-06-01&until=2026-11-30"
    page.goto(f"/admin/insight/trends/{query}")
    expect(page.get_by_role("img", name="Items per month: bar chart")).to_be_visible()
    expect(page.get_by_role("table", name="Items per month")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/admin/insight/trends/{query}&view=partner")
    expect(page.get_by_text("Partner view: what may be shared")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    for view in ("officer", "partner"):
        page.goto(f"/admin/insight/trends/{query}&view={view}")
        assert_accessible(page)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320, f"the page scrolls sideways at 320 px ({overflow} px)"
    page.goto("/admin/insight/trends/?since=2026-02-30")
    expect(page.get_by_role("alert")).to_contain_text("Enter the start date as a real date")
    assert_accessible(page)
    context.close()
    assert not errors
