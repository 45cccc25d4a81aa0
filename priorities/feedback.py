"""Community feedback: telling the safeguarding contact about a flag, and trends over time."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from wagtail.models import Site

from portal.mail import send_email_later
from portal.pages.models import PortalSettings

from .models import FeedbackItem


def safeguarding_contact() -> str:
    """`PRIORITIES_SAFEGUARDING_EMAIL`, `SURVEYS_SAFEGUARDING_EMAIL`, else the site's contact."""
    for name in ("PRIORITIES_SAFEGUARDING_EMAIL", "SURVEYS_SAFEGUARDING_EMAIL"):
        if getattr(settings, name, ""):
            return getattr(settings, name)
    site = Site.objects.filter(is_default_site=True).first()
    return PortalSettings.for_site(site).contact_email if site else ""


def notify_safeguarding(item: FeedbackItem, user=None, link: str = "") -> bool:
    """Email the safeguarding contact that feedback was flagged: where to read it, not the text."""
    contact = safeguarding_contact()
    if not contact:
        return False
    send_email_later(
        _("Safeguarding concern flagged in community feedback from %(neighbourhood)s")
        % {"neighbourhood": item.neighbourhood},
        _("%(officer)s flagged community feedback (%(source)s, %(date)s, %(neighbourhood)s) as "
          "a safeguarding concern.\n\nRead it here (sign-in needed): %(link)s\n")
        % {"officer": getattr(user, "email", "") or _("An officer"),
           "source": item.get_source_display(), "date": item.received_on.isoformat(),
           "neighbourhood": item.neighbourhood, "link": link},
        [contact],
    )
    return True


# Trends -----------------------------------------------------------------------------------


def _monthly_counts(items, group_by: str):
    """(month, category, count) rows for the items, in one GROUP BY query."""
    if group_by == "theme":
        return (FeedbackItem.themes.through.objects.filter(feedbackitem__in=items)
                .annotate(month=TruncMonth("feedbackitem__received_on"))
                .values_list("month", "theme__name").annotate(n=Count("feedbackitem_id"))
                .order_by())
    if group_by == "neighbourhood":
        return (items.annotate(month=TruncMonth("received_on"))
                .values_list("month", "neighbourhood__name").annotate(n=Count("id")).order_by())
    labels = dict(FeedbackItem.SOURCE_CHOICES)
    return [(month, str(labels.get(source, source)), n) for month, source, n in
            items.annotate(month=TruncMonth("received_on"))
            .values_list("month", "source").annotate(n=Count("id")).order_by()]


def _chart(rows: list[dict]) -> dict:
    """Adds each month's bar geometry to `rows`; returns the chart's own size."""
    top = max((row["total"] for row in rows), default=0) or 1
    bar_w, height = 36, 160
    for index, row in enumerate(rows):
        bar = round(height * row["total"] / top)
        row.update(x=40 + index * (bar_w + 10), bar_h=bar, bar_y=20 + height - bar,
                   bar_w=bar_w)
    return {"width": 60 + len(rows) * (bar_w + 10), "height": height + 60,
            "base": 20 + height, "label_y": 40 + height}


def feedback_trends(group_by: str = "source", since=None, until=None) -> dict:
    """Community feedback counted by month and by source, neighbourhood or theme (one query)."""
    items = FeedbackItem.objects.all()
    if since:
        items = items.filter(received_on__gte=since)
    if until:
        items = items.filter(received_on__lte=until)
    table: dict = defaultdict(lambda: defaultdict(int))
    found = set()
    for month, category, n in _monthly_counts(items, group_by):
        table[month][category] += n
        found.add(category)
    categories = sorted(found)
    rows = [{"month": month, "cells": [table[month].get(c, 0) for c in categories],
             "total": sum(table[month].values())} for month in sorted(table)]
    chart = _chart(rows)
    return {"categories": categories, "rows": rows, "group_by": group_by, "chart": chart}
