"""Journey: a resident answers a three-step survey with the keyboard only."""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import Response, SurveyIndexPage
from tests.surveys.conftest import make_survey

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def tab_to(page, locator, limit=80):
    """Press Tab until the locator has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Could not reach {locator} with the Tab key")


def test_resident_answers_with_the_keyboard_and_gets_a_reference(demo_site, page, settings):
    settings.SURVEYS_MIN_SECONDS = 0
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    survey = make_survey(index)

    page.goto(survey.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Family hubs survey")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Start now"))
    page.keyboard.press("Enter")

    # Step 1: continue without answering, then fix the errors the summary lists.
    expect(page.get_by_text("Step 1 of 3")).to_be_visible()
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter your postcode or choose your neighbourhood")
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)
    tab_to(page, page.get_by_label("Postcode"))
    page.keyboard.type("NW10 8SE")
    tab_to(page, page.get_by_role("radio", name="Yes"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # Step 2: shown because of the "Yes" answer.
    expect(page.get_by_text("Step 2 of 3")).to_be_visible()
    assert_accessible(page)
    tab_to(page, page.get_by_role("checkbox", name="Library"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("radio", name="Strongly agree"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # Step 3: rank three issues with the number selects, which need no JavaScript.
    expect(page.get_by_text("Step 3 of 3")).to_be_visible()
    assert_accessible(page)
    for label, rank in (("Air quality", "1"), ("Housing", "2"), ("Safety", "3")):
        tab_to(page, page.get_by_label(label, exact=True))
        page.keyboard.type(rank)
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # Check your answers, then submit from there.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting them")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Submit your answers"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Answers submitted")
    assert_accessible(page)
    response = Response.objects.get()
    expect(page.locator("#reference")).to_have_text(response.reference)
    ranked = dict(response.answers.filter(rank__isnull=False)
                  .values_list("option__label", "rank"))
    assert ranked == {"Air quality": 1, "Housing": 2, "Safety": 3}
    assert response.neighbourhood.name == "Harlesden"


def test_published_results_page_is_accessible(demo_site, page):
    from tests.surveys.conftest import respond

    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    survey = make_survey(index, results_published=True)
    for label in ["Yes"] * 6 + ["No"] * 2:
        respond(survey, single=label, likert=4, ranks=["Housing", "Safety", "Isolation"])
    page.goto(survey.url + "results/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    # 6 and 2 of 8: the 2 is small, and 8 - 6 would give it away, so neither shows.
    expect(page.get_by_role("cell", name="not shown", exact=True).first).to_be_visible()
    assert_accessible(page)
    page.goto(index.url)
    assert_accessible(page)


def _map_survey(demo_site):
    from tests.surveys.conftest import map_sections

    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    return make_survey(index, title="Safer streets", sections=map_sections())


def test_show_us_where_from_the_list_with_the_keyboard(demo_site, page, settings):
    settings.SURVEYS_MIN_SECONDS = 0
    survey = _map_survey(demo_site)
    page.goto(survey.url + "step/1/")
    expect(page.get_by_text("Step 1 of 2")).to_be_visible()
    expect(page.locator(".survey-pin__map.map--ready")).to_be_visible()  # the enhancement ran
    assert_accessible(page)

    # Nothing chosen: a clear error that leads to the list.
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose a place from the list or enter a postcode near it.")
    assert_accessible(page)
    summary.get_by_role("link").click()
    select = page.get_by_label("Choose a place from the list")
    expect(select).to_be_focused()

    # A screen reader or keyboard user picks the named place from the list.
    page.keyboard.type("Harlesden clock")
    expect(select).to_have_value(re.compile("^p"))
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Step 2 of 2")).to_be_visible()

    # Going back keeps the answer.
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_label("Choose a place from the list")).to_have_value(re.compile("^p"))
    page.get_by_role("button", name="Continue").click()
    tab_to(page, page.get_by_role("radio", name="Day"))
    page.keyboard.press("ArrowDown")  # radios in a group: arrows move and select
    expect(page.get_by_role("radio", name="Night")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Harlesden clock tower")).to_be_visible()  # check your answers
    tab_to(page, page.get_by_role("button", name="Submit your answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Answers submitted")
    answer = Response.objects.get().answers.get(question__kind="map_pin")
    assert answer.option.label == "Harlesden clock tower"
    assert answer.neighbourhood.name == "Harlesden"


def test_show_us_where_by_tapping_the_map(demo_site, page, settings):
    settings.SURVEYS_MIN_SECONDS = 0
    survey = _map_survey(demo_site)
    page.goto(survey.url + "step/1/")
    select = page.get_by_label("Choose a place from the list")
    select.select_option(label="Wembley")
    map_element = page.locator(".survey-pin__map")
    expect(map_element).to_be_visible()
    box = map_element.bounding_box()
    # The map fits the borough: its middle is inside one of the neighbourhoods.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("[data-pin-status]")).to_contain_text("You marked a place on the map")
    expect(select).to_have_value("")  # marking the map clears the list choice
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Step 2 of 2")).to_be_visible()
    page.get_by_role("radio", name="Day").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("A point on the map")).to_be_visible()  # check your answers
    page.get_by_role("button", name="Submit your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Answers submitted")
    answer = Response.objects.get().answers.get(question__kind="map_pin")
    assert answer.latitude is not None and answer.neighbourhood is not None
    assert answer.option is None
