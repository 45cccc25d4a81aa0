"""Journey: a VCS member registers an organisation and an asset with the keyboard only, an
officer approves it in the Wagtail admin, and it appears on the map and in the list."""

import re

import pytest
from playwright.sync_api import expect

from assets_map.models import Asset, AssetMapPage
from tests.conftest import DEMO_PASSWORD, make_user

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page, email):
    page.get_by_label("Email").focus()
    page.keyboard.type(email)
    page.get_by_label("Password").focus()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")


def type_into(page, label, text, exact=False):
    page.get_by_label(label, exact=exact).focus()
    page.keyboard.type(text)


def activate(locator):
    """Follow a link or press a button the way a keyboard user does."""
    locator.focus()
    locator.page.keyboard.press("Enter")


def test_vcs_member_registers_an_asset_that_an_officer_approves(
        demo_site, page, browser, live_server, settings):
    from portal.pages.models import HomePage

    settings.PORTAL_REQUIRE_STAFF_MFA = False
    home = HomePage.objects.filter(locale__language_code="en").first()
    map_page = AssetMapPage(title="Community assets", slug="community-assets")
    home.add_child(instance=map_page)
    map_page.save_revision().publish()
    make_user("volunteer@example.org", "VCS organisations")
    make_user("officer@example.org", "Officers")

    # The VCS member signs in and registers the organisation.
    page.goto("/organisations/new/")
    expect(page).to_have_url(re.compile("/accounts/login/"))
    sign_in(page, "volunteer@example.org")
    expect(page.get_by_role("heading", name="Register an organisation")).to_be_visible()
    assert_accessible(page)
    type_into(page, "Name", "Harlesden Community Trust")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Harlesden Community Trust")).to_be_visible()
    assert_accessible(page)

    # Adds an asset: first a mistake, corrected with the error summary's help.
    activate(page.get_by_role("link", name="Add a place or service"))
    expect(page.get_by_role("heading", name="Add a place or service")).to_be_visible()
    expect(page.locator("#asset-pin-map")).to_have_class(re.compile("map--ready"))
    assert_accessible(page)
    type_into(page, "Name", "Craven Park Food Bank", exact=True)
    page.keyboard.press("Tab")
    page.keyboard.type("Food")  # type-ahead in the focused category list
    expect(page.get_by_label("Category")).to_have_value(re.compile(r"\d+"))
    type_into(page, "Summary", "Emergency food parcels and a community fridge.")
    type_into(page, "Postcode", "ZZ1 1ZZ")
    type_into(page, "Service name", "Food parcels")
    activate(page.get_by_role("button", name="Save and preview"))
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("We could not find the postcode ZZ1 1ZZ")
    assert_accessible(page)
    activate(summary.get_by_role("link", name=re.compile("could not find")))
    expect(page.get_by_label("Postcode")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("NW10 8SE")
    activate(page.get_by_role("button", name="Save and preview"))

    expect(page.get_by_role("heading", name="Craven Park Food Bank")).to_be_visible()
    assert_accessible(page)
    activate(page.get_by_role("button", name="Submit for moderation"))
    expect(page.get_by_text("is waiting for an officer to check it")).to_be_visible()
    asset = Asset.objects.get(name="Craven Park Food Bank")
    assert asset.status == Asset.PENDING and asset.neighbourhood.name == "Harlesden"

    # Not public yet.
    page.goto("/community-assets/")
    expect(page.get_by_role("heading", name="0 assets")).to_be_visible()

    # An officer approves it in the Wagtail admin.
    officer_context = browser.new_context(base_url=live_server.url)
    officer = officer_context.new_page()
    officer.goto("/admin/assets-map/moderation/")
    sign_in(officer, "officer@example.org")
    activate(officer.get_by_role("link", name="Craven Park Food Bank"))
    activate(officer.get_by_role("button", name="Approve and publish"))
    expect(officer.get_by_text("Nothing is waiting for moderation.")).to_be_visible()
    officer_context.close()

    # It is on the map and in the list.
    page.goto("/community-assets/")
    expect(page.get_by_role("heading", name="1 asset")).to_be_visible()
    asset_map = page.locator("#asset-map")
    expect(asset_map).to_have_attribute("data-marker-count", "1")
    expect(asset_map).to_be_visible()
    assert_accessible(page)
    activate(page.get_by_role("link", name="Craven Park Food Bank"))
    expect(page.get_by_role("heading", name="Craven Park Food Bank", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Food parcels")).to_be_visible()
    expect(page.locator("#asset-point-map")).to_have_attribute("data-marker-count", "1")
    assert_accessible(page)
