"""Emails to the people registered for a forum: confirmations, waiting list and promotion,
cancellations, and the reminder the day before.

Queued with `portal.mail` (sent by the task worker). Each email is written in the language
the person registered in (`Registration.language`), whoever triggers it: the person, an
officer cancelling the forum, someone else's cancellation freeing a place, or the reminder
command. Its links go to the forum's page in that language and dates are written in it.
Access needs are health data: they are
never written into an email; every email links to the personal registration page, where the
person sees what they told us."""

from __future__ import annotations

from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.mail import in_language, send_email_later

from .calendars import event_calendar
from .formatting import base_url, event_url, registration_url, venue_text, when_text
from .models import Registration

REMINDER_WINDOW = timedelta(hours=24)

EMAIL_SUBJECTS = {
    "confirm_email": lambda: _("Confirm your place at %(title)s"),
    "confirmed": lambda: _("You are registered: %(title)s"),
    "waiting": lambda: _("You are on the waiting list: %(title)s"),
    "promoted": lambda: _("A place has come up – you are registered: %(title)s"),
    "cancelled": lambda: _("Registration cancelled: %(title)s"),
    "event_cancelled": lambda: _("Forum cancelled: %(title)s"),
    "reminder": lambda: _("Reminder: %(title)s starts soon"),
}


def send_registration_email(registration, kind: str, request=None) -> None:
    """One email about a registration, in the person's language (`Registration.language`);
    confirmed attendees get the calendar file attached."""
    with in_language(registration.language):
        _send_registration_email(registration, kind, request)


def _send_registration_email(registration, kind: str, request=None) -> None:
    event = registration.event.specific
    # The forum as the reader knows it: its page in their language when there is a live one
    # (title, venue, instructions, link); the times and the calendar come from the forum the
    # registration belongs to.
    shown = event.localized
    root = base_url(request)
    context = {
        "kind": kind, "registration": registration, "event": shown,
        "event_url": event_url(shown, root), "when": when_text(event), "venue": venue_text(shown),
        "manage_url": registration_url(registration, root),
        "confirm_url": registration_url(registration, root, "confirm"),
        "cancel_url": registration_url(registration, root, "cancel"),
        "show_joining_link": registration.shows_joining_link, "joining_link": event.joining_link,
        "position": registration.waiting_position(),
    }
    attachments = []
    if registration.is_confirmed and kind in ("confirmed", "promoted", "reminder"):
        attachments.append(("forum.ics", event_calendar(event, registration, root).decode(),
                            "text/calendar"))
    send_email_later(EMAIL_SUBJECTS[kind]() % {"title": shown.title},
                     render_to_string("forums/email/registration.txt", context),
                     [registration.email], attachments=attachments)


def send_reminders(now=None, dry_run=False) -> list[Registration]:
    """Remind confirmed attendees of forums starting within 24 hours, each person once."""
    now = now or timezone.now()
    due = (Registration.objects.confirmed().filter(
        reminder_sent_at__isnull=True, event__live=True, event__is_cancelled=False,
        event__start__gt=now, event__start__lte=now + REMINDER_WINDOW,
    ).select_related("event").order_by("event__start", "pk"))
    sent = []
    for registration in due:
        if dry_run:
            sent.append(registration)
            continue
        # Claim first, so two schedulers running at once never remind anyone twice.
        claimed = Registration.objects.filter(
            pk=registration.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
        if claimed:
            send_registration_email(registration, "reminder")
            sent.append(registration)
    return sent
