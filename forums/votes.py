"""Votes at forums: dot votes counted in the room and entered afterwards, and the online vote
confirmed attendees of online and hybrid forums take part in."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import disclosure
from portal.themes.models import Theme
from portal.themes.names import theme_name, translated_name

from .errors import ForumError
from .models import ForumVoteTally, OnlineVote, Registration


def can_vote(registration, event) -> bool:
    """True when this registration (None: nobody) may vote online at this forum now: a
    confirmed place, voting open, not voted yet."""
    if registration is None:
        return False
    return bool(registration.is_confirmed and event.is_online and event.online_voting_open
                and not event.is_cancelled and registration.voted_at is None)


def _theme_ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise ForumError(_("Choose from the themes listed."), "unknown_theme") from exc
        if number not in ids:
            ids.append(number)
    return ids


def _check_voter(registration):
    """The forum a registration may vote at now, or the reason it may not."""
    if registration is None or registration.status != Registration.CONFIRMED:
        raise ForumError(_("Only people registered for this forum can vote online. Register "
                           "first, or vote in the room."), "not_registered")
    event = registration.event.specific
    if not event.is_online:
        raise ForumError(_("This forum meets in person: votes are counted in the room."),
                         "not_online")
    if event.is_cancelled or not event.online_voting_open:
        raise ForumError(_("Online voting for this forum is not open."), "closed")
    return event


def _check_choice(event, ids) -> None:
    if not ids:
        raise ForumError(_("Choose at least one theme to vote for."), "empty")
    if len(ids) > event.votes_per_person:
        raise ForumError(ngettext(
            "You can vote for up to %(limit)s theme. You chose %(count)s.",
            "You can vote for up to %(limit)s themes. You chose %(count)s.",
            event.votes_per_person) % {"limit": event.votes_per_person, "count": len(ids)},
            "too_many")
    ballot = {theme.pk for theme in event.ballot()}
    if any(theme_id not in ballot for theme_id in ids):
        raise ForumError(_("Choose from the themes listed: one of your choices is not on this "
                           "forum's list."), "unknown_theme")


def cast_votes(registration, theme_ids, now=None) -> list[OnlineVote]:
    """Record a confirmed attendee's online vote for up to N themes; each attendee votes once."""
    now = now or timezone.now()
    event = _check_voter(registration)
    ids = _theme_ids(theme_ids)
    _check_choice(event, ids)
    with transaction.atomic():
        claimed = Registration.objects.filter(
            pk=registration.pk, voted_at__isnull=True).update(voted_at=now)
        if not claimed:
            raise ForumError(_("You have already voted at this forum. Each attendee votes "
                               "once."), "already_voted")
        votes = OnlineVote.objects.bulk_create([
            OnlineVote(registration=registration, event=event, theme_id=theme_id, created_at=now)
            for theme_id in ids
        ])
    registration.voted_at = now
    return votes


def _dots(value) -> int:
    try:
        dots = int(value)
    except (TypeError, ValueError) as exc:
        raise ForumError(_("Enter the number of dots as a whole number."), "dots") from exc
    if dots < 0:
        raise ForumError(_("The number of dots cannot be negative."), "dots")
    return dots


def record_room_votes(event, dots_by_theme: dict, user=None) -> None:
    """Set the dot-vote tallies from the room ({theme or theme id: dots}) and publish them.
    Themes not named keep their tallies. A `user` given must be allowed to record outcomes."""
    if user is not None and not user.has_perm("forums.record_outcomes", event):
        raise PermissionDenied
    tallies = {tally.theme_id: tally for tally in event.vote_tallies.all()}
    themes = Theme.objects.in_bulk([getattr(key, "pk", key) for key in dots_by_theme])
    for key, value in dots_by_theme.items():
        theme = themes.get(getattr(key, "pk", key))
        if theme is None:
            raise ForumError(_("Choose from the themes listed."), "unknown_theme")
        dots = _dots(value)
        if theme.pk in tallies:
            tallies[theme.pk].dots = dots
        else:
            tallies[theme.pk] = ForumVoteTally(theme=theme, dots=dots)
    event.vote_tallies = sorted(tallies.values(), key=lambda tally: -tally.dots)
    event.save_revision(user=user).publish(user=user)


def online_vote_totals(event) -> list[dict]:
    """Online votes per theme for the public, most first, small numbers hidden (see
    `public_tally`)."""
    if event.pk is None:
        return []
    rows = (OnlineVote.objects.filter(event=event).values("theme_id", "theme__name")
            .annotate(n=Count("pk")).order_by("-n", "theme__name"))
    return public_tally([(translated_name(row["theme_id"], row["theme__name"]), row["n"])
                        for row in rows])


def room_tallies(page) -> list[dict]:
    """The dot votes counted in the room for the public, most first, small numbers hidden
    (see `public_tally`)."""
    tallies = page.vote_tallies.select_related("theme").order_by("-dots", "theme__name")
    return public_tally([(theme_name(tally.theme), tally.dots) for tally in tallies])


def public_attendance(page) -> dict:
    """How many came in person and joined online, for the public: a small number is shown as
    "fewer than 5" (None: not recorded)."""
    return {mode: None if number is None else disclosure.count(number)
            for mode, number in (("in_person", page.attendance_in_person),
                                 ("online", page.attendance_online))}


def public_tally(rows: list[tuple[str, int]]) -> list[dict]:
    """{theme, count, suppressed, cell} per (theme name, votes), for public pages.

    Each vote is one person's choice, so a handful of votes could single people out. The
    total is not shown but can be estimated (attendance times votes each), so the votes are
    a table with a known total: hiding a small count hides enough others that none can be
    worked out (`portal.disclosure.suppress_group`). Hidden rows go last, A to Z, since an
    order by size would rank them.
    """
    cells = disclosure.suppress_group({index: votes for index, (_name, votes) in enumerate(rows)},
                                      total=sum(votes for _name, votes in rows))
    result = [{"theme": name, "count": cells[index].value, "suppressed": cells[index].hidden,
               "cell": cells[index]} for index, (name, _votes) in enumerate(rows)]
    return ([row for row in result if not row["suppressed"]]
            + sorted((row for row in result if row["suppressed"]), key=lambda row: row["theme"]))
