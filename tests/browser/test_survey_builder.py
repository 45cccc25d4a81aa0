"""The survey builder's new pages in a browser: the Skip conditions screen, the admin preview, a
statement grid answered at 320 px, and the results table of a grid; zero axe violations each."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from surveys.models import SurveyIndexPage
from tests.conftest import DEMO_PASSWORD, make_user
from tests.surveys.conftest import make_survey
from tests.surveys.test_grid import STATEMENTS, grid_sections

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def quick(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    settings.PORTAL_REQUIRE_STAFF_MFA = False


def sign_in(page, email):
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile("/admin/"))


def fits(page, width=320):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def grid_survey(demo_site):
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    return make_survey(index, title="Park survey", sections=grid_sections())


def test_skip_conditions_screen_and_preview_are_accessible(page, grid_survey):
    make_user("admin@example.org", is_staff=True, is_superuser=True)
    sign_in(page, "admin@example.org")
    page.goto(reverse("surveys_admin:skip_conditions", args=[grid_survey.pk]))
    condition = page.get_by_label("Ask “How much do you agree with these statements?”")
    expect(condition).to_have_value(re.compile(":"))  # the grid's condition, by ids
    assert_accessible(page)
    page.goto(reverse("wagtailadmin_pages:view_draft", args=[grid_survey.pk]))
    expect(page.get_by_role("heading", name="Step 2: The park")).to_be_visible()
    expect(page.get_by_text("Asked only if the answer to “Do you use the park?”")).to_be_visible()
    assert_accessible(page)


def test_a_grid_answered_at_320_px_and_its_results(page, grid_survey):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{grid_survey.url}step/1/")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("group", name="How much do you agree with these statements?")
           ).to_be_visible()
    for statement in STATEMENTS:
        expect(page.get_by_role("group", name=statement)).to_be_visible()
    assert fits(page)
    assert_accessible(page)
    page.get_by_role("group", name=STATEMENTS[0]).get_by_role(
        "radio", name="Strongly agree").check()
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)  # the wide layout: the scale heads the columns

    make_user("admin@example.org", is_staff=True, is_superuser=True)
    sign_in(page, "admin@example.org")
    page.goto(reverse("surveys_admin:results", args=[grid_survey.pk]))
    expect(page.get_by_role("row", name=re.compile(STATEMENTS[2]))).to_be_visible()
    assert_accessible(page)
