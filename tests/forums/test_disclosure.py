"""A forum's public page gives no small number away: room dot votes, online votes and
attendance, attacked through the page with `tests/disclosure_recovery.py`. The attacker is
given the total number of votes (the page does not show it, but attendance times votes each
comes close)."""

import pytest

from forums.models import ForumEventPage, Registration
from forums.votes import cast_votes, record_room_votes
from tests.disclosure_recovery import (
    assert_hidden_together_exceed,
    assert_unrecoverable,
    number,
    possible_values,
    says_small,
    table_rows,
    text,
)

from .conftest import theme

pytestmark = pytest.mark.django_db


def attack_votes(rows, total, actual):
    """Try to recover the hidden rows of a votes table; fail the test if any can be.

    From the page alone (the total, the shown counts, what hidden rows' words claim), then
    also re-publishing every candidate with the portal's own rules.
    """
    shown = {name: number(cell) for name, cell in rows if number(cell) is not None}
    hidden = [name for name, cell in rows if number(cell) is None]
    words = dict(rows)
    rest = total - sum(shown.values())
    upper = {name: 4 if says_small(words[name]) else total for name in hidden}
    small_words = all(says_small(words[name]) for name in hidden)
    weak = possible_values(hidden, upper=upper, total=rest)
    assert_unrecoverable(weak, actual=actual, could_be_large=not small_words)
    assert_hidden_together_exceed(rest)

    def rules(values):
        from forums.votes import public_tally

        counts = {**shown, **values}
        # The rows are published most first: try them in that order.
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        republished = [[row["theme"], str(row["cell"])] for row in public_tally(ordered)]
        return republished == rows

    strong = possible_values(hidden, upper=upper, total=rest, consistent=rules)
    assert_unrecoverable(strong, actual=actual)


def test_room_dot_votes_give_no_small_number_away(client, make_event):
    event = make_event(days=-7, attendance_in_person=12)
    dots = {"Financial hardship": 12, "Homelessness": 7, "Housing": 2,
            "School readiness and early years": 0}
    record_room_votes(event, {theme(slug): n for slug, n in (
        ("financial-hardship", 12), ("homelessness", 7), ("housing", 2),
        ("school-readiness", 0))})
    page = client.get(event.url).content.decode()
    rows = table_rows(page, "Dot votes in the room")
    assert rows[0] == ["Financial hardship", "12"]
    assert [row[1] for row in rows[1:]] == ["not shown"] * 3
    assert [row[0] for row in rows[1:]] == ["Homelessness", "Housing",
                                       "School readiness and early years"]
    attack_votes(rows, sum(dots.values()),
                 {name: n for name, n in dots.items() if name != "Financial hardship"})
    assert "not publish any number smaller than 5" in text(page)


def test_online_votes_give_no_small_number_away(client, make_event):
    event = make_event(days=-1, format=ForumEventPage.ONLINE, online_voting_open=True,
                       votes_per_person=2)
    ballots = [["housing"]] * 6 + [["housing", "homelessness"]]
    for number_, ballot in enumerate(ballots):
        registration = Registration.objects.create(
            event=event, name=f"Voter {number_}", email=f"voter{number_}@example.org",
            status=Registration.CONFIRMED, attendance_mode="online")
        cast_votes(registration, [theme(slug).pk for slug in ballot])
    page = client.get(event.url).content.decode()
    rows = table_rows(page, "Online votes")
    actual = {"Housing": 7, "Homelessness": 1}
    # Housing's 7 beside a hidden 1 would give the 1 away from the 8 votes cast.
    attack_votes(rows, 8, {name: actual[name] for name, cell in rows if number(cell) is None})
    assert rows == [["Homelessness", "not shown"], ["Housing", "not shown"]]


def test_small_attendance_is_shown_as_fewer_than_the_threshold(client, make_event):
    event = make_event(days=-7, attendance_in_person=41, attendance_online=3)
    page = client.get(event.url).content.decode()
    assert "Came in person</dt><dd>41</dd>" in page
    assert "Joined online</dt><dd>fewer than 5</dd>" in page and ">3<" not in page


def test_nothing_hidden_when_every_count_is_large(client, make_event):
    event = make_event(days=-7)
    record_room_votes(event, {theme("financial-hardship"): 12, theme("homelessness"): 7,
                              theme("housing"): 0})
    rows = table_rows(client.get(event.url).content.decode(), "Dot votes in the room")
    assert rows == [["Financial hardship", "12"], ["Homelessness", "7"], ["Housing", "0"]]
