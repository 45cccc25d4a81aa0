"""How a forum is written out in pages, emails and calendars: its links, date and venue.

Plain functions over the objects they are given; this module imports no forum model.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def base_url(request=None) -> str:
    """Scheme and host for links in emails and calendars: the request's, else the configured."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def event_url(event, root: str) -> str:
    """The forum page's absolute URL."""
    url = event.get_url() or ""
    return url if url.startswith("http") else root + url


def registration_url(registration, root: str, name: str = "registration") -> str:
    """An absolute personal link for a registration: its page, or its confirm or cancel link."""
    return root + reverse(f"forums:{name}", args=[registration.token])


def when_text(event) -> str:
    """The forum's day and times in words, in the local time zone."""
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    if start.date() == end.date():
        return _("%(day)s, %(start)s to %(end)s") % {
            "day": date_format(start, "l j F Y"), "start": date_format(start, "H:i"),
            "end": date_format(end, "H:i")}
    return _("%(start)s to %(end)s") % {"start": date_format(start, "l j F Y, H:i"),
                                        "end": date_format(end, "l j F Y, H:i")}


def venue_text(event) -> str:
    """The venue's name, address and postcode on one line."""
    parts = [event.venue_name, event.venue_address.replace("\n", ", "), event.venue_postcode]
    return ", ".join(part.strip() for part in parts if part and part.strip())
