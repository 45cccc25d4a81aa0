"""Journey (issue 17): answer online through "check your answers", change an answer with its
Change link, submit and see the reference; the check page is axe-clean and fits 320 px."""

import pytest
from playwright.sync_api import expect

from surveys.models import Response, SurveyIndexPage
from tests.surveys.conftest import block, make_survey, question, sections

from .conftest import assert_accessible
from .test_survey_answering import tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHECK = "Check your answers before submitting them"


def with_grid():
    """The family hubs survey with an optional statement grid on its second step."""
    steps = sections()
    grid = block("statement_grid", question(
        "How much do you agree with these?", required=False,
        statements=[block("item", {"statement": text, "theme": None})
                    for text in ("The hub is clean", "Staff are friendly")]))
    steps[1]["value"]["questions"].append(grid)
    return steps


def test_answer_change_and_submit_through_check_your_answers(demo_site, page, settings):
    settings.SURVEYS_MIN_SECONDS = 0
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    survey = make_survey(index, sections=with_grid())

    page.goto(survey.url + "step/1/")
    page.get_by_label("Postcode").fill("NW10 8SE")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_text("Step 2 of 3")).to_be_visible()
    expect(page.get_by_text("How much do you agree with these?")).to_be_visible()
    expect(page.get_by_role("group", name="The hub is clean (optional)")).to_be_visible()
    page.get_by_role("checkbox", name="Library").check()
    page.get_by_role("group", name="Family hubs are easy to get to").get_by_role(
        "radio", name="Strongly agree").check()
    page.get_by_role("group", name="The hub is clean").get_by_role(
        "radio", name="Agree", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_text("Step 3 of 3")).to_be_visible()
    expect(page.get_by_text("How many people live in your home? (optional)")).to_be_visible()
    for label, rank in (("Air quality", "1"), ("Housing", "2"), ("Safety", "3")):
        page.get_by_label(label, exact=True).select_option(rank)
    page.get_by_role("button", name="Continue").click()

    # Check your answers: every asked question, its answer, and a named Change link.
    expect(page.get_by_role("heading", level=1)).to_have_text(CHECK)
    expect(page.get_by_role("term").filter(
        has_text="How much do you agree with these?: The hub is clean")).to_be_visible()
    expect(page.get_by_text("Not answered").first).to_be_visible()
    assert not Response.objects.exists()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1024, "height": 768})

    # Change one answer with the keyboard: the step opens, then comes back here.
    tab_to(page, page.get_by_role("link", name="Change Family hubs are easy to get to"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Step 2 of 3")).to_be_visible()
    page.get_by_role("group", name="Family hubs are easy to get to").get_by_role(
        "radio", name="Disagree", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CHECK)
    row = page.locator(".summary-list__row", has_text="Family hubs are easy to get to")
    expect(row.locator("dd").first).to_have_text("Disagree")

    tab_to(page, page.get_by_role("button", name="Submit your answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Answers submitted")
    response = Response.objects.get()
    expect(page.locator("#reference")).to_have_text(response.reference)
    assert response.answers.get(question__label="Family hubs are easy to get to").number == 2
    assert response.answers.get(question__label="The hub is clean").number == 4
    assert not response.answers.filter(question__label="Staff are friendly").exists()

    # The back button cannot submit again: it says so, with the same reference.
    page.go_back()
    expect(page.get_by_text("You have already answered this survey")).to_contain_text(
        response.reference)
    assert Response.objects.count() == 1
