"""Forum emails hold no access needs (health data): they link to the personal registration
page, where the person sees what they told us. Every kind of email is checked."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from forums.notifications import send_reminders
from forums.registrations import (
    cancel_event,
    cancel_registration,
    confirm_registration,
    register,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NEEDS = "Wheelchair user; needs BSL interpreter"


def registration_link(body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/forum-registration/[\w-]+/)\s", body)
    assert found, body
    return found.group(1)


def test_the_confirmation_email_links_to_the_page_that_shows_the_access_needs(
        make_event, client):
    event = make_event()
    registration = register(event, name="Amina", email="amina@example.org",
                            access_needs=NEEDS)
    confirm = mail.outbox[-1]
    assert "Wheelchair" not in confirm.body and "BSL" not in confirm.body
    confirm_registration(registration.token)
    confirmed = mail.outbox[-1]
    assert confirmed.subject.startswith("You are registered")
    assert "Wheelchair" not in confirmed.body and "BSL" not in confirmed.body
    assert "access needs" in confirmed.body  # says where to see them
    for _name, content, _mimetype in confirmed.attachments:  # nor in the calendar file
        assert "Wheelchair" not in str(content)
    page = client.get(registration_link(confirmed.body))
    assert page.status_code == 200 and NEEDS in page.content.decode()


def test_a_signed_in_persons_email_links_to_their_registration_page(make_event, resident,
                                                                    client):
    register(make_event(), user=resident, access_needs=NEEDS)
    message = mail.outbox[-1]
    assert NEEDS not in message.body and "Wheelchair" not in message.body
    client.force_login(resident)
    assert NEEDS in client.get(registration_link(message.body)).content.decode()


def test_waiting_promoted_reminder_and_cancelled_emails_hold_no_access_needs(make_event):
    event = make_event(start=timezone.now() + timedelta(hours=30), capacity=1)
    first = register(event, user=make_user("first@example.org"), access_needs=NEEDS)
    register(event, user=make_user("second@example.org"), access_needs=NEEDS,
             join_waiting_list=True)
    cancel_registration(first)  # the second is promoted
    with time_machine.travel(timezone.now() + timedelta(hours=8)):
        assert send_reminders()
    event.is_cancelled = True
    event.save_revision().publish()
    cancel_event(event)
    kinds = " | ".join(message.subject for message in mail.outbox)
    for word in ("waiting list", "A place has come up", "Reminder", "Registration cancelled",
                 "Forum cancelled"):
        assert word in kinds
    for message in mail.outbox:
        assert "Wheelchair" not in message.body and "BSL" not in message.body, message.subject
