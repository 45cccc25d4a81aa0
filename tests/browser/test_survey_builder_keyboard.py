"""The first part of the end-to-end journey (`test_survey_end_to_end`): an officer builds a
survey with a statement grid and a skip condition entirely with the keyboard in the Wagtail
admin (Tab, Enter, Space, arrows and typing: no mouse), previews it in both modes and publishes
it, with axe-core on the editor, the skip conditions screen and both previews."""

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from surveys.models import Question, SurveyPage
from tests.conftest import DEMO_PASSWORD

from .conftest import assert_accessible

OFFICER = "officer.keyboard@example.org"
WATCHING_EDITS = """document.addEventListener("w-unsaved:watch-edits", () => {
    window.portalWatchingEdits = true; });"""


def tab_to(page, locator, limit=400):
    """Press Tab until the locator has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Could not reach {locator} with the Tab key")


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)


def tab_to_next(page, css, limit=60, here=False):
    """Press Tab until the focused element matches `css` (or stay, with `here`, if it does)."""
    matches = "css => document.activeElement && document.activeElement.matches(css)"
    if here and page.evaluate(matches, css):
        return
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(matches, css):
            return
    raise AssertionError(f"Could not reach {css} with the Tab key")


ADD = ".c-sf-add-button"


def focus_lands_on(page, css):
    """Wait for Wagtail to move the focus to a new block's first field (it does so a moment
    after the block is inserted)."""
    page.wait_for_function("css => document.activeElement.matches(css)", arg=css)


def add_block(page, name):
    """Tab to the next "Insert a block" button, press Enter, and pick `name` by typing it."""
    tab_to_next(page, ADD)
    page.keyboard.press("Enter")
    search = "input[placeholder^='Search options']"
    expect(page.locator(f"{search}:visible")).to_have_count(1)
    tab_to_next(page, search, limit=5, here=True)
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    focus_lands_on(page, "[id$='-value-question']")


def list_item(page, item_id, text):
    """Type into a list item's field, first adding the item with the list's add button if it
    is not there yet (Wagtail then moves the focus to the new item's field)."""
    if page.locator(f"#{item_id}").count():
        tab_to_next(page, f"#{item_id}")
    else:
        tab_to_next(page, ADD)
        page.keyboard.press("Enter")
        focus_lands_on(page, f"#{item_id}")
    page.keyboard.type(text)


def add_section(page, title):
    tab_to(page, page.locator("[data-contentpath='sections'] " + ADD).last)
    page.keyboard.press("Enter")  # one block type (section): inserted at once
    focus_lands_on(page, "[id$='-value-title']")
    page.keyboard.type(title)


def next_field(page, suffix, text):
    tab_to_next(page, f"[id$='{suffix}']", here=True)
    page.keyboard.type(text)


def sign_in(page, email):
    """Sign in to the admin with the keyboard."""
    page.goto("/accounts/login/?next=/admin/")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/admin/"))


def assert_preview_accessible(page):
    """axe-core on the document in the editor's preview panel. Wagtail loads each update into
    a new iframe and then drops the old one, so a run that lands on the old one is retried."""
    for attempt in range(5):
        page.wait_for_load_state("networkidle")
        frame = page.locator("iframe[title='Preview']:visible").last.element_handle()
        frame = frame.content_frame()
        try:
            if frame is not None:
                assert_accessible(frame)
                return
        except PlaywrightError as error:
            if "detached" not in str(error) or attempt == 4:
                raise
        page.wait_for_timeout(200)
    raise AssertionError("The preview panel kept changing: axe-core could not run on it")


def build(page, index, email):
    """Signed in as `email`, build "Park survey" with the keyboard: "Do you use the park?"
    (Yes, No), then a statement grid asked only if the answer is "Yes"; preview it in both
    modes and publish it. Returns the survey."""
    page.set_default_timeout(15_000)
    sign_in(page, email)

    # Wagtail's unsaved-changes watcher (which triggers the autosave) takes its snapshot of the
    # form 2 s after the editor loads, and counts only what changes after it: anything typed
    # sooner is in the snapshot and never autosaved. Start typing once it is watching, as a
    # person reading the form first would.
    page.add_init_script(WATCHING_EDITS)
    page.goto(f"/admin/pages/add/surveys/surveypage/{index.pk}/")
    page.wait_for_function("() => window.portalWatchingEdits === true")
    type_into(page, page.locator("#id_title"), "Park survey")
    type_into(page, page.locator("#id_introduction"), "Tell us about the park.")
    type_into(page, page.locator("#id_opens_at"), "2026-01-01 09:00")
    page.keyboard.press("Escape")
    type_into(page, page.locator("#id_closes_at"), "2036-01-01 09:00")
    page.keyboard.press("Escape")
    type_into(page, page.locator("[data-contentpath='privacy_notice'] [role='textbox']"),
              "The council keeps your answers for a year.")
    # Draftail keeps what was typed in its own state and copies it to the form field when the
    # box loses focus; leave the box so the autosave sends the notice.
    page.keyboard.press("Tab")

    # The editor autosaves the new page as a draft and carries on as its edit view.
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=30_000)
    page.wait_for_load_state("networkidle")

    # Section 1: a single choice question with two options.
    add_section(page, "You")
    add_block(page, "Single choice")
    next_field(page, "-value-question", "Do you use the park?")
    # the condition is never typed: its fields are hidden in the editor
    expect(page.locator("[id$='-value-show_if_question']").first).to_be_hidden()
    for n, label in enumerate(["Yes", "No"]):
        list_item(page, f"sections-0-value-questions-0-value-options-{n}-value-label", label)

    # Section 2: a statement grid of two statements.
    add_section(page, "The park")
    add_block(page, "Statement grid")
    next_field(page, "-value-question", "How much do you agree with these statements?")
    for n, label in enumerate(["The park feels safe", "The park is clean"]):
        list_item(page, f"sections-1-value-questions-0-value-statements-{n}-value-statement",
                  label)
    tab_to(page, page.get_by_role("button", name="Save draft"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("has been updated").first).to_be_visible()
    survey = SurveyPage.objects.get(title="Park survey")
    # The page editor, with the survey's blocks open. Wagtail's Draftail box (the privacy
    # notice) has no accessible name of its own: an upstream Wagtail issue. Naming it through
    # a custom widget option stopped Draftail saving its text, so it is left to Wagtail.
    assert_accessible(page, upstream=("aria-input-field-name",))

    # The skip condition: chosen from a list on the Skip conditions screen.
    tab_to(page, page.get_by_role("button", name="Actions", exact=True))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Skip conditions"), limit=20)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Skip conditions"))).to_be_visible()
    assert_accessible(page)
    condition = page.get_by_label("Ask “How much do you agree with these statements?”")
    tab_to(page, condition)
    for _ in range(4):
        page.keyboard.press("ArrowDown")
        if "“Yes”" in condition.evaluate("s => s.selectedOptions[0].text"):
            break
    tab_to(page, page.get_by_role("button", name="Save conditions as a draft"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Skip conditions saved as a draft")).to_be_visible()

    # Preview, then publish, from the editor.
    tab_to(page, page.get_by_role("link", name="Back to editing the survey"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Toggle preview"))
    page.keyboard.press("Enter")
    preview = page.locator("iframe[title='Preview']:visible").last.content_frame
    expect(preview.get_by_role("heading", name="Step 2: The park")).to_be_visible()
    expect(preview.get_by_text("Asked only if the answer to “Do you use the park?” is "
                               "“Yes”.")).to_be_visible()
    assert_preview_accessible(page)  # "Introduction and all questions"
    # The other mode, chosen with the arrow keys: the introduction as people see it.
    tab_to(page, page.get_by_label("Preview mode"))
    page.keyboard.press("ArrowDown")
    preview = page.locator("iframe[title='Preview']:visible").last.content_frame
    expect(preview.get_by_role("heading", level=1)).to_have_text("Park survey")
    expect(preview.get_by_text("Tell us about the park.")).to_be_visible()
    assert_preview_accessible(page)
    tab_to(page, page.get_by_role("button", name="More actions"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Publish"), limit=20)
    page.keyboard.press("Enter")
    expect(page.get_by_text("has been published").first).to_be_visible()

    survey.refresh_from_db()
    assert survey.live
    rows = Question.objects.filter(survey=survey, kind=Question.LIKERT)
    assert [row.label for row in rows] == ["The park feels safe", "The park is clean"]
    assert {row.show_if_option.label for row in rows} == {"Yes"}
    return survey
