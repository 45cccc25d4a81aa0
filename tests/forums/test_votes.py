"""Online votes by confirmed attendees, dot votes from the room, and both as evidence."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forums import evidence
from forums.errors import ForumError
from forums.models import ForumEventPage, ForumVoteTally, OnlineVote, Registration
from forums.registrations import register
from forums.votes import cast_votes, online_vote_totals, record_room_votes
from portal.neighbourhoods.models import Neighbourhood

from .conftest import theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting_event(make_event):
    return make_event(format=ForumEventPage.ONLINE, online_voting_open=True, votes_per_person=2)


def test_confirmed_attendee_votes_once(voting_event, resident):
    registration = register(voting_event, user=resident)
    ids = [theme("financial-hardship").pk, theme("homelessness").pk]
    votes = cast_votes(registration, [str(i) for i in ids])
    assert sorted(v.theme_id for v in votes) == sorted(ids)
    with pytest.raises(ForumError) as error:
        cast_votes(registration, [ids[0]])
    assert error.value.code == "already_voted"
    assert OnlineVote.objects.count() == 2


@pytest.mark.parametrize("choice, code", [
    (["financial-hardship", "homelessness", "housing"], "too_many"),
    ([], "empty"),
    (["999999"], "unknown_theme"),
    (["abc"], "unknown_theme"),
])
def test_bad_votes_are_refused_and_nothing_saved(voting_event, resident, choice, code):
    registration = register(voting_event, user=resident)
    ids = [str(theme(slug).pk) if not slug.isdigit() and slug != "abc" else slug
           for slug in choice]
    with pytest.raises(ForumError) as error:
        cast_votes(registration, ids)
    assert error.value.code == code
    assert not OnlineVote.objects.exists()
    registration.refresh_from_db()
    assert registration.voted_at is None  # they can still vote properly


def test_retired_theme_is_not_on_the_ballot(voting_event, resident):
    retired = theme("air-quality")
    retired.is_active = False
    retired.save()
    registration = register(voting_event, user=resident)
    with pytest.raises(ForumError) as error:
        cast_votes(registration, [retired.pk])
    assert error.value.code == "unknown_theme"


def test_voting_without_a_place(voting_event, resident):
    with pytest.raises(ForumError) as error:
        cast_votes(None, [theme("housing").pk])
    assert error.value.code == "not_registered"
    voting_event.capacity = 0
    voting_event.save_revision().publish()
    waiting = register(voting_event, user=resident, join_waiting_list=True)
    with pytest.raises(ForumError) as error:
        cast_votes(waiting, [theme("housing").pk])
    assert error.value.code == "not_registered"


def test_votes_only_online_and_while_open(make_event, resident):
    in_person = make_event(online_voting_open=True)
    with pytest.raises(ForumError) as error:
        cast_votes(register(in_person, user=resident), [theme("housing").pk])
    assert error.value.code == "not_online"
    closed = make_event(format=ForumEventPage.ONLINE)
    with pytest.raises(ForumError) as error:
        cast_votes(register(closed, user=resident), [theme("housing").pk])
    assert error.value.code == "closed"


def test_online_totals_are_suppressed_below_the_threshold(voting_event, resident):
    cast_votes(register(voting_event, user=resident), [theme("housing").pk])
    (row,) = online_vote_totals(voting_event)
    assert row["suppressed"] is True


def test_evidence_rows_from_room_tallies_and_online_votes(make_event, harlesden, resident):
    kilburn = Neighbourhood.objects.get(code="BRENT-KILBURN")
    room = make_event(days=-10, format=ForumEventPage.HYBRID, neighbourhoods=[harlesden, kilburn],
                      online_voting_open=True)
    record_room_votes(room, {theme("financial-hardship"): 12,
                             theme("homelessness").pk: 7})
    registration = Registration.objects.create(
        event=room, name="R", email="r@example.org", status=Registration.CONFIRMED,
        attendance_mode="online")
    cast_votes(registration, [theme("school-readiness").pk])
    cancelled = make_event(days=-5, is_cancelled=True)
    record_room_votes(cancelled, {theme("housing"): 50})

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
    with pytest.raises(ForumError) as error:
        record_room_votes(event, {999999: 3})
    assert error.value.code == "unknown_theme"
    with pytest.raises(ForumError) as error:
        record_room_votes(event, {theme("housing"): -1})
    assert error.value.code == "dots"
    assert not ForumVoteTally.objects.exists()
