"""Journey: an officer keys a 20-question paper form with the keyboard only, and the key
presses are counted (issue 17: no more than the answers themselves plus one per question).

How the presses are counted: every key goes through `Keys`, a wrapper around
`page.keyboard.press` that adds one per key (a typed character is one key; Tab, Enter and
digits are one key each). "The answers themselves" are the characters written on the paper:
one digit per ticked box or chosen option (its number in the entry form), the ranks as written
beside the options (with "-" for an option left blank between ranked ones), and the text and
numbers as written, plus the paper reference written on the form. "One per question" is the
Tab that moves on (the last question's is the Ctrl+Enter that saves: one chord, counted as one
press). The paper reference field itself takes one Tab more.
"""

import re

import pytest
from playwright.sync_api import expect

from surveys.models import PaperCheck, Question, Response, SurveyIndexPage
from tests.conftest import DEMO_PASSWORD, make_user
from tests.surveys.conftest import block, make_survey, options, question

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIVE = ("Never", "Rarely", "Sometimes", "Often", "Always")


def twenty_questions():
    single = [block("single_choice", question(f"Question {n}?", required=True,
                                              options=options(*FIVE))) for n in range(1, 7)]
    likert = [block("likert", question(f"Statement {n}", required=True)) for n in range(1, 6)]
    return [
        block("section", {"title": "About you", "introduction": "", "questions": [
            block("where_you_live", question("Where do you live?")), *single[:2]]}),
        block("section", {"title": "Your views", "introduction": "", "questions": [
            *likert,
            block("multiple_choice", question("Which do you use?", options=options(*FIVE))),
            block("multiple_choice", question("Which would you use?", options=options(*FIVE))),
            block("ranking", question("Rank these", options=options(*FIVE), rank_count=3)),
            block("ranking", question("Rank those", options=options(*FIVE), rank_count=3))]}),
        block("section", {"title": "More", "introduction": "", "questions": [
            *single[2:],
            block("number", question("How many adults?", min_value=0, max_value=20)),
            block("number", question("How many children?", min_value=0, max_value=20)),
            block("text", question("Anything else?", max_length=200)),
            block("text", question("Any last words?", long=True, max_length=500))]}),
    ]


# The answers written on one paper form, in the printed order ("" = left blank).
ANSWERS = ["Harlesden", "2", "4",             # Q1-3
           "1", "2", "5", "", "4",             # Q4-8 agree/disagree (1 = Strongly agree)
           "13", "", "2-1-3", "1",             # Q9-10 tick boxes, Q11-12 rankings
           "3", "", "1", "2",                  # Q13-16
           "3", "12", "Bus", "More benches"]   # Q17-20
PAPER_REFERENCE = "1001"


class Keys:
    """Counts every key press sent to the page."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, key):
        self.page.keyboard.press(key)
        self.count += 1

    def type(self, text):
        for character in text:
            self.press(character)


def sign_in(page, email):
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile("/admin/"))


def test_a_twenty_question_paper_form_keyed_with_few_presses(browser, live_server, demo_site,
                                                              settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    make_user("keyer.browser@example.org", "Officers")
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    survey = make_survey(index, title="Twenty questions", sections=twenty_questions())
    assert survey.questions.count() == len(ANSWERS) == 20
    # The Wagtail admin has its own CSP (inline styles), so it gets its own browser context.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "keyer.browser@example.org")

    page.goto(f"/admin/survey-results/{survey.pk}/enter/?channel=paper&received_on=2026-11-03")
    assert_accessible(page)
    assert page.evaluate("document.activeElement.name") == "entry-paper_reference"
    keys = Keys(page)
    keys.type(PAPER_REFERENCE)
    keys.press("Tab")
    for number, answer in enumerate(ANSWERS, start=1):
        keys.type(answer)
        keys.press("Control+Enter" if number == len(ANSWERS) else "Tab")  # Q20: a text area
    expect(page.get_by_text(re.compile("saved. Enter the next one"))).to_be_visible()

    answer_keys = len(PAPER_REFERENCE) + sum(len(answer) for answer in ANSWERS)
    print(f"\nKey presses for a 20-question paper form: {keys.count}; answers themselves: "
          f"{answer_keys}; bound: answers + 20 questions + 1 (the paper reference field)")
    assert keys.count <= answer_keys + len(ANSWERS) + 1

    response = Response.objects.get(survey=survey, paper_reference=PAPER_REFERENCE)
    assert response.channel == "paper" and response.neighbourhood.name == "Harlesden"
    assert str(response.submitted_at.date()) == "2026-11-03"
    answers = {(a.question.position, a.question.kind): a for a in response.answers.all()}
    likert = sorted((a.question.position, a.number) for a in response.answers.all()
                    if a.question.kind == Question.LIKERT)
    assert [n for _p, n in likert] == [5, 4, 1, 2]  # "1" is Strongly agree: agree first
    ticked = sorted(a.option.label for a in response.answers.all()
                    if a.question.label == "Which do you use?")
    assert ticked == ["Never", "Sometimes"]
    ranked = sorted((a.rank, a.option.label) for a in response.answers.all()
                    if a.question.label == "Rank these")
    assert ranked == [(1, "Sometimes"), (2, "Never"), (3, "Always")]
    assert [a.option.label for a in response.answers.all()
            if a.question.label == "Rank those"] == ["Never"]  # half a ranking is kept
    assert any(a.text == "More benches" for a in answers.values())
    assert response.answers.count() == 17 + 1 + 2  # 3 blanks; 2 ticks and 3 ranks add rows

    # The batch is kept and the next form starts at the paper reference.
    assert page.evaluate("document.activeElement.name") == "entry-paper_reference"
    # The same paper form again: a clear error at the top, linked to the field, and a link.
    keys.type(PAPER_REFERENCE)
    keys.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(f"Paper form {PAPER_REFERENCE} was already entered as "
                                    f"response {response.reference}")
    assert_accessible(page)
    page.get_by_role("link", name=f"See response {response.reference}").click()
    expect(page.get_by_text("More benches")).to_be_visible()
    assert_accessible(page)
    PaperCheck.objects.create(survey=survey, response=response, status=PaperCheck.MISMATCHED,
                              mismatches=[{"question": "Q2. Question 1?", "first": "2. Rarely",
                                           "second": "3. Sometimes"}])
    page.goto(f"/admin/survey-results/{survey.pk}/paper-checks/")
    expect(page.get_by_role("cell", name="3. Sometimes")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Use the second keying").check()
    page.get_by_role("button", name="Resolve").click()
    expect(page.get_by_text(f"Paper form {PAPER_REFERENCE} resolved.")).to_be_visible()
    assert Response.objects.filter(survey=survey).count() == 1
    page.set_viewport_size({"width": 320, "height": 800})  # fits a small screen
    page.goto(f"/admin/survey-results/{survey.pk}/enter/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
    assert not errors, errors
