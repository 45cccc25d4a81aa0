"""Registration, waiting list, cancellation, votes, calendars, reminders and evidence."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from forums import evidence, services
from forums.models import ForumEventPage, ForumVoteTally, OnlineVote, Registration
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def ics_events(data: bytes):
    calendar = Calendar.from_ical(data)
    return [component for component in calendar.walk("VEVENT")]


def theme(slug):
    return Theme.objects.get(slug=slug)


# --- registration -------------------------------------------------------------------------

def test_signed_in_resident_is_registered_at_once_with_a_calendar_file(make_event, resident):
    event = make_event(format=ForumEventPage.HYBRID, joining_link="https://meet.example.org/h")
    registration = services.register(event, user=resident, attendance_mode="online",
                                     access_needs="BSL interpreter")
    assert registration.status == Registration.CONFIRMED
    assert registration.email == "resident@example.org"
    message = mail.outbox[-1]
    assert message.to == ["resident@example.org"]
    assert "You are registered" in message.subject
    assert "https://meet.example.org/h" in message.body
    assert "BSL interpreter" in message.body
    cancel_link = re.search(r"http://\S+/forum-registration/\S+/cancel/", message.body)
    assert cancel_link, message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    (vevent,) = ics_events(content)
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.start.replace(microsecond=0)
    assert "https://meet.example.org/h" in str(vevent["description"])


def test_public_calendar_has_no_joining_link_but_attendee_copy_does(make_event, resident):
    event = make_event(format=ForumEventPage.ONLINE, joining_link="https://meet.example.org/x")
    public = services.event_calendar(event)
    assert b"meet.example.org" not in public
    (vevent,) = ics_events(public)
    assert str(vevent["location"]) == "Online"
    registration = services.register(event, user=resident)
    (vevent,) = ics_events(services.event_calendar(event, registration))
    assert str(vevent["location"]) == "https://meet.example.org/x"


def test_someone_without_an_account_confirms_by_email(make_event):
    event = make_event()
    registration = services.register(event, name="Amina", email="Amina@Example.org")
    assert registration.status == Registration.PENDING
    assert registration.email == "amina@example.org"
    link = re.search(r"http://\S+/forum-registration/(\S+)/confirm/", mail.outbox[-1].body)
    assert link
    confirmed = services.confirm_registration(link.group(1))
    assert confirmed.status == Registration.CONFIRMED
    assert "You are registered" in mail.outbox[-1].subject
    # Opening the link again changes nothing and sends nothing.
    count = len(mail.outbox)
    assert services.confirm_registration(link.group(1)).status == Registration.CONFIRMED
    assert len(mail.outbox) == count


def test_asking_twice_before_confirming_resends_the_link(make_event):
    event = make_event()
    first = services.register(event, name="Amina", email="amina@example.org")
    again = services.register(event, name="Amina", email="amina@example.org")
    assert again.pk == first.pk
    assert len(mail.outbox) == 2
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.parametrize("email", ["resident@example.org", "RESIDENT@example.org"])
def test_registering_twice_is_refused(make_event, resident, email):
    event = make_event()
    services.register(event, user=resident)
    with pytest.raises(services.ForumError) as error:
        services.register(event, name="Someone", email=email)
    assert error.value.code == "duplicate"
    assert "already registered" in str(error.value.message)
    with pytest.raises(services.ForumError) as error:
        services.register(event, user=resident)
    assert error.value.code == "duplicate"
    assert Registration.objects.filter(event=event).count() == 1


def test_registering_after_the_deadline(make_event, resident):
    event = make_event(days=3, registration_deadline=timezone.now() + timedelta(days=1))
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        with pytest.raises(services.ForumError) as error:
            services.register(event, user=resident)
    assert error.value.code == "deadline"
    assert "Registration closed on" in str(error.value.message)
    assert not Registration.objects.exists()


def test_registering_for_a_cancelled_forum(make_event, resident):
    event = make_event(is_cancelled=True)
    with pytest.raises(services.ForumError) as error:
        services.register(event, user=resident)
    assert error.value.code == "cancelled"


@pytest.mark.parametrize("days, hours", [(-2, 2), (0, 4)])  # ended; started and still on
def test_registering_for_a_past_or_started_forum(make_event, resident, days, hours):
    event = make_event(start=timezone.now() + timedelta(days=days, hours=-1), hours=hours)
    with pytest.raises(services.ForumError) as error:
        services.register(event, user=resident)
    assert error.value.code == "past"


def test_full_forum_offers_the_waiting_list(make_event, resident):
    event = make_event(capacity=1)
    services.register(event, user=make_user("first@example.org"))
    with pytest.raises(services.ForumError) as error:
        services.register(event, user=resident)
    assert error.value.code == "full"
    assert "waiting list" in str(error.value.message)
    waiting = services.register(event, user=resident, join_waiting_list=True)
    assert waiting.status == Registration.WAITING
    assert waiting.waiting_position() == 1
    assert "waiting list" in mail.outbox[-1].subject


def test_hybrid_forum_asks_how_people_take_part(make_event, resident):
    event = make_event(format=ForumEventPage.HYBRID)
    with pytest.raises(services.ForumError) as error:
        services.register(event, user=resident)
    assert error.value.code == "attendance_mode"


def test_cancelling_promotes_the_first_person_waiting_and_emails_them(make_event):
    event = make_event(capacity=1)
    holder = services.register(event, user=make_user("holder@example.org"))
    first = services.register(event, user=make_user("first@example.org"),
                              join_waiting_list=True)
    second = services.register(event, user=make_user("second@example.org"),
                               join_waiting_list=True)
    mail.outbox.clear()
    promoted = services.cancel_registration(holder)
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
    with pytest.raises(services.ForumError) as error:
        services.cancel_registration(holder)
    assert error.value.code == "already_cancelled"


def test_leaving_the_waiting_list_promotes_nobody(make_event):
    event = make_event(capacity=1)
    services.register(event, user=make_user("holder@example.org"))
    waiting = services.register(event, user=make_user("w@example.org"), join_waiting_list=True)
    assert services.cancel_registration(waiting) == []


def test_raising_the_capacity_fills_places_from_the_waiting_list(make_event):
    event = make_event(capacity=1)
    services.register(event, user=make_user("holder@example.org"))
    waiting = services.register(event, user=make_user("w@example.org"), join_waiting_list=True)
    event.capacity = 2
    event.save_revision().publish()
    promoted = services.fill_places_and_notify(event)
    assert [p.pk for p in promoted] == [waiting.pk]
    assert mail.outbox[-1].to == ["w@example.org"]


def test_a_cancelled_place_can_be_taken_again(make_event, resident):
    event = make_event()
    services.cancel_registration(services.register(event, user=resident))
    assert services.register(event, user=resident).status == Registration.CONFIRMED


# --- page validation ----------------------------------------------------------------------

def test_event_validation_messages(make_event, resident):
    event = make_event(capacity=5)
    services.register(event, user=resident)
    services.register(event, user=make_user("two@example.org"))
    event.end = event.start - timedelta(minutes=30)
    event.registration_deadline = event.start + timedelta(hours=1)
    event.capacity = 1
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    messages = error.value.message_dict
    assert "must end after it starts" in messages["end"][0]
    assert "must not be after the forum starts" in messages["registration_deadline"][0]
    assert "2 people are already registered" in messages["capacity"][0]


def test_in_person_forum_needs_a_venue_and_a_valid_postcode(make_event):
    event = make_event()
    event.venue_name = ""
    event.venue_postcode = "not a postcode"
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "venue_name" in error.value.message_dict
    assert "venue_postcode" in error.value.message_dict


def test_venue_is_placed_in_its_neighbourhood(make_event, harlesden):
    event = make_event()
    assert event.venue_latitude is not None
    assert event.venue_neighbourhood == harlesden


# --- online votes -------------------------------------------------------------------------

@pytest.fixture
def voting_event(make_event):
    return make_event(format=ForumEventPage.ONLINE, online_voting_open=True, votes_per_person=2)


def test_confirmed_attendee_votes_once(voting_event, resident):
    registration = services.register(voting_event, user=resident)
    ids = [theme("financial-hardship").pk, theme("homelessness").pk]
    votes = services.cast_votes(registration, [str(i) for i in ids])
    assert sorted(v.theme_id for v in votes) == sorted(ids)
    with pytest.raises(services.ForumError) as error:
        services.cast_votes(registration, [ids[0]])
    assert error.value.code == "already_voted"
    assert OnlineVote.objects.count() == 2


@pytest.mark.parametrize("choice, code", [
    (["financial-hardship", "homelessness", "housing"], "too_many"),
    ([], "empty"),
    (["999999"], "unknown_theme"),
    (["abc"], "unknown_theme"),
])
def test_bad_votes_are_refused_and_nothing_saved(voting_event, resident, choice, code):
    registration = services.register(voting_event, user=resident)
    ids = [str(theme(slug).pk) if not slug.isdigit() and slug != "abc" else slug
           for slug in choice]
    with pytest.raises(services.ForumError) as error:
        services.cast_votes(registration, ids)
    assert error.value.code == code
    assert not OnlineVote.objects.exists()
    registration.refresh_from_db()
    assert registration.voted_at is None  # they can still vote properly


def test_retired_theme_is_not_on_the_ballot(voting_event, resident):
    retired = theme("air-quality")
    retired.is_active = False
    retired.save()
    registration = services.register(voting_event, user=resident)
    with pytest.raises(services.ForumError) as error:
        services.cast_votes(registration, [retired.pk])
    assert error.value.code == "unknown_theme"


def test_voting_without_a_place(voting_event, resident):
    with pytest.raises(services.ForumError) as error:
        services.cast_votes(None, [theme("housing").pk])
    assert error.value.code == "not_registered"
    voting_event.capacity = 0
    voting_event.save_revision().publish()
    waiting = services.register(voting_event, user=resident, join_waiting_list=True)
    with pytest.raises(services.ForumError) as error:
        services.cast_votes(waiting, [theme("housing").pk])
    assert error.value.code == "not_registered"


def test_votes_only_online_and_while_open(make_event, resident):
    in_person = make_event(online_voting_open=True)
    with pytest.raises(services.ForumError) as error:
        services.cast_votes(services.register(in_person, user=resident), [theme("housing").pk])
    assert error.value.code == "not_online"
    closed = make_event(format=ForumEventPage.ONLINE)
    with pytest.raises(services.ForumError) as error:
        services.cast_votes(services.register(closed, user=resident), [theme("housing").pk])
    assert error.value.code == "closed"


def test_online_totals_are_suppressed_below_the_threshold(voting_event, resident):
    services.cast_votes(services.register(voting_event, user=resident), [theme("housing").pk])
    (row,) = services.online_vote_totals(voting_event)
    assert row["suppressed"] is True


# --- evidence -----------------------------------------------------------------------------

def test_evidence_rows_from_room_tallies_and_online_votes(make_event, harlesden, resident):
    kilburn = Neighbourhood.objects.get(code="BRENT-KILBURN")
    room = make_event(days=-10, format=ForumEventPage.HYBRID, neighbourhoods=[harlesden, kilburn],
                      online_voting_open=True)
    services.record_room_votes(room, {theme("financial-hardship"): 12,
                                      theme("homelessness").pk: 7})
    registration = Registration.objects.create(
        event=room, name="R", email="r@example.org", status=Registration.CONFIRMED,
        attendance_mode="online")
    services.cast_votes(registration, [theme("school-readiness").pk])
    cancelled = make_event(days=-5, is_cancelled=True)
    services.record_room_votes(cancelled, {theme("housing"): 50})

    rows = sorted(evidence.rows())
    day = timezone.localtime(room.start).date()
    hardship, homelessness, readiness = (theme(s).pk for s in
                                         ("financial-hardship", "homelessness",
                                          "school-readiness"))
    assert evidence.EvidenceRow(harlesden.pk, hardship, "forum_room", 12.0, 12, day) in rows
    assert evidence.EvidenceRow(kilburn.pk, homelessness, "forum_room", 7.0, 7, day) in rows
    assert evidence.EvidenceRow(harlesden.pk, readiness, "forum_online", 1.0, 1, day) in rows
    assert len(rows) == 6  # two room themes and one online theme, for each neighbourhood
    assert not [row for row in rows if row.theme_id == theme("housing").pk]
    assert list(evidence.rows(since=day + timedelta(days=1))) == []


def test_room_votes_reject_bad_input(make_event):
    event = make_event(days=-3)
    with pytest.raises(services.ForumError) as error:
        services.record_room_votes(event, {999999: 3})
    assert error.value.code == "unknown_theme"
    with pytest.raises(services.ForumError) as error:
        services.record_room_votes(event, {theme("housing"): -1})
    assert error.value.code == "dots"
    assert not ForumVoteTally.objects.exists()


# --- calendars and reminders --------------------------------------------------------------

def test_neighbourhood_feed_lists_upcoming_forums_only(make_event, harlesden):
    make_event(days=3, title="Soon")
    make_event(days=10, title="Later")
    make_event(days=-3, title="Gone")
    events = ics_events(services.neighbourhood_calendar(harlesden))
    assert [str(e["summary"]) for e in events] == ["Soon", "Later"]
    assert len({str(e["uid"]) for e in events}) == 2


def test_reminders_go_once_to_people_with_places_in_the_next_day(make_event, resident):
    soon = make_event(start=timezone.now() + timedelta(hours=30))
    later = make_event(days=5)
    services.register(soon, user=resident)
    services.register(later, user=resident)
    waiting_event = make_event(start=timezone.now() + timedelta(hours=30), capacity=0)
    services.register(waiting_event, user=make_user("w@example.org"), join_waiting_list=True)
    mail.outbox.clear()
    assert services.send_reminders() == []  # 30 hours away: not yet
    with time_machine.travel(timezone.now() + timedelta(hours=8)):
        sent = services.send_reminders()
        assert [r.event_id for r in sent] == [soon.pk]
        assert services.send_reminders() == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Reminder")
    assert "/cancel/" in mail.outbox[0].body


def test_reminder_command(make_event, resident, capsys):
    from django.core.management import call_command

    event = make_event(start=timezone.now() + timedelta(hours=3))
    services.register(event, user=resident)
    mail.outbox.clear()
    call_command("send_forum_reminders", "--dry-run")
    assert not mail.outbox
    call_command("send_forum_reminders")
    assert len(mail.outbox) == 1
    assert "Reminded 1 people" in capsys.readouterr().out


# --- personal data ------------------------------------------------------------------------

def test_personal_data_export_and_account_deletion(make_event, resident):
    from portal.accounts.services import delete_account, export_personal_data

    event = make_event(capacity=1)
    services.register(event, user=resident, access_needs="Step-free access")
    waiting = services.register(event, user=make_user("w@example.org"), join_waiting_list=True)
    data = export_personal_data(resident)["forum_registrations"]
    assert data[0]["forum"] == event.title and data[0]["access_needs"] == "Step-free access"
    delete_account(resident)
    assert not Registration.objects.filter(email="resident@example.org").exists()
    waiting.refresh_from_db()
    assert waiting.status == Registration.CONFIRMED  # the freed place went to the next person


def test_cancelling_the_forum_releases_places_and_tells_people_once(make_event, resident):
    event = make_event(capacity=1)
    services.register(event, user=resident)
    services.register(event, user=make_user("w@example.org"), join_waiting_list=True)
    services.register(event, name="Unconfirmed", email="u@example.org", join_waiting_list=True)
    mail.outbox.clear()
    event.is_cancelled = True
    event.save_revision().publish()
    affected = services.cancel_event(event)
    assert len(affected) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["resident@example.org", "w@example.org"]
    assert all(m.subject.startswith("Forum cancelled") for m in mail.outbox)
    assert "/cancel/" not in mail.outbox[0].body
    assert services.cancel_event(event) == []
    assert not Registration.objects.active().exists()
