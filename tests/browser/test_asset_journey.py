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
    type_into(page, "Postcode", "NW10 9ZZ")
    type_into(page, "Service name", "Food parcels")
    activate(page.get_by_role("button", name="Save and preview"))
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("We could not find the postcode NW10 9ZZ")
    expect(summary).to_contain_text("You can give the latitude and longitude instead.")
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
    # A new organisation: the officer checks it and verifies it in the same step.
    expect(officer.get_by_text("Harlesden Community Trust is not verified yet.")).to_be_visible()
    officer.get_by_label("I have checked that this organisation is genuine").check()
    activate(officer.get_by_role("button", name="Verify the organisation, approve and publish"))
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


def publish_map_page():
    from portal.pages.models import HomePage

    home = HomePage.objects.filter(locale__language_code="en").first()
    map_page = AssetMapPage(title="Community assets", slug="community-assets")
    home.add_child(instance=map_page)
    map_page.save_revision().publish()
    return map_page


def published_assets():
    from assets_map.models import AssetCategory

    library = AssetCategory.objects.get(slug="library")
    harlesden = Asset.objects.create(name="Harlesden Library", category=library,
                                     latitude=51.53865, longitude=-0.25054,
                                     summary="Books and computers.", status=Asset.PUBLISHED)
    kilburn = Asset.objects.create(name="Kilburn Library", category=library,
                                   latitude=51.53511, longitude=-0.20543, status=Asset.PUBLISHED)
    return harlesden, kilburn


def test_near_me_sorts_the_list_by_the_browsers_location(demo_site, browser, live_server):
    publish_map_page()
    published_assets()
    context = browser.new_context(base_url=live_server.url,
                                  geolocation={"latitude": 51.5351, "longitude": -0.2054},
                                  permissions=["geolocation"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    page.goto("/community-assets/")
    expect(page.get_by_role("heading", name="2 assets", exact=True)).to_be_visible()
    button = page.get_by_role("button", name="Use my location")
    expect(button).to_be_visible()
    assert_accessible(page)
    activate(button)
    expect(page.get_by_role("heading", name="2 assets, nearest to you first")).to_be_visible()
    names = page.locator(".asset-card__title").all_inner_texts()
    assert names == ["Kilburn Library", "Harlesden Library"]
    assert "lat=51.535" in page.url and "lng=-0.205" in page.url
    assert_accessible(page)
    context.close()
    assert not errors, errors


def test_without_permission_the_button_explains_and_the_postcode_search_stays(
        demo_site, page):
    publish_map_page()
    published_assets()
    page.goto("/community-assets/")
    activate(page.get_by_role("button", name="Use my location"))
    expect(page.locator("[data-near-me-status]")).to_have_text(
        re.compile("did not share your location|could not find your location"))
    type_into(page, "Near postcode", "NW6 6NN")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="2 assets, nearest to NW6 6NN first")).to_be_visible()


def test_someone_asks_to_join_an_owner_approves_and_they_preview_an_edit(
        demo_site, page, browser, live_server):
    from assets_map.models import Organisation, OrganisationMembership, Submission

    publish_map_page()
    harlesden, _kilburn = published_assets()
    trust = Organisation.objects.create(name="Harlesden Community Trust", charity_number="1123456")
    owner = make_user("owner@example.org", "VCS organisations")
    OrganisationMembership.objects.create(organisation=trust, user=owner, role="owner")
    harlesden.organisation = trust
    harlesden.save()
    make_user("joiner@example.org")

    # The volunteer finds the trust and asks to join.
    page.goto("/organisations/")
    sign_in(page, "joiner@example.org")
    activate(page.get_by_role("link", name="Ask to join an organisation"))
    type_into(page, "Organisation name or charity number", "1123456")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 organisation matches “1123456”")).to_be_visible()
    assert_accessible(page)
    activate(page.get_by_role("link", name="Ask to join Harlesden Community Trust"))
    type_into(page, "Message to the organisation's owners (optional)",
              "I run the homework club.")
    assert_accessible(page)
    activate(page.get_by_role("button", name="Send request"))
    expect(page.get_by_text("Your request to join Harlesden Community Trust is sent")
           ).to_be_visible()
    expect(page.get_by_text("You asked to join Harlesden Community Trust on")).to_be_visible()

    # An owner approves them, choosing the owner role.
    owner_context = browser.new_context(base_url=live_server.url)
    owner_page = owner_context.new_page()
    owner_page.goto(f"/organisations/{trust.slug}/")
    sign_in(owner_page, "owner@example.org")
    expect(owner_page.get_by_role("heading", name="Requests to join")).to_be_visible()
    expect(owner_page.get_by_text("I run the homework club.")).to_be_visible()
    assert_accessible(owner_page)
    owner_page.get_by_label("Owner", exact=True).check()
    activate(owner_page.get_by_role("button", name="Approve the request from joiner@example.org"))
    expect(owner_page.get_by_text("joiner@example.org is now a member")).to_be_visible()
    owner_context.close()

    # Now a member, they edit the published library and preview the change.
    page.goto("/organisations/")
    activate(page.get_by_role("link", name="Harlesden Community Trust"))
    activate(page.get_by_role("link", name="Edit Harlesden Library"))
    summary = page.get_by_label("Summary")
    summary.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Books, computers and a homework club.")
    activate(page.get_by_role("button", name="Save and preview"))
    expect(page.get_by_text("This is a preview; nothing has been submitted yet.")).to_be_visible()
    expect(page.get_by_text("Books, computers and a homework club.")).to_be_visible()
    assert_accessible(page)
    # "Change" brings back what was typed.
    activate(page.get_by_role("link", name="Change"))
    expect(page.get_by_label("Summary")).to_have_value("Books, computers and a homework club.")
    page.go_back()
    activate(page.get_by_role("button", name="Submit for moderation"))
    expect(page.get_by_text("waiting for an officer to check them")).to_be_visible()
    assert Submission.objects.get(status=Submission.PENDING).data["fields"]["summary"] == \
        "Books, computers and a homework club."
    # The public page is unchanged until an officer approves.
    page.goto(f"/community-assets/{harlesden.slug}/")
    expect(page.get_by_text("Books and computers.")).to_be_visible()
