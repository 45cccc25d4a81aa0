"""A resident searches the site, narrows the results with the filters, follows a "did you
mean" and types a postcode; every page is axe-clean, at desktop width and on a 320 px phone."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def search_demo(demo_site):
    quiet = open(os.devnull, "w")
    for command, *args in (("load_demo_assets",), ("load_demo_forums",),
                           ("load_demo_surveys", "--responses", "0")):
        call_command(command, *args, stdout=quiet)
    return demo_site


def test_search_with_a_filter(page, search_demo):
    page.goto("/")
    page.get_by_role("link", name="Search", exact=True).first.click()
    page.get_by_label("Search this site").fill("food bank")
    page.get_by_label("Show only").select_option(label="Places and services")
    page.get_by_label("Neighbourhood").select_option(label="Harlesden")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url("/search/?q=food+bank&kind=asset&neighbourhood=harlesden")
    expect(page.get_by_role("status")).to_contain_text("results")
    expect(page.locator(".search-results__item").first).to_contain_text("Food Bank")
    expect(page.locator(".search-results mark").first).to_have_text("Food")
    assert_accessible(page)

    page.get_by_label("Search this site").fill("fod bank")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="food bank", exact=True).click()
    expect(page.get_by_label("Search this site")).to_have_value("food bank")
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/search/?q=NW10+8SE")
    expect(page.get_by_role("link", name="Harlesden").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
