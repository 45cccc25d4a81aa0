"""Journey: a resident finds "what happened to my answer" from the surveys page, mistypes their
reference, then sees the survey's outcome; signed in, they also see their own answers. Every
state is axe-clean and fits a 320 px screen."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.answering import submit_response
from surveys.models import Question, SurveyIndexPage
from tests.conftest import DEMO_PASSWORD, make_user
from tests.surveys.conftest import make_survey

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECRET = "Buses every ten minutes"


def look_up(page, reference):
    field = page.get_by_label("Reference number")
    field.fill("")
    field.focus()
    page.keyboard.type(reference)
    page.get_by_role("button", name="Look up").press("Enter")


def fits_a_phone(page):
    page.set_viewport_size({"width": 320, "height": 800})
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    page.set_viewport_size({"width": 1280, "height": 900})
    return width <= viewport


def test_a_resident_sees_what_happened_to_their_answer(demo_site, page):
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    now = timezone.now()
    survey = make_survey(index, title="Library opening hours", results_published=True,
                         opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=2),
                         outcome_heard="<p>Evenings matter most.</p>",
                         outcome_decided="<p>Libraries open until 8pm.</p>")
    owner = make_user("amina@example.org")
    text = Question.objects.get(survey=survey, kind=Question.TEXT, retired=False)
    reference = submit_response(survey, [{"question_id": text.pk, "text": SECRET}],
                                user=owner).reference

    page.goto("/have-your-say/")
    page.get_by_role("link", name="Enter your reference number").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened to my answer")
    assert_accessible(page)
    assert fits_a_phone(page)

    look_up(page, "HYS-12")
    expect(page.get_by_role("alert")).to_contain_text("like HYS-ABCD2345")
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)

    look_up(page, "HYS-ZZZZ2222")
    expect(page.get_by_text("Nothing has been published for this reference yet.")).to_be_visible()
    assert_accessible(page)

    look_up(page, reference.lower().replace("-", " "))
    outcome = page.locator(".reference-outcome")
    expect(outcome).to_contain_text(f"Reference {reference}")
    expect(outcome).to_contain_text("Library opening hours")
    expect(outcome).to_contain_text("Libraries open until 8pm.")
    expect(page.get_by_role("link", name="See the survey results")).to_be_visible()
    expect(page.get_by_text(SECRET)).to_have_count(0)
    assert_accessible(page)
    assert fits_a_phone(page)

    page.get_by_role("link", name="sign in", exact=True).click()
    page.get_by_label("Email").fill("amina@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened to my answer")
    look_up(page, reference)
    expect(page.get_by_role("heading", name="Your answers")).to_be_visible()
    expect(page.get_by_text(SECRET)).to_be_visible()
    assert_accessible(page)
    assert fits_a_phone(page)
