"""Registration abuse guard: honeypot, rate limits (per address when anonymous, per account
when signed in), stale requests."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from forums.errors import ForumError
from forums.models import Registration
from forums.registrations import confirm_registration, register
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_honeypot_is_hidden_labelled_and_out_of_the_tab_order(client, make_event):
    body = text(client.get(make_event().url))
    field = re.search(r'<div class="visually-hidden">(.*?)</div>', body).group(1)
    assert "Leave this field empty" in field
    assert 'name="website"' in field
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field


def test_a_filled_honeypot_saves_and_sends_nothing(client, make_event):
    event = make_event()
    response = client.post(f"/forum-event/{event.pk}/register/", {
        "name": "Bot", "email": "bot@example.org", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_registrations_from_one_address_are_rate_limited(client, make_event, settings):
    settings.FORUMS_REGISTRATIONS_PER_HOUR = 2
    event = make_event()
    for number in (1, 2):
        response = client.post(f"/forum-event/{event.pk}/register/", {
            "name": f"Person {number}", "email": f"p{number}@example.org"})
        assert response.status_code == 302
    sent = len(mail.outbox)
    response = client.post(f"/forum-event/{event.pk}/register/", {
        "name": "Person Three", "email": "p3@example.org", "access_needs": "Hearing loop"})
    assert response.status_code == 429
    body = text(response)
    assert "There is a problem" in body
    assert "a lot of registrations from your internet connection" in body
    # Nothing lost from the form, nothing saved, nothing sent.
    assert 'value="Person Three"' in body and 'value="p3@example.org"' in body
    assert "Hearing loop" in body
    assert Registration.objects.count() == 2
    assert len(mail.outbox) == sent
    # Another address is not affected.
    response = client.post(f"/forum-event/{event.pk}/register/",
                           {"name": "Elsewhere", "email": "e@example.org"},
                           REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302


PROXY = "10.0.0.1"


def test_anonymous_registrations_do_not_block_a_signed_in_resident(client, make_event,
                                                                   settings):
    """53 anonymous registrations through the TLS proxy: a resident signed in still gets in."""
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    event = make_event()
    for number in range(53):
        response = client.post(f"/forum-event/{event.pk}/register/", {
            "name": f"Person {number}", "email": f"p{number}@example.org"},
            REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert response.status_code == 302  # a venue's worth from one address gets through
    resident = make_user("signed-in@example.org")
    client.force_login(resident)
    response = client.post(f"/forum-event/{event.pk}/register/", {},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302
    assert Registration.objects.filter(user=resident).exists()


def test_an_address_over_its_limit_does_not_block_a_signed_in_resident_there(
        client, make_event, settings):
    settings.FORUMS_REGISTRATIONS_PER_HOUR = 2
    first, second, third = make_event(), make_event(), make_event()
    for number in range(3):
        client.post(f"/forum-event/{first.pk}/register/", {
            "name": f"Person {number}", "email": f"q{number}@example.org"})
    assert Registration.objects.count() == 2
    resident = make_user("same-wifi@example.org")
    client.force_login(resident)
    for event in (first, second, third):
        response = client.post(f"/forum-event/{event.pk}/register/", {})
        assert response.status_code == 302
    assert Registration.objects.filter(user=resident).count() == 3


def test_signed_in_registrations_are_limited_per_account(client, make_event, settings):
    settings.FORUMS_REGISTRATIONS_PER_HOUR_PER_ACCOUNT = 1
    first, second = make_event(), make_event()
    client.force_login(make_user("busy@example.org"))
    assert client.post(f"/forum-event/{first.pk}/register/", {}).status_code == 302
    response = client.post(f"/forum-event/{second.pk}/register/", {})
    assert response.status_code == 429
    assert "You have sent a lot of registrations in the last hour" in text(response)
    assert Registration.objects.count() == 1
    # Someone else on the same connection is not affected.
    client.force_login(make_user("neighbour@example.org"))
    assert client.post(f"/forum-event/{second.pk}/register/", {}).status_code == 302


def test_an_unconfirmed_request_expires_after_48_hours(make_event):
    event = make_event(capacity=1)
    old = register(event, name="Amina", email="amina@example.org")
    Registration.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=49))
    # The old link no longer works...
    with pytest.raises(ForumError) as error:
        confirm_registration(old.token)
    assert error.value.code == "expired"
    # ...and a new request is not a duplicate: it replaces the old one.
    new = register(event, name="Amina B", email="amina@example.org")
    assert new.pk != old.pk and new.status == Registration.PENDING
    assert list(Registration.objects.values_list("name", flat=True)) == ["Amina B"]
    confirm_registration(new.token)
    assert Registration.objects.get().status == Registration.CONFIRMED


def test_reminder_command_removes_stale_unconfirmed_requests(make_event):
    event = make_event()
    stale = register(event, name="Old", email="old@example.org")
    fresh = register(event, name="New", email="new@example.org")
    Registration.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(hours=49))
    out = io.StringIO()
    call_command("send_forum_reminders", "--dry-run", stdout=out)
    assert "Would remove 1 unconfirmed" in out.getvalue()
    assert Registration.objects.count() == 2
    out = io.StringIO()
    call_command("send_forum_reminders", stdout=out)
    assert "Removed 1 unconfirmed" in out.getvalue()
    assert list(Registration.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.parametrize("suffix", ["", "confirm/", "cancel/", "calendar.ics"])
def test_a_personal_link_with_a_nul_byte_is_not_found(client, suffix):
    # PostgreSQL refuses NUL in a query: the token must not reach the database at all.
    assert client.get(f"/forum-registration/x%00y/{suffix}").status_code == 404
