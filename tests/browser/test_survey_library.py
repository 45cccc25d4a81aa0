"""Journey: an officer starts a survey from a template, adds a question from the bank with the
keyboard, sets the dates and publishes it; the new pages have no axe-core violations."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import Question, SurveyIndexPage, SurveyPage
from tests.conftest import DEMO_PASSWORD, make_user
from tests.plans.conftest import no_staff_mfa  # noqa: F401

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page, email):
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile("/admin/"))


def test_start_from_a_template_add_a_bank_question_and_publish(browser, live_server, demo_site):
    make_user("officer.library@example.org", "Officers")
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    index.save_revision().publish()
    # The Wagtail admin has its own CSP (inline styles), so it gets its own browser context.
    context = browser.new_context(base_url=live_server.url)
    admin = context.new_page()
    sign_in(admin, "officer.library@example.org")

    admin.goto(f"/admin/pages/{index.pk}/")
    admin.get_by_role("link", name="New survey from a template").first.click()
    expect(admin.get_by_role("heading", name="New survey from a template")).to_be_visible()
    assert_accessible(admin)
    admin.get_by_role("button", name="Create draft survey").press("Enter")  # nothing chosen
    expect(admin.get_by_text("Choose a template to start from.").first).to_be_visible()
    assert_accessible(admin)
    admin.get_by_label(re.compile("^Forum feedback")).check()
    admin.get_by_label("Title (optional)").fill("Harlesden forum feedback")
    admin.get_by_role("button", name="Create draft survey").press("Enter")
    expect(admin).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    expect(admin.get_by_text("created from the template").first).to_be_visible()
    survey = SurveyPage.objects.get(title="Harlesden forum feedback")

    admin.goto(f"/admin/survey-library/{survey.pk}/question-bank/")
    assert_accessible(admin)
    admin.get_by_label("Add to section").select_option(label="The forum")
    add = admin.get_by_role("button", name="Add to this survey").and_(
        admin.locator('[value="satisfaction_council"]'))
    add.focus()
    admin.keyboard.press("Enter")
    expect(admin).to_have_url(re.compile(rf"/admin/pages/{survey.pk}/edit/"))
    expect(admin.get_by_text("added to the draft").first).to_be_visible()

    now = timezone.localtime()
    admin.locator("#id_opens_at").fill(now.strftime("%Y-%m-%d %H:%M"))
    admin.locator("#id_closes_at").fill((now + timezone.timedelta(days=30))
                                        .strftime("%Y-%m-%d %H:%M"))
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name="Publish", exact=True).click()
    expect(admin.get_by_role("status").first).to_contain_text("published")
    survey = SurveyPage.objects.get(pk=survey.pk)
    assert survey.live
    labels = set(Question.objects.filter(survey=survey).values_list("label", flat=True))
    assert "Overall, how satisfied or dissatisfied are you with the way the council runs " \
           "things?" in labels
    assert "I understand what will happen next" in labels  # a statement of the grid
    context.close()
