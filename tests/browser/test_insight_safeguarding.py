"""The safeguarding list and a flagged item's page: axe-clean, reachable with the keyboard,
and the page records the opening it shows."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from insight.models import InsightItem, SafeguardingOpened
from portal.neighbourhoods.models import Neighbourhood
from tests.conftest import DEMO_PASSWORD, make_user

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page, email):
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile("/admin/"))


def test_an_officer_opens_a_flag_from_the_list(browser, live_server, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    make_user("safeguarding.browser@example.org", "Officers")
    place = Neighbourhood.objects.create(
        name="Harlesden", slug="harlesden",
        boundary={"type": "Polygon", "coordinates": [[[-0.26, 51.53], [-0.25, 51.53],
                                                      [-0.25, 51.54], [-0.26, 51.53]]]})
    item = InsightItem.objects.create(
        origin=InsightItem.FEEDBACK, origin_id=1, source="healthwatch",
        text="A child on our landing is left alone every night.",
        received_on=datetime.date(2026, 10, 3), neighbourhood=place, safeguarding=True)
    # The Wagtail admin has its own CSP (inline styles), so it gets its own browser context.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "safeguarding.browser@example.org")

    page.goto("/admin/insight/safeguarding/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Safeguarding flags"))
    expect(page.get_by_text("left alone")).to_have_count(0)
    assert_accessible(page)
    link = page.get_by_role("link", name=f"Concern {item.pk}")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/admin/insight/safeguarding/{item.pk}/$"))
    expect(page.get_by_text("A child on our landing is left alone every night.")).to_be_visible()
    expect(page.get_by_text("Opened 1 time.")).to_be_visible()
    assert_accessible(page)
    assert SafeguardingOpened.objects.filter(item=item).count() == 1
    context.close()
    assert not errors
