"""Journey: a resident finds their neighbourhood by postcode, by list and by map."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_home_to_neighbourhood_by_postcode(demo_site, page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say in your neighbourhood")
    expect(page.locator("#home-map.map--ready")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Find your neighbourhood by postcode").fill("nw10 8se")
    page.get_by_role("button", name="Find").click()

    expect(page).to_have_url(re.compile(r"/neighbourhoods/harlesden/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Harlesden")
    expect(page.get_by_text("50,523")).to_be_visible()
    assert_accessible(page)


def test_unknown_and_malformed_postcodes_get_clear_errors(demo_site, page):
    page.goto("/neighbourhoods/")
    page.get_by_label("Find your neighbourhood by postcode").fill("not a postcode")
    page.get_by_role("button", name="Find").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("“not a postcode” is not a postcode")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)

    summary.get_by_role("link").click()
    expect(page.get_by_label("Find your neighbourhood by postcode")).to_be_focused()

    page.get_by_label("Find your neighbourhood by postcode").fill("SW1A 1AA")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("alert")).to_contain_text("SW1A 1AA is not in our area")
    assert_accessible(page)

    page.get_by_label("Find your neighbourhood by postcode").fill("NW10 9ZZ")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("alert")).to_contain_text("could not find the postcode NW10 9ZZ")

    page.get_by_label("Find your neighbourhood by postcode").fill("nw10 4lb")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harlesden")


def test_choose_from_list_and_from_map(demo_site, page):
    page.goto("/neighbourhoods/")
    assert_accessible(page)
    page.get_by_role("link", name="Wembley").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wembley")

    page.goto("/neighbourhoods/")
    map_element = page.locator("#index-map")
    expect(map_element).to_have_class(re.compile("map--ready"))
    paths = map_element.locator("path.leaflet-interactive")
    expect(paths).to_have_count(5)
    paths.nth(0).click(force=True)
    expect(page).to_have_url(re.compile(r"/neighbourhoods/[a-z-]+/$"))


def test_keyboard_user_can_skip_to_content_and_switch_language(demo_site, page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main-content$"))

    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("link", name="Neidio i'r prif gynnwys")).to_be_attached()
    assert_accessible(page)
