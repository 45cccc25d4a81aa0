"""Registering, the waiting list and promotion from it, cancelling a place or a whole forum."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from forums.errors import ForumError
from forums.models import ForumEventPage, Registration
from forums.registrations import (
    cancel_event,
    cancel_registration,
    confirm_registration,
    fill_places_and_notify,
    register,
)
from tests.conftest import make_user

from .conftest import ics_events

pytestmark = pytest.mark.django_db


def test_signed_in_resident_is_registered_at_once_with_a_calendar_file(make_event, resident):
    event = make_event(format=ForumEventPage.HYBRID, joining_link="https://meet.example.org/h")
    registration = register(event, user=resident, attendance_mode="online",
                            access_needs="BSL interpreter")
    assert registration.status == Registration.CONFIRMED
    assert registration.email == "resident@example.org"
    message = mail.outbox[-1]
    assert message.to == ["resident@example.org"]
    assert "You are registered" in message.subject
    assert "https://meet.example.org/h" in message.body
    # Access needs are health data: never in an email, only on the registration page.
    assert "BSL interpreter" not in message.body
    assert re.search(r"http://\S+/forum-registration/[\w-]+/\s", message.body)
    cancel_link = re.search(r"http://\S+/forum-registration/\S+/cancel/", message.body)
    assert cancel_link, message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    (vevent,) = ics_events(content)
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.start.replace(microsecond=0)
    assert "https://meet.example.org/h" in str(vevent["description"])


def test_someone_without_an_account_confirms_by_email(make_event):
    event = make_event()
    registration = register(event, name="Amina", email="Amina@Example.org")
    assert registration.status == Registration.PENDING
    assert registration.email == "amina@example.org"
    link = re.search(r"http://\S+/forum-registration/(\S+)/confirm/", mail.outbox[-1].body)
    assert link
    confirmed = confirm_registration(link.group(1))
    assert confirmed.status == Registration.CONFIRMED
    assert "You are registered" in mail.outbox[-1].subject
    # Opening the link again changes nothing and sends nothing.
    count = len(mail.outbox)
    assert confirm_registration(link.group(1)).status == Registration.CONFIRMED
    assert len(mail.outbox) == count


def test_asking_twice_before_confirming_resends_the_link(make_event):
    event = make_event()
    first = register(event, name="Amina", email="amina@example.org")
    again = register(event, name="Amina", email="amina@example.org")
    assert again.pk == first.pk
    assert len(mail.outbox) == 2
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.parametrize("email", ["resident@example.org", "RESIDENT@example.org"])
def test_registering_twice_is_refused(make_event, resident, email):
    event = make_event()
    register(event, user=resident)
    with pytest.raises(ForumError) as error:
        register(event, name="Someone", email=email)
    assert error.value.code == "duplicate"
    assert "already registered" in str(error.value.message)
    with pytest.raises(ForumError) as error:
        register(event, user=resident)
    assert error.value.code == "duplicate"
    assert Registration.objects.filter(event=event).count() == 1


def test_registering_after_the_deadline(make_event, resident):
    event = make_event(days=3, registration_deadline=timezone.now() + timedelta(days=1))
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        with pytest.raises(ForumError) as error:
            register(event, user=resident)
    assert error.value.code == "deadline"
    assert "Registration closed on" in str(error.value.message)
    assert not Registration.objects.exists()


def test_registering_for_a_cancelled_forum(make_event, resident):
    event = make_event(is_cancelled=True)
    with pytest.raises(ForumError) as error:
        register(event, user=resident)
    assert error.value.code == "cancelled"


@pytest.mark.parametrize("days, hours", [(-2, 2), (0, 4)])  # ended; started and still on
def test_registering_for_a_past_or_started_forum(make_event, resident, days, hours):
    event = make_event(start=timezone.now() + timedelta(days=days, hours=-1), hours=hours)
    with pytest.raises(ForumError) as error:
        register(event, user=resident)
    assert error.value.code == "past"


def test_full_forum_offers_the_waiting_list(make_event, resident):
    event = make_event(capacity=1)
    register(event, user=make_user("first@example.org"))
    with pytest.raises(ForumError) as error:
        register(event, user=resident)
    assert error.value.code == "full"
    assert "waiting list" in str(error.value.message)
    waiting = register(event, user=resident, join_waiting_list=True)
    assert waiting.status == Registration.WAITING
    assert waiting.waiting_position() == 1
    assert "waiting list" in mail.outbox[-1].subject


def test_hybrid_forum_asks_how_people_take_part(make_event, resident):
    event = make_event(format=ForumEventPage.HYBRID)
    with pytest.raises(ForumError) as error:
        register(event, user=resident)
    assert error.value.code == "attendance_mode"


def test_cancelling_promotes_the_first_person_waiting_and_emails_them(make_event):
    event = make_event(capacity=1)
    holder = register(event, user=make_user("holder@example.org"))
    first = register(event, user=make_user("first@example.org"),
                     join_waiting_list=True)
    second = register(event, user=make_user("second@example.org"),
                      join_waiting_list=True)
    mail.outbox.clear()
    promoted = cancel_registration(holder)
    assert [p.pk for p in promoted] == [first.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.CONFIRMED and first.promoted_at
    assert second.status == Registration.WAITING and second.waiting_position() == 1
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "cancelled" in subjects["holder@example.org"]
    assert "A place has come up" in subjects["first@example.org"]
    promoted_mail = next(m for m in mail.outbox if m.to == ["first@example.org"])
    ics_events(promoted_mail.attachments[0][1])
    with pytest.raises(ForumError) as error:
        cancel_registration(holder)
    assert error.value.code == "already_cancelled"


def test_leaving_the_waiting_list_promotes_nobody(make_event):
    event = make_event(capacity=1)
    register(event, user=make_user("holder@example.org"))
    waiting = register(event, user=make_user("w@example.org"), join_waiting_list=True)
    assert cancel_registration(waiting) == []


def test_raising_the_capacity_fills_places_from_the_waiting_list(make_event):
    event = make_event(capacity=1)
    register(event, user=make_user("holder@example.org"))
    waiting = register(event, user=make_user("w@example.org"), join_waiting_list=True)
    event.capacity = 2
    event.save_revision().publish()
    promoted = fill_places_and_notify(event)
    assert [p.pk for p in promoted] == [waiting.pk]
    assert mail.outbox[-1].to == ["w@example.org"]


def test_a_cancelled_place_can_be_taken_again(make_event, resident):
    event = make_event()
    cancel_registration(register(event, user=resident))
    assert register(event, user=resident).status == Registration.CONFIRMED


def test_cancelling_the_forum_releases_places_and_tells_people_once(make_event, resident):
    event = make_event(capacity=1)
    register(event, user=resident)
    register(event, user=make_user("w@example.org"), join_waiting_list=True)
    register(event, name="Unconfirmed", email="u@example.org", join_waiting_list=True)
    mail.outbox.clear()
    event.is_cancelled = True
    event.save_revision().publish()
    affected = cancel_event(event)
    assert len(affected) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["resident@example.org", "w@example.org"]
    assert all(m.subject.startswith("Forum cancelled") for m in mail.outbox)
    assert "/cancel/" not in mail.outbox[0].body
    assert cancel_event(event) == []
    assert not Registration.objects.active().exists()
