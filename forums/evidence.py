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
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate

from .models import ForumEventPage, ForumVoteTally, OnlineVote

ROOM, ONLINE = "forum_room", "forum_online"


class EvidenceRow(NamedTuple):
    neighbourhood_id: int
    theme_id: int
    source: str
    weight: float
    count: int
    date: date


def _counted_events(since, until):
    from wagtail.models import Locale

    # Translated copies repeat the same tallies; count each forum once, in the default language.
    events = ForumEventPage.objects.live().filter(is_cancelled=False,
                                                  locale=Locale.get_default())
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
