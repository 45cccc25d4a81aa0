"""Following by email (double opt-in) and signed in, managing and stopping alerts, one-click
unsubscribe, bad links and bad input, counts for officers, and a person's data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.alerts import following
from portal.alerts.models import AlertDelivery, Follow, Follower
from portal.extension_points import erase_personal_data, personal_data
from portal.themes.models import Theme

from .conftest import make_follower

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"http://testserver(/alerts/confirm/[^/\s]+/)")


def ask(client, harlesden, email="amina@example.org", **extra):
    data = {"neighbourhoods": [harlesden.pk], "frequency": "immediate", "email": email,
            **extra}
    return client.post("/alerts/", data)


def confirm_link() -> str:
    return CONFIRM_LINK.search(mail.outbox[-1].body)[1]


def test_the_neighbourhood_page_and_home_page_link_to_the_form(client, harlesden):
    page = client.get(f"/neighbourhoods/{harlesden.slug}/")
    if page.status_code == 404:  # the demo's neighbourhood pages sit under their index
        from portal.pages.models import NeighbourhoodPage

        page = client.get(NeighbourhoodPage.objects.get(neighbourhood=harlesden).url)
    assert f'href="/alerts/?neighbourhood={harlesden.slug}"' in page.content.decode()
    assert 'href="/alerts/"' in client.get("/").content.decode()
    form = client.get(f"/alerts/?neighbourhood={harlesden.slug}")
    assert form.status_code == 200
    assert form.context["form"].initial["neighbourhoods"] == [harlesden]


def test_following_by_email_is_double_opt_in(client, harlesden):
    response = ask(client, harlesden)
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    assert not Follower.objects.exists()  # nothing kept before the person confirms
    (message,) = mail.outbox
    assert message.to == ["amina@example.org"] and message.subject == "Confirm your alerts"
    link = confirm_link()
    assert "Confirm my alerts" in client.get(link).content.decode()  # a scanner's GET: nothing
    assert not Follower.objects.exists()
    done = client.post(link)
    assert "Alerts confirmed" in done.content.decode()
    follower = Follower.objects.get()
    assert follower.email == "amina@example.org" and follower.confirmed_at
    assert list(follower.follows.values_list("neighbourhood", flat=True)) == [harlesden.pk]
    again = client.post(link)  # confirming twice is harmless and says so
    assert again.status_code == 200 and "Already confirmed" in again.content.decode()
    assert Follower.objects.count() == 1 and Follow.objects.count() == 1


def test_an_expired_link_says_so_and_offers_a_new_one(client, harlesden):
    ask(client, harlesden)
    link = confirm_link()
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = client.post(link)
    assert response.status_code == 410
    body = response.content.decode()
    assert "This link has expired" in body and 'href="/alerts/"' in body
    assert not Follower.objects.exists()


def flip(character: str) -> str:
    """Another character than this one (a tampered link must really differ)."""
    return "y" if character == "x" else "x"


@pytest.mark.parametrize("change", [lambda link: link[:-3] + flip(link[-3]) + link[-2:],
                                    lambda link: link.replace("/confirm/", "/confirm/a"),
                                    lambda link: "/alerts/confirm/%3Cscript%3E/"])
def test_a_tampered_confirmation_link_changes_nothing(client, harlesden, change):
    ask(client, harlesden)
    response = client.post(change(confirm_link()))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert not Follower.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@example.org", "a b@example.org",
                                   "x" * 300 + "@example.org", ""])
def test_a_malformed_email_gets_a_clear_error(client, harlesden, email):
    response = ask(client, harlesden, email=email)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert ("Enter an email address in the correct format" in body
            or "Enter your email address" in body or "at most" in body)
    assert mail.outbox == [] and not Follower.objects.exists()


def test_choosing_nothing_or_something_unknown_is_a_clear_error(client, harlesden):
    response = client.post("/alerts/", {"frequency": "immediate", "email": "a@example.org"})
    assert "Choose at least one neighbourhood or theme" in response.content.decode()
    response = ask(client, harlesden, neighbourhoods=["x'--", "99999999999999999999"],
                   frequency="hourly")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose neighbourhoods from the list" in body
    assert "Choose how often you want alerts" in body


def test_asking_is_rate_limited(client, harlesden, settings):
    settings.ALERTS_FOLLOWS_PER_HOUR = 2
    for _ in range(2):
        assert ask(client, harlesden).status_code == 200
    response = ask(client, harlesden)
    assert response.status_code == 429 and "Too many requests" in response.content.decode()
    assert len(mail.outbox) == 2


def test_signed_in_people_follow_straight_away_and_manage(client, resident, harlesden):
    client.force_login(resident)
    theme = Theme.objects.active().first()
    response = client.post("/alerts/", {"neighbourhoods": [harlesden.pk], "themes": [theme.pk],
                                        "frequency": "weekly"})
    assert response.status_code == 302 and response["Location"] == "/alerts/manage/"
    follower = Follower.objects.get(user=resident)
    assert follower.confirmed_at and follower.frequency == "weekly" and not mail.outbox
    assert 'href="/alerts/manage/"' in client.get("/account/").content.decode()
    page = client.get("/alerts/manage/")
    assert resident.email in page.content.decode()
    client.post("/alerts/manage/", {"themes": [theme.pk], "frequency": "immediate"})
    follower.refresh_from_db()
    assert follower.frequency == "immediate"
    assert list(follower.follows.values_list("theme", "neighbourhood")) == [(theme.pk, None)]


def test_the_manage_link_in_an_email_works_without_an_account(client, harlesden, kilburn):
    follower = make_follower(neighbourhoods=[harlesden])
    token = following.token_for(follower)
    page = client.get(f"/alerts/manage/{token}/")
    assert page.status_code == 200 and "amina@example.org" in page.content.decode()
    client.post(f"/alerts/manage/{token}/", {"neighbourhoods": [kilburn.pk],
                                             "frequency": "weekly"})
    follower.refresh_from_db()
    assert follower.frequency == "weekly"
    assert list(follower.follows.values_list("neighbourhood", flat=True)) == [kilburn.pk]
    wrong = token[:-1] + ("1" if token[-1] == "0" else "0")
    assert client.get(f"/alerts/manage/{wrong}/").status_code == 404


def test_one_click_unsubscribe_needs_no_csrf_token(harlesden):
    follower = make_follower(neighbourhoods=[harlesden])
    AlertDelivery.objects.create(follower=follower, happening_id="x", batch_id="b",
                                 sent_at=timezone.now())
    url = f"/alerts/unsubscribe/{following.token_for(follower)}/"
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(url)
    assert page.status_code == 200 and "Stop all alerts" in page.content.decode()
    assert Follower.objects.exists()  # a GET changes nothing
    response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Alerts stopped" in response.content.decode()
    assert not Follower.objects.exists() and not Follow.objects.exists()
    assert not AlertDelivery.objects.exists()  # the email-only follower is gone entirely
    again = strict.post(url)
    assert again.status_code == 404 and "Nothing has been changed" in again.content.decode()


@pytest.mark.parametrize("token", ["0" * 64, "not-a-token", "A" * 64, "%3Cscript%3E"])
def test_a_tampered_unsubscribe_link_changes_nothing(client, harlesden, token):
    follower = make_follower(neighbourhoods=[harlesden])
    real = following.token_for(follower)
    if token == "0" * 64 and real == token:
        pytest.skip("astronomically unlikely")
    for method in (client.get, client.post):
        response = method(f"/alerts/unsubscribe/{token}/")
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    assert Follower.objects.filter(pk=follower.pk).exists()


def test_follower_counts_for_officers_never_say_who(client, officer, resident, harlesden,
                                                    kilburn, settings):
    settings.PORTAL_SUPPRESSION_THRESHOLD = 5
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    for number in range(6):
        make_follower(f"h{number}@example.org", neighbourhoods=[harlesden])
    for number in range(2):
        make_follower(f"k{number}@example.org", neighbourhoods=[kilburn])
    make_follower(user=resident, neighbourhoods=[kilburn])
    client.force_login(resident)
    assert client.get("/admin/alerts/followers/").status_code in (302, 403)
    client.force_login(officer)
    page = client.get("/admin/alerts/followers/")
    assert page.status_code == 200
    body = page.content.decode()
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", body))
    assert rows["Harlesden"] == "6"
    assert rows["Kilburn"] == "fewer than 5"  # 3: too few to show
    assert "@example.org" not in body.replace(officer.email, "")


def test_a_persons_alerts_are_in_their_data_and_go_with_their_account(resident, harlesden):
    make_follower(user=resident, neighbourhoods=[harlesden])
    data = personal_data(resident)
    assert data["alerts"]["neighbourhoods"] == ["Harlesden"]
    erase_personal_data(resident)
    assert not Follower.objects.exists()


def test_guessing_links_is_rate_limited_but_a_working_link_never_is(client, harlesden,
                                                                     settings):
    settings.ALERTS_LINKS_PER_HOUR = 2
    follower = make_follower(neighbourhoods=[harlesden])
    for _ in range(2):
        assert client.post(f"/alerts/unsubscribe/{'0' * 64}/").status_code == 404
    assert client.post(f"/alerts/unsubscribe/{'0' * 64}/").status_code == 429
    token = following.token_for(follower)
    assert client.get(f"/alerts/manage/{token}/").status_code == 200  # a mail provider's
    assert client.post(f"/alerts/unsubscribe/{token}/").status_code == 200  # one click
    assert not Follower.objects.exists()
