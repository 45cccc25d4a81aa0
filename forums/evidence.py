"""Forum votes as evidence for neighbourhood priorities.

`rows()` yields plain `EvidenceRow`s (neighbourhood_id, theme_id, source, weight, count, date),
the shape every feature app's evidence module shares. Priorities read forums only through here.

Sources:

- ``forum_room``: dot votes counted in the room and entered by an officer (`ForumVoteTally`);
  ``count`` is the number of dots, ``weight`` their summed weight (1 per dot).
- ``forum_online``: themes chosen by confirmed attendees in a forum's online vote
  (`OnlineVote`); ``count`` is the number of votes, ``weight`` their summed weight (1 each).

A forum can be for several neighbourhoods; its votes then count as evidence for each of them
(one row per neighbourhood), because the forum spoke for all of them. ``date`` is the day the
forum started. Only live (published) forums that were not cancelled count; votes for themes
retired since are included, since they were current when cast. These are counts of votes, not
of people, and carry no personal data.

For "who took part" and links to the forums behind the evidence the module also gives
`people()` (attendance per neighbourhood) and `pages()` (which forum pages gave each
neighbourhood's votes for each theme).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate

from portal.evidence_rows import EvidenceRow, PageRow, PeopleRow

from .models import ForumEventPage, ForumVoteTally, OnlineVote, Registration

ROOM, ONLINE = "forum_room", "forum_online"
# How priorities groups these rows (one officer-set weight per group).
SOURCE_GROUP = "forums"
# Saving or deleting these models changes the rows (priorities' cache listens for them).
CHANGES_WITH = ("forums.ForumVoteTally", "forums.OnlineVote", "forums.ForumEventPage",
                "forums.Registration")


def _counted_events(since, until):
    # Translated copies repeat the same tallies; count each forum once, in the default language.
    events = ForumEventPage.objects.live().filter(is_cancelled=False).in_default_language()
    if since:
        events = events.filter(start__date__gte=since)
    if until:
        events = events.filter(start__date__lte=until)
    return events


def rows(since: date | None = None, until: date | None = None) -> Iterator[EvidenceRow]:
    """Evidence rows from room tallies and online votes (two GROUP BY queries)."""
    events = _counted_events(since, until)
    tallies = (ForumVoteTally.objects.filter(page__in=events, dots__gt=0)
               .annotate(neighbourhood_id=F("page__neighbourhoods"),
                         day=TruncDate("page__start"))
               .filter(neighbourhood_id__isnull=False)
               .values("neighbourhood_id", "theme_id", "day")
               .annotate(dots=Sum("dots")).order_by("neighbourhood_id", "theme_id", "day"))
    for row in tallies:
        yield EvidenceRow(row["neighbourhood_id"], row["theme_id"], ROOM, float(row["dots"]),
                          row["dots"], row["day"])
    votes = (OnlineVote.objects.filter(event__in=events)
             .annotate(neighbourhood_id=F("event__neighbourhoods"),
                       day=TruncDate("event__start"))
             .filter(neighbourhood_id__isnull=False)
             .values("neighbourhood_id", "theme_id", "day")
             .annotate(n=Count("pk")).order_by("neighbourhood_id", "theme_id", "day"))
    for row in votes:
        yield EvidenceRow(row["neighbourhood_id"], row["theme_id"], ONLINE, float(row["n"]),
                          row["n"], row["day"])


def people(since: date | None = None, until: date | None = None) -> Iterator[PeopleRow]:
    """Forum attendance per neighbourhood (``theme_id`` None), summed over its forums.

    A forum's attendance is the in-person plus online figures the officer recorded, or, when
    none were recorded, its registrations marked as attended. A forum for several
    neighbourhoods counts its attendance for each. Two queries.
    """
    events = _counted_events(since, until)
    attended = dict(Registration.objects.filter(event__in=events, attended=True)
                    .values_list("event_id").annotate(n=Count("pk")).order_by())
    totals: dict[int, int] = {}
    for page_id, neighbourhood_id, in_person, online in (
            events.filter(neighbourhoods__isnull=False)
            .values_list("pk", "neighbourhoods", "attendance_in_person", "attendance_online")
            .order_by()):
        if in_person is None and online is None:
            count = attended.get(page_id, 0)
        else:
            count = (in_person or 0) + (online or 0)
        totals[neighbourhood_id] = totals.get(neighbourhood_id, 0) + count
    for neighbourhood_id, count in sorted(totals.items()):
        yield PeopleRow(neighbourhood_id, None, count)


def pages(since: date | None = None, until: date | None = None) -> Iterator[PageRow]:
    """Which forum pages gave votes for each neighbourhood and theme (two queries)."""
    events = _counted_events(since, until)
    found = set(ForumVoteTally.objects.filter(page__in=events, dots__gt=0)
                .exclude(page__neighbourhoods__isnull=True)
                .values_list("page__neighbourhoods", "theme_id", "page_id").distinct())
    found |= set(OnlineVote.objects.filter(event__in=events)
                 .exclude(event__neighbourhoods__isnull=True)
                 .values_list("event__neighbourhoods", "theme_id", "event_id").distinct())
    for neighbourhood_id, theme_id, page_id in sorted(found):
        yield PageRow(neighbourhood_id, theme_id, page_id)
