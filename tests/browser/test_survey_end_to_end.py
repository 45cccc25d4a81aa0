"""Issue 17's end-to-end journey, entirely with the keyboard and as the people who do it: an
officer (the Officers group's own permissions, not a superuser) builds a survey with a statement
grid and a skip condition, previews it in both modes and publishes it
(`test_survey_builder_keyboard.build`); a resident answers it through "check your answers"; the
officer keys a paper response. axe-core runs on every page on the way, admin previews included.
"""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import Response, SurveyIndexPage
from tests.conftest import make_user

from .conftest import ARTIFACTS, assert_accessible
from .test_paper_entry import Keys
from .test_survey_builder_keyboard import OFFICER, build, tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHECK = "Check your answers before submitting them"
PAPER_REFERENCE = "2001"


def test_build_publish_answer_and_key_a_survey_with_the_keyboard(demo_site, browser,
                                                                  live_server, page, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    settings.SURVEYS_MIN_SECONDS = 0
    make_user(OFFICER, "Officers")
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    # The Wagtail admin has its own CSP (inline styles), so it gets its own browser context;
    # the resident's is the `page` fixture's, which fails the test on CSP violations.
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 1280, "height": 900})
    admin = context.new_page()
    try:
        survey = build(admin, index, OFFICER)
        library(admin, index, survey)
        answer_online(page, survey)
        key_paper_form(admin, survey)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        admin.screenshot(path=str(ARTIFACTS / "end_to_end_admin.png"), full_page=True)
        raise
    finally:
        context.close()

    online, paper = (Response.objects.get(survey=survey, channel=channel)
                     for channel in ("online", "paper"))
    assert Response.objects.filter(survey=survey).count() == 2
    assert grid(online) == {"Do you use the park?": "Yes", "The park feels safe": 5,
                            "The park is clean": 4}
    assert paper.paper_reference == PAPER_REFERENCE
    assert grid(paper) == {"Do you use the park?": "Yes", "The park feels safe": 2,
                           "The park is clean": 1}


def grid(response) -> dict:
    """Each answer by its question: the option chosen, or the grid row's point on the scale."""
    return {answer.question.label: answer.option.label if answer.option else answer.number
            for answer in response.answers.select_related("question", "option")}


def library(admin, index, survey):
    """The template chooser and the question bank, as the officer: reachable and axe-clean."""
    admin.goto(f"/admin/pages/{index.pk}/")
    tab_to(admin, admin.get_by_role("link", name="New survey from a template").first)
    admin.keyboard.press("Enter")
    expect(admin.get_by_role("heading", name="New survey from a template")).to_be_visible()
    assert_accessible(admin)
    admin.goto(f"/admin/pages/{survey.pk}/edit/")
    tab_to(admin, admin.get_by_role("button", name="Actions", exact=True))
    admin.keyboard.press("Enter")
    tab_to(admin, admin.get_by_role("link", name="Question bank"), limit=20)
    admin.keyboard.press("Enter")
    expect(admin).to_have_url(re.compile(rf"/admin/survey-library/{survey.pk}/question-bank/"))
    assert_accessible(admin)


def answer_online(page, survey):
    """A resident answers "No" (the grid is skipped), changes it to "Yes" from "check your
    answers" (the grid is asked), answers both rows and submits."""
    page.goto(survey.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Park survey")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Start now"))
    page.keyboard.press("Enter")

    # One step so far: the grid's step is counted once an answer leads to it.
    expect(page.get_by_text("Step 1 of 1")).to_be_visible()
    assert_accessible(page)
    tab_to(page, page.get_by_role("radio", name="Yes"))  # a group is one Tab stop
    page.keyboard.press("ArrowDown")  # moves to, and checks, "No"
    expect(page.get_by_role("radio", name="No")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # "No": the grid is skipped, straight to the check page.
    expect(page.get_by_role("heading", level=1)).to_have_text(CHECK)
    expect(page.get_by_text("The park feels safe")).to_have_count(0)
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="Change Do you use the park?"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("Step 1 of"))).to_be_visible()
    tab_to(page, page.get_by_role("radio", name="No"))  # the checked radio of the group
    page.keyboard.press("ArrowUp")  # moves to, and checks, "Yes"
    expect(page.get_by_role("radio", name="Yes")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # "Yes": the grid is asked, one radio group a row.
    expect(page.get_by_text("Step 2 of 2")).to_be_visible()
    expect(page.get_by_text("How much do you agree with these statements?")).to_be_visible()
    assert_accessible(page)
    for statement, point, downs in (("The park feels safe", "Strongly agree", 0),
                                    ("The park is clean", "Agree", 1)):
        row = page.get_by_role("group", name=statement)
        tab_to(page, row.get_by_role("radio").first)  # each row is one Tab stop
        page.keyboard.press("Space")
        for _ in range(downs):
            page.keyboard.press("ArrowDown")
        expect(row.get_by_role("radio", name=point, exact=True)).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(CHECK)
    expect(page.locator(".summary-list__row", has_text="The park is clean")
           .locator("dd").first).to_have_text("Agree")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Submit your answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Answers submitted")
    response = Response.objects.get(survey=survey)
    expect(page.locator("#reference")).to_have_text(response.reference)
    assert_accessible(page)


def key_paper_form(admin, survey):
    """The officer keys one paper form: its reference, "1" (Yes), then the grid's two rows
    (1 = Strongly agree in the survey's one scale order), counting the key presses."""
    admin.goto(f"/admin/survey-results/{survey.pk}/enter/?channel=paper&received_on=2026-11-03")
    assert_accessible(admin)
    assert admin.evaluate("document.activeElement.name") == "entry-paper_reference"
    keys = Keys(admin)
    keys.type(PAPER_REFERENCE)
    for answer in ("1", "4", "5"):
        keys.press("Tab")
        keys.type(answer)
    keys.press("Enter")
    expect(admin.get_by_text(re.compile("saved. Enter the next one"))).to_be_visible()
    assert keys.count <= len(PAPER_REFERENCE) + 3 + 3 + 1
    assert_accessible(admin)
