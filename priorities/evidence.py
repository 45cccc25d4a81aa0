"""Community feedback as evidence: the same plain rows as the feature apps' evidence modules.

Source ``feedback``: one row per (neighbourhood, theme, day) from `FeedbackItem`s coded to the
theme; ``count`` is the number of items and ``weight`` is 1 per item (an item that summarises a
group counts once, and its ``people_count`` adds to the sample size through `people()`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Count, Sum

from portal.evidence_rows import EvidenceRow, PeopleRow

from .models import FeedbackItem

SOURCE = "feedback"
SOURCE_GROUP = "feedback"
CHANGES_WITH = ("priorities.FeedbackItem",)


def _items(since, until):
    items = FeedbackItem.objects.all()
    if since:
        items = items.filter(received_on__gte=since)
    if until:
        items = items.filter(received_on__lte=until)
    return items


def rows(since: date | None = None, until: date | None = None) -> Iterator[EvidenceRow]:
    """Evidence rows from coded community feedback (one GROUP BY query)."""
    grouped = (FeedbackItem.themes.through.objects
               .filter(feedbackitem__in=_items(since, until))
               .values_list("feedbackitem__neighbourhood_id", "theme_id",
                            "feedbackitem__received_on")
               .annotate(n=Count("feedbackitem_id")).order_by())
    for neighbourhood_id, theme_id, day, n in grouped:
        yield EvidenceRow(neighbourhood_id, theme_id, SOURCE, float(n), n, day)


def people(since: date | None = None, until: date | None = None) -> Iterator[PeopleRow]:
    """People behind the feedback per neighbourhood (theme None) and per theme (two queries)."""
    items = _items(since, until)
    for neighbourhood_id, n in (items.values_list("neighbourhood_id")
                                .annotate(n=Sum("people_count")).order_by()):
        yield PeopleRow(neighbourhood_id, None, n or 0)
    for neighbourhood_id, theme_id, n in (
            FeedbackItem.themes.through.objects.filter(feedbackitem__in=items)
            .values_list("feedbackitem__neighbourhood_id", "theme_id")
            .annotate(n=Sum("feedbackitem__people_count")).order_by()):
        yield PeopleRow(neighbourhood_id, theme_id, n or 0)
