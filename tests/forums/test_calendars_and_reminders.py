"""Calendar files and feeds, and the reminder emails the day before a forum."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from forums.calendars import event_calendar, neighbourhood_calendar
from forums.models import ForumEventPage
from forums.notifications import send_reminders
from forums.registrations import register
from tests.conftest import make_user

from .conftest import ics_events

pytestmark = pytest.mark.django_db


def test_public_calendar_has_no_joining_link_but_attendee_copy_does(make_event, resident):
    event = make_event(format=ForumEventPage.ONLINE, joining_link="https://meet.example.org/x")
    public = event_calendar(event)
    assert b"meet.example.org" not in public
    (vevent,) = ics_events(public)
    assert str(vevent["location"]) == "Online"
    registration = register(event, user=resident)
    (vevent,) = ics_events(event_calendar(event, registration))
    assert str(vevent["location"]) == "https://meet.example.org/x"


def test_neighbourhood_feed_lists_upcoming_forums_only(make_event, harlesden):
    make_event(days=3, title="Soon")
    make_event(days=10, title="Later")
    make_event(days=-3, title="Gone")
    events = ics_events(neighbourhood_calendar(harlesden))
    assert [str(e["summary"]) for e in events] == ["Soon", "Later"]
    assert len({str(e["uid"]) for e in events}) == 2


def test_reminders_go_once_to_people_with_places_in_the_next_day(make_event, resident):
    soon = make_event(start=timezone.now() + timedelta(hours=30))
    later = make_event(days=5)
    register(soon, user=resident)
    register(later, user=resident)
    waiting_event = make_event(start=timezone.now() + timedelta(hours=30), capacity=0)
    register(waiting_event, user=make_user("w@example.org"), join_waiting_list=True)
    mail.outbox.clear()
    assert send_reminders() == []  # 30 hours away: not yet
    with time_machine.travel(timezone.now() + timedelta(hours=8)):
        sent = send_reminders()
        assert [r.event_id for r in sent] == [soon.pk]
        assert send_reminders() == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Reminder")
    assert "/cancel/" in mail.outbox[0].body


def test_reminder_command(make_event, resident, capsys):
    event = make_event(start=timezone.now() + timedelta(hours=3))
    register(event, user=resident)
    mail.outbox.clear()
    call_command("send_forum_reminders", "--dry-run")
    assert not mail.outbox
    call_command("send_forum_reminders")
    assert len(mail.outbox) == 1
    assert "Reminded 1 people" in capsys.readouterr().out
