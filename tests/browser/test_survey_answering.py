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
    from tests.surveys.test_results import respond

    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    survey = make_survey(index, results_published=True)
    for label in ["Yes"] * 6 + ["No"] * 2:
        respond(survey, single=label, likert=4, ranks=["Housing", "Safety", "Isolation"])
    page.goto(survey.url + "results/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    assert_accessible(page)
    page.goto(index.url)
    assert_accessible(page)
