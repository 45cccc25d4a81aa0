"""Arabic in a browser: pages are right to left, mirrored (Leaflet's zoom buttons on the inline
start side, the error bar of a question on the right, breadcrumb arrows pointing left), fit
320 px without scrolling sideways, and pass axe-core; English stays as it was."""

import pytest
from playwright.sync_api import expect

from assets_map.models import Asset, AssetCategory, AssetMapPage
from portal.pages.models import HomePage
from surveys.models import SurveyIndexPage
from tests.surveys.conftest import make_survey

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COMMUNITY_LANGUAGES = [("en", "English"), ("cy", "Cymraeg"), ("ar", "العربية"),
                       ("ur", "اردو"), ("bn", "বাংলা")]


@pytest.fixture
def survey(demo_site, settings):
    """Arabic offered; a survey, and an asset map with three places."""
    settings.LANGUAGES = COMMUNITY_LANGUAGES
    settings.SURVEYS_MIN_SECONDS = 0
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    home = HomePage.objects.filter(locale__language_code="en").first()
    home.add_child(instance=AssetMapPage(title="Community assets", slug="community-assets"))
    category = AssetCategory.objects.get(slug="food-support")
    for number, (lat, lng) in enumerate([(51.536, -0.247), (51.540, -0.260), (51.550, -0.230)]):
        Asset.objects.create(name=f"Food bank {number}", latitude=lat, longitude=lng,
                             category=category, status=Asset.PUBLISHED)
    return make_survey(index)


def sideways_overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")


def zoom_side(page) -> str:
    """Which half of the map Leaflet's zoom buttons are in."""
    map_box = page.locator(".leaflet-container").first.bounding_box()
    zoom = page.locator(".leaflet-control-zoom").first.bounding_box()
    return "right" if zoom["x"] > map_box["x"] + map_box["width"] / 2 else "left"


def error_bar_widths(page) -> list[str]:
    """The first question in error: its red bar's width on the [left, right]."""
    return page.locator(".form-group--error").first.evaluate(
        "e => [getComputedStyle(e).borderLeftWidth, getComputedStyle(e).borderRightWidth]")


def answer_nothing(page, survey, prefix):
    page.goto(f"{prefix}{survey.url}step/1/")
    page.locator(".button-group button[type=submit]").first.click()
    expect(page.get_by_role("alert")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 320])
def test_arabic_pages_are_mirrored_fit_and_accessible(survey, page, width):
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/ar/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".leaflet-control-zoom")).to_be_visible()
    assert zoom_side(page) == "right"
    assert sideways_overflow(page) == 0
    assert_accessible(page)

    page.goto("/ar/community-assets/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".leaflet-control-zoom")).to_be_attached()
    assert zoom_side(page) == "right"
    separator = page.locator(".breadcrumbs__item + .breadcrumbs__item").first.evaluate(
        "e => getComputedStyle(e, '::before').transform")
    assert separator == "matrix(-1, 0, 0, 1, 0, 0)"
    assert sideways_overflow(page) == 0
    assert_accessible(page)

    answer_nothing(page, survey, "/ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert error_bar_widths(page) == ["0px", "5px"]
    assert_accessible(page)


def test_arabic_survey_step_does_not_scroll_sideways(survey, page):
    page.set_viewport_size({"width": 320, "height": 900})
    answer_nothing(page, survey, "/ar")
    assert sideways_overflow(page) == 0


def test_english_stays_left_to_right(survey, page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator(".leaflet-control-zoom")).to_be_visible()
    assert zoom_side(page) == "left"
    separator = page.locator(".breadcrumbs__item + .breadcrumbs__item")
    page.goto("/community-assets/")
    assert separator.first.evaluate("e => getComputedStyle(e, '::before').transform") == "none"
    answer_nothing(page, survey, "")
    assert error_bar_widths(page) == ["5px", "0px"]
