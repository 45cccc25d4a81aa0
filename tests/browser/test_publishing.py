"""Journey: publish a survey and approve a plan as fast as a script can, with the editor's
autosave still on its way, then read them on the public site (issue 16, "publish that does
not stick": both were logged as published, then as edited, and answered 404).

The autosave had read the page as a draft before the publish and wrote it back after it; see
portal/pages/editing.py and the deterministic tests in tests/plans/test_publishing_races.py.
"""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Workflow

from plans.models import LocalityPlanPage
from plans.workflow import WORKFLOW_NAME
from surveys.models import SurveyIndexPage, SurveyPage
from tests.conftest import DEMO_PASSWORD, make_user
from tests.plans.conftest import (  # noqa: F401
    harlesden,
    make_plan,
    no_staff_mfa,
    plan_index,
    snapshot,
)
from tests.surveys.conftest import make_survey

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ATTEMPTS = 3  # each with an autosave in flight when the button is pressed


def sign_in(page, email):
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile("/admin/"))


def is_autosave(request):
    return (request.method == "POST" and "/edit/" in request.url
            and "text/html" not in (request.headers.get("accept") or ""))


def publish_with_an_autosave_in_flight(admin, page_id, title, button):
    """Open the editor, change the title until the editor autosaves, and press `button` (in
    "More actions") so that the autosave reaches the server together with it: the autosave is
    held back in the browser and let go the moment the button's request leaves, which is what
    a script, or a quick editor on a slow connection, does by chance."""
    held = []

    def route(route):
        if is_autosave(route.request) and not held:
            held.append(route)  # answered below, with the button's request
            return
        route.continue_()
        if route.request.method == "POST" and held:
            held.pop().continue_()

    admin.route(f"**/admin/pages/{page_id}/edit/", route)
    admin.goto(f"/admin/pages/{page_id}/edit/")
    # The editor starts watching a moment after loading and saves once typing pauses.
    for attempt in range(20):
        admin.locator("#id_title").fill(f"{title}{' ' * (attempt % 2)}")
        for _pause in range(10):
            if held:
                break
            admin.wait_for_timeout(100)
        if held:
            break
    else:
        pytest.fail("The editor never autosaved")
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name=button, exact=True).click()
    expect(admin.get_by_role("status").first).to_contain_text(title.split(" (")[0])
    admin.wait_for_load_state("networkidle")  # the autosave has had its answer too
    admin.unroute(f"**/admin/pages/{page_id}/edit/")


def admin_page(browser, live_server, email):
    # The Wagtail admin has its own CSP (inline styles), so it gets its own browser context.
    context = browser.new_context(base_url=live_server.url)
    admin = context.new_page()
    sign_in(admin, email)
    return context, admin


def test_a_survey_published_with_an_autosave_in_flight_is_live(browser, live_server, page,
                                                               demo_site):
    make_user("officer.publish@example.org", "Officers")
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    index.save_revision().publish()
    context, admin = admin_page(browser, live_server, "officer.publish@example.org")
    for attempt in range(ATTEMPTS):
        survey = make_survey(index, title=f"Family hubs {attempt}", slug=f"family-hubs-{attempt}")
        survey.unpublish()
        publish_with_an_autosave_in_flight(admin, survey.pk, f"Family hubs {attempt}",
                                           "Publish")

        survey = SurveyPage.objects.get(pk=survey.pk)
        assert survey.live, f"attempt {attempt}: unpublished by the autosave"
        response = page.goto(survey.url)
        assert response.status == 200, f"attempt {attempt}: {survey.url} answered {response.status}"
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Family hubs {attempt}")
    context.close()


def test_a_plan_approved_with_an_autosave_in_flight_is_live(browser, live_server, page,
                                                            plan_index, snapshot):  # noqa: F811
    officer = make_user("officer.approve@example.org", "Officers")
    make_user("cllr.approve@example.org", "Councillors")
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    context, admin = admin_page(browser, live_server, "cllr.approve@example.org")
    for attempt in range(ATTEMPTS):
        draft = make_plan(plan_index, snapshot, live=False, slug=f"willesden-{attempt}")
        workflow.start(draft, officer)
        publish_with_an_autosave_in_flight(admin, draft.pk, f"Willesden plan {attempt}",
                                           "Approve and Publish")

        plan = LocalityPlanPage.objects.get(pk=draft.pk)
        assert plan.live, f"attempt {attempt}: unpublished by the autosave"
        response = page.goto(plan.url)
        assert response.status == 200, f"attempt {attempt}: {plan.url} answered {response.status}"
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"Willesden plan {attempt}")
        pdf = page.request.get(plan.url + "pdf/")
        assert pdf.status == 200
    context.close()
