"""Journey: a resident follows Harlesden by email from its page, confirms from the email, an
officer publishes a survey's results, the resident gets one alert and stops alerts with one
click (as a mail client does, RFC 8058). Every new page is axe-clean and fits 320 px."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from portal.alerts.models import Follower
from portal.neighbourhoods.models import Neighbourhood
from surveys.models import SurveyIndexPage, SurveyPage
from tests.surveys.conftest import make_survey

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def check(page):
    assert_accessible(page)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]}px wide"


def test_follow_confirm_get_one_alert_and_unsubscribe(demo_site, page, live_server):
    harlesden = Neighbourhood.objects.get(code="BRENT-HARLESDEN")
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    now = timezone.now()
    survey = make_survey(index, title="Harlesden parks survey", slug="parks",
                         opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1),
                         neighbourhoods=[harlesden])

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/neighbourhoods/harlesden/")
    page.get_by_role("link", name="Get alerts for Harlesden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get alerts")
    expect(page.get_by_role("checkbox", name="Harlesden")).to_be_checked()
    check(page)
    page.get_by_label("Email address").fill("amina@example")
    page.get_by_role("button", name="Send me a confirmation email").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter an email address in the correct")
    expect(page).to_have_title(re.compile("^Error:"))
    check(page)
    page.get_by_label("Email address").fill("amina@example.org")
    page.get_by_role("button", name="Send me a confirmation email").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check(page)

    link = re.search(r"https?://[^/\s]+(/alerts/confirm/\S+/)", mail.outbox[-1].body)[1]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your alerts")
    check(page)
    page.get_by_role("button", name="Confirm my alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerts confirmed")
    check(page)
    page.goto(link)
    page.get_by_role("button", name="Confirm my alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Already confirmed")
    page.get_by_role("link", name="Manage your alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage your alerts")
    check(page)
    assert Follower.objects.get().email == "amina@example.org"

    # The officer publishes the results: the publish queues the alerts job.
    before = len(mail.outbox)
    survey = SurveyPage.objects.get(pk=survey.pk)
    survey.results_published = True
    survey.save_revision().publish()
    alerts = [item for item in mail.outbox[before:] if item.to == ["amina@example.org"]]
    assert len(alerts) == 1
    assert alerts[0].subject == "Results published: Harlesden parks survey"
    header = alerts[0].extra_headers["List-Unsubscribe"]
    assert alerts[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.match(r"^<(.+)>$", header)[1]
    assert unsubscribe.startswith(live_server.url + "/alerts/unsubscribe/")

    page.goto(unsubscribe)  # the confirm page a person sees from the link
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop all alerts")
    check(page)
    # The mail client's one click: a POST with no cookies and no CSRF token.
    response = page.request.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert response.ok
    assert not Follower.objects.exists()
    page.goto(unsubscribe)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    check(page)
