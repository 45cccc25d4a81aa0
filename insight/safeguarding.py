"""Safeguarding flags from any channel: tell the safeguarding contact, and list what is flagged.

`flag_raised()` is called after the commit by whatever newly flags an item in insight (the
coding screen, the importer). It emails the safeguarding contact through the task queue
(`portal.mail.send_email_later`) with the channel and a link to the item's page under
/admin/insight/safeguarding/<pk>/, never the text, the name of whoever spoke or anything typed
about them. It records the flag on the item (`flagged_at`, `flagged_by`) in the same UPDATE
that decides whether to send, so a second call for the same flag sends nothing; a flag removed
(a `CodingEvent` UNFLAGGED) and raised again is a new concern and is sent again.

Flags set on the origin's own pages (typed feedback in the priorities admin, survey comments in
the surveys admin) are emailed by those apps with links to their pages; they reach this list
through the index like every other flagged item, with no `flagged_by`.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.mail import send_email_later, site_url
from priorities.feedback import safeguarding_contact
from priorities.models import FeedbackItem

from .models import CodingEvent, InsightItem, SafeguardingOpened

SURVEY_CHANNEL = "survey"


def contact() -> str:
    """`INSIGHT_SAFEGUARDING_EMAIL`, else the one priorities uses (its settings, then the site's
    contact email); "" when nobody is configured."""
    return getattr(settings, "INSIGHT_SAFEGUARDING_EMAIL", "") or safeguarding_contact()


def channel_label(item: InsightItem) -> str:
    """The channel an item came through, in words (never its free-text source details)."""
    if item.source == SURVEY_CHANNEL or item.origin == InsightItem.COMMENT:
        return str(_("Survey comment"))
    return str(dict(FeedbackItem.SOURCE_CHOICES).get(item.source) or item.get_origin_display())


def item_link(item_or_pk) -> str:
    """The absolute address of an item's safeguarding page (sign-in needed; openings audited)."""
    pk = getattr(item_or_pk, "pk", item_or_pk)
    return site_url(reverse("insight:safeguarding_item", args=[pk]))


def _unsent(queryset):
    """Flagged items whose flag has not been emailed yet: never sent, or unflagged since."""
    unflagged_since = CodingEvent.objects.filter(
        item=OuterRef("pk"), action=CodingEvent.UNFLAGGED, at__gt=OuterRef("flagged_at"))
    return queryset.filter(safeguarding=True).filter(
        Q(flagged_at__isnull=True) | Exists(unflagged_since))


def flag_raised(item, user, request=None) -> bool:
    """An item was newly flagged: tell the safeguarding contact through the task queue, with a
    link and never the text. Called by the coding screen and the importer after the commit.

    `item` is an `InsightItem` (or its pk). Sends at most one email per flag, however often it
    is called; returns whether this call queued it. An item no longer flagged sends nothing.
    With no contact configured the flag is still recorded (the list shows it) and nothing is
    sent.
    """
    pk = getattr(item, "pk", item)
    now = timezone.now()
    claimed = _unsent(InsightItem.objects.filter(pk=pk)).update(
        flagged_at=now, flagged_by=user if getattr(user, "pk", None) else None)
    if not claimed:
        return False
    item = InsightItem.objects.get(pk=pk)
    address = contact()
    if not address:
        return False
    channel = channel_label(item)
    send_email_later(
        _("Safeguarding concern flagged: %(channel)s") % {"channel": channel},
        _("%(officer)s flagged an item of community insight (%(kind)s, %(channel)s, received "
          "%(date)s) as a safeguarding concern.\n\n"
          "Read it here (sign-in needed; every opening is recorded): %(link)s\n")
        % {"officer": getattr(user, "email", "") or _("An officer"),
           "kind": item.get_origin_display(), "channel": channel,
           "date": item.received_on.isoformat(), "link": item_link(item)},
        [address],
    )
    return True


def flags_raised(items, user) -> int:
    """`flag_raised` for each of several newly flagged items (an import, a bulk action);
    returns how many emails were queued."""
    return sum(flag_raised(item, user) for item in items)


def flagged_items():
    """Flagged items for the list, newest first, each with its last opening (who, when)
    and how often it was opened, in one query: no text is needed or shown."""
    openings = SafeguardingOpened.objects.filter(item=OuterRef("pk")).order_by("-at", "-pk")
    opened_count = (SafeguardingOpened.objects.filter(item=OuterRef("pk")).order_by()
                    .values("item").annotate(n=Count("pk")).values("n"))
    return (InsightItem.objects.filter(safeguarding=True)
            .select_related("neighbourhood", "flagged_by")
            .defer("text", "equality", "source_label")
            .annotate(last_opened_at=Subquery(openings.values("at")[:1]),
                      last_opened_by=Subquery(openings.values("user__email")[:1]),
                      times_opened=Coalesce(Subquery(opened_count), 0))
            .order_by("-received_on", "-id"))


def record_opening(item: InsightItem, user) -> SafeguardingOpened:
    """Audit that `user` opened a flagged item's page (each time they open it)."""
    return SafeguardingOpened.objects.create(item=item, user=user)
