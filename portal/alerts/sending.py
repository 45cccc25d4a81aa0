"""Sending alerts: the immediate job and the weekly digest, run by the task worker (or the
`send_alerts` command), never inside a request.

Each run takes the public happenings (`portal.happenings`) since the job's last run (with an
overlap, so a happening stamped a little before it was visible is not missed), finds the
followers they concern (a whole-area happening concerns everyone; otherwise a follower of one
of its neighbourhoods or themes) and sends each follower one email, in batches. For each
follower the `AlertDelivery` rows are claimed and the email queued in one transaction: if a
worker dies mid-batch, what was queued stays claimed and a rerun sends only the rest, so
nobody gets the same happening twice. A happening from before someone started following is
not sent to them.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_tasks import task

from portal import happenings as registry
from portal.mail import branding_reused, in_language, reader_language, send_email_later, site_url

from .models import AlertDelivery, AlertRun, Follow, Follower

logger = logging.getLogger(__name__)

IMMEDIATE_JOB, DIGEST_JOB = "immediate", "digest"
BATCH_SIZE = 500
OVERLAP = timedelta(hours=2)
FIRST_IMMEDIATE_WINDOW = timedelta(days=1)
DIGEST_WINDOW = timedelta(days=7)


@task()
def send_immediate_alerts() -> int:
    """Queued after a page is published, and by `send_alerts`: immediate alerts."""
    return run_immediate()


@task()
def send_weekly_digest() -> int:
    """Queued weekly by `send_alerts --digest`: one summary per weekly follower."""
    return run_digest()


def run_immediate(now: datetime | None = None) -> int:
    """Send immediate alerts for what happened since the last run; the number of emails."""
    now = now or timezone.now()
    sent = deliver(Follower.IMMEDIATE, _since(IMMEDIATE_JOB, now, FIRST_IMMEDIATE_WINDOW), now)
    _record(IMMEDIATE_JOB, now)
    return sent


def run_digest(now: datetime | None = None) -> int:
    """Send the weekly digest of the last week (at least) to weekly followers."""
    now = now or timezone.now()
    since = min(_since(DIGEST_JOB, now, DIGEST_WINDOW), now - DIGEST_WINDOW)
    sent = deliver(Follower.WEEKLY, since, now, digest=True)
    _record(DIGEST_JOB, now)
    return sent


def _since(job: str, now: datetime, first_window: timedelta) -> datetime:
    state = AlertRun.objects.filter(job=job).first()
    return state.last_run_at - OVERLAP if state else now - first_window


def _record(job: str, now: datetime) -> None:
    AlertRun.objects.update_or_create(job=job, defaults={"last_run_at": now})


def concerns(item: registry.Happening, neighbourhood_ids: set, theme_ids: set) -> bool:
    """Whether a follower of these neighbourhoods and themes should hear of `item`."""
    return (item.whole_area or bool(item.neighbourhood_ids & neighbourhood_ids)
            or bool(item.theme_ids & theme_ids))


def _follows(followers: list[Follower]) -> dict[int, tuple[set, set]]:
    found: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    rows = Follow.objects.filter(follower__in=[item.pk for item in followers])
    for follower_id, neighbourhood_id, theme_id in rows.values_list(
            "follower_id", "neighbourhood_id", "theme_id").iterator(chunk_size=5000):
        (found[follower_id][0].add(neighbourhood_id) if neighbourhood_id
         else found[follower_id][1].add(theme_id))
    return found


def _by_language(languages, since, now) -> dict[str, list[registry.Happening]]:
    items = {}
    for language in languages:
        with translation.override(language):
            items[language] = registry.happenings(since=since, limit=None, language=language,
                                                  now=now)
    return items


def plan(frequency: str, since: datetime, now: datetime) -> list[tuple[Follower, list]]:
    """(follower, happenings to send them) for every confirmed follower of `frequency` with
    something new, nothing already delivered."""
    followers = list(Follower.objects.confirmed().filter(frequency=frequency)
                     .select_related("user").order_by("pk"))
    # A language the site no longer offers is read as the default language (and the email
    # comes in it: `send_to`), not an error.
    items = _by_language({reader_language(item.language) for item in followers}, since, now)
    ids = {item.id for found in items.values() for item in found}
    if not ids:
        return []
    done = set(AlertDelivery.objects.filter(happening_id__in=ids)
               .values_list("follower_id", "happening_id").iterator(chunk_size=5000))
    follows = _follows(followers)
    work = []
    for follower in followers:
        neighbourhood_ids, theme_ids = follows[follower.pk]
        wanted = [item for item in items[reader_language(follower.language)]
                  if item.happened_at >= follower.confirmed_at
                  and (follower.pk, item.id) not in done
                  and concerns(item, neighbourhood_ids, theme_ids)]
        if wanted and follower.address:
            work.append((follower, wanted))
    return work


def deliver(frequency: str, since: datetime, now: datetime, *, digest: bool = False) -> int:
    """Send each follower of `frequency` one email about their new happenings, in batches of
    `ALERTS_BATCH_SIZE`; returns the number of emails queued."""
    work = plan(frequency, since, now)
    size = int(getattr(settings, "ALERTS_BATCH_SIZE", BATCH_SIZE))
    sent = 0
    with branding_reused():  # the site's name, logo and footer: read once, not per email
        for start in range(0, len(work), size):
            batch_id = uuid.uuid4().hex
            for follower, items in work[start:start + size]:
                sent += send_to(follower, items, batch_id, digest=digest)
    return sent


def send_to(follower: Follower, items: list, batch_id: str, *, digest: bool = False) -> int:
    """Claim the deliveries and queue the email in one transaction: 1 if sent, 0 if another
    run claimed them first."""
    now = timezone.now()
    try:
        with transaction.atomic():
            AlertDelivery.objects.bulk_create([
                AlertDelivery(follower=follower, happening_id=item.id, batch_id=batch_id,
                              sent_at=now) for item in items])
            with in_language(follower.language):
                send_email_later(**message(follower, items, digest=digest))
    except IntegrityError:  # another worker got there first: it sends them
        logger.info("Alerts for follower %s already claimed", follower.pk)
        return 0
    return 1


def links(follower: Follower) -> dict:
    """The follower's manage and one-click unsubscribe links (in the active language)."""
    from .following import token_for

    token = token_for(follower)
    return {"unsubscribe_url": site_url(reverse("alerts_unsubscribe", args=[token])),
            "manage_url": site_url(reverse("alerts_manage_link", args=[token]))}


def message(follower: Follower, items: list, *, digest: bool = False) -> dict:
    """The arguments of `send_email_later` for one follower's alert or digest."""
    urls = links(follower)
    if digest:
        subject = ngettext("Your weekly alerts: %(count)s update",
                           "Your weekly alerts: %(count)s updates", len(items))
    elif len(items) == 1:
        subject = items[0].headline
    else:
        subject = ngettext("%(count)s update in your neighbourhood",
                           "%(count)s updates in your neighbourhood", len(items))
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[item.kind_label].append(item)
    body = render_to_string("alerts/email/alert.txt", {
        "items": items, "groups": dict(groups), "digest": digest, **urls})
    return {"subject": subject % {"count": len(items)}, "body": body, "to": follower.address,
            "headers": {"List-Unsubscribe": f"<{urls['unsubscribe_url']}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}


def queue_soon() -> None:
    """Queue the immediate job, unless nobody wants immediate alerts."""
    if Follower.objects.confirmed().filter(frequency=Follower.IMMEDIATE).exists():
        send_immediate_alerts.enqueue()


