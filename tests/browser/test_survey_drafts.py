"""Journey: a resident answers half a survey, saves it, follows the emailed link on another
device and finishes; every page on the way is axe-clean, at 320 px too."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from surveys.models import Response, SurveyDraft, SurveyIndexPage
from tests.surveys.conftest import make_survey

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_save_follow_the_emailed_link_and_finish(demo_site, page, browser, live_server,
                                                 settings):
    settings.SURVEYS_MIN_SECONDS = 0
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    survey = make_survey(index)

    page.goto(survey.url)
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_text("Step 1 of 3")).to_be_visible()
    page.get_by_label("Postcode").fill("NW10 8SE")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Continue").click()

    # Half way: tick one thing, then save rather than continue.
    expect(page.get_by_text("Step 2 of 3")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("checkbox", name="Library").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save and come back later")
    assert_accessible(page)
    page.get_by_role("button", name="Email me a link").click()  # no address yet
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address")
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)
    page.get_by_label("Email address").fill("amina@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers are saved")
    assert_accessible(page)

    message = mail.outbox[-1]
    assert message.to == ["amina@example.org"]
    link = re.search(r"https?://[^/\s]+(/survey-resume/[\w-]+/)", message.body).group(1)
    assert SurveyDraft.objects.count() == 1

    # Another device: a phone-sized screen with none of the first browser's cookies.
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    other = phone.new_page()
    other.set_default_timeout(15_000)
    other.goto(link)
    expect(other.get_by_role("heading", name="You have saved answers")).to_be_visible()
    expect(other.get_by_text("Welcome back")).to_be_visible()
    assert_accessible(other)
    assert other.evaluate("document.documentElement.scrollWidth") <= 320
    other.get_by_role("button", name="Continue where you left off").click()
    expect(other.get_by_text("Step 2 of 3")).to_be_visible()
    expect(other.get_by_role("checkbox", name="Library")).to_be_checked()
    other.get_by_role("radio", name="Strongly agree").check()
    other.get_by_role("button", name="Continue").click()
    expect(other.get_by_text("Step 3 of 3")).to_be_visible()
    for label, rank in (("Air quality", "1"), ("Housing", "2"), ("Safety", "3")):
        other.get_by_label(label, exact=True).select_option(rank)
    other.get_by_role("button", name="Continue").click()
    expect(other.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting them")
    assert other.evaluate("document.documentElement.scrollWidth") <= 320
    other.get_by_role("button", name="Submit your answers").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Answers submitted")
    response = Response.objects.get()
    assert response.neighbourhood.name == "Harlesden"
    assert response.answers.filter(option__label="Library").exists()
    assert not SurveyDraft.objects.exists()

    # The link has done its job: it now says so clearly.
    other.goto(link)
    expect(other.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_accessible(other)
    phone.close()
