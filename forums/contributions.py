"""What forums give the rest of the portal through its extension points: upcoming forums for
"What's on" and neighbourhood pages, and a person's forum data to download or forget.

`wagtail_hooks.py` registers these under the hooks in `portal.extension_points`; `apps.py`
calls `forget_person` before an account is deleted.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ForumError
from .formatting import when_text
from .models import ForumEventPage, Registration
from .registrations import cancel_registration


def upcoming_events(neighbourhood=None, limit=None) -> list[ForumEventPage]:
    """Upcoming, not cancelled, live forums in the active language."""
    events = ForumEventPage.objects.coming_up()
    if neighbourhood is not None:
        events = events.for_neighbourhood(neighbourhood)
    return list(events[:limit] if limit else events)


def whats_on(request) -> list[dict]:
    """Upcoming forums for the home page's "What's on"."""
    return [{
        "title": event.title, "url": event.get_url(request), "kind": _("Forum"),
        "when": when_text(event),
        "neighbourhood": ", ".join(n.name for n in event.neighbourhoods.all()),
        "sort_key": event.start.isoformat(),
    } for event in upcoming_events(limit=6)]


def neighbourhood_section(neighbourhood, request) -> dict | None:
    """Upcoming forums on a neighbourhood page, with its calendar feed."""
    events = upcoming_events(neighbourhood, limit=5)
    return {
        "title": _("Neighbourhood forums"),
        "template": "forums/neighbourhood_section.html",
        "context": {
            "events": [{"page": event, "url": event.get_url(request), "when": when_text(event),
                        "format": event.get_format_display()} for event in events],
            "neighbourhood": neighbourhood,
            "feed_url": reverse("forums:neighbourhood_calendar", args=[neighbourhood.slug]),
        },
        # Cached sections lapse when the first forum listed ends (portal.neighbourhoods).
        "fresh_until": min((event.end for event in events), default=None),
    }


def export_personal_data(user) -> list[dict]:
    """A person's forum registrations and online votes, for "download your data"."""
    registrations = (Registration.objects.of_person(user).select_related("event")
                     .prefetch_related("votes__theme").order_by("created_at"))
    return [{
        "forum": registration.event.title,
        "starts": registration.event.start.isoformat(),
        "name": registration.name,
        "email": registration.email,
        "status": registration.status,
        "attending": registration.attendance_mode,
        "language": registration.language,
        "access_needs": registration.access_needs,
        "registered_at": registration.created_at.isoformat(),
        "attended": registration.attended,
        "online_votes": [vote.theme.name for vote in registration.votes.all()],
    } for registration in registrations]


def personal_data(user) -> dict:
    """The "forum_registrations" section of "download your data"."""
    return {"forum_registrations": export_personal_data(user)}


def forget_person(user) -> None:
    """Before an account is deleted: cancel its upcoming places (promoting others) and strip
    the name, email and access needs from its registrations. Votes stay, anonymous."""
    now = timezone.now()
    for registration in Registration.objects.of_person(user).active().filter(
            event__start__gt=now):
        try:
            cancel_registration(registration, now=now)
        except ForumError:
            pass
    for registration in Registration.objects.of_person(user):
        registration.name = _("Deleted account")
        registration.email = f"deleted-{registration.pk}@invalid.invalid"
        registration.access_needs = ""
        registration.user = None
        registration.save(update_fields=["name", "email", "access_needs", "user"])
