"""Calendar files (.ics): one forum, public or an attendee's own copy with the joining link,
and a neighbourhood's feed of upcoming forums."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .formatting import base_url, event_url, registration_url, venue_text
from .models import ForumEventPage

PRODID = "-//Neighbourhood portal//Forums//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _location(event, attendee_copy: bool) -> str:
    if event.format == ForumEventPage.ONLINE:
        return event.joining_link if attendee_copy else _("Online")
    return venue_text(event) if event.is_in_person else ""


def _description(event, page_url: str, root: str, registration, attendee_copy: bool) -> str:
    lines = [event.summary] if event.summary else []
    if attendee_copy:
        lines.append(_("Join online: %(link)s") % {"link": event.joining_link})
        if event.joining_instructions:
            lines.append(event.joining_instructions)
    elif event.is_online:
        lines.append(_("The joining link is sent to people who register."))
    lines.append(_("More about this forum: %(url)s") % {"url": page_url})
    if registration is not None and registration.is_confirmed:
        lines.append(_("Cannot come? Cancel your place: %(url)s")
                     % {"url": registration_url(registration, root, "cancel")})
    return "\n\n".join(lines)


def event_uid(event) -> str:
    """The forum's calendar UID: the same in every copy, whichever host name served it.

    The domain is the configured public address's (PORTAL_BASE_URL), never the request's Host
    header: calendar apps match updates and cancellations by UID, so one that changed with the
    address used would leave a stale copy of the forum behind."""
    host = urlsplit(base_url()).hostname or "localhost"
    return f"forum-{event.pk}@{host}"


def _vevent(event, root: str, registration=None) -> Event:
    attendee_copy = registration is not None and registration.shows_joining_link
    page_url = event_url(event, root)
    vevent = Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    vevent.add("summary", event.title)
    vevent.add("url", page_url)
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    location = _location(event, attendee_copy)
    if location:
        vevent.add("location", location)
    if event.venue_latitude is not None and event.venue_longitude is not None:
        vevent.add("geo", (event.venue_latitude, event.venue_longitude))
    vevent.add("description", _description(event, page_url, root, registration, attendee_copy))
    return vevent


def event_calendar(event, registration=None, root: str | None = None) -> bytes:
    """An .ics file for one forum; an attendee's own copy holds the online joining link."""
    calendar = _calendar(event.title)
    calendar.add_component(_vevent(event, root or base_url(), registration))
    return calendar.to_ical()


def neighbourhood_calendar(neighbourhood, root: str | None = None, now=None) -> bytes:
    """A calendar feed of a neighbourhood's upcoming forums (public: no joining links)."""
    calendar = _calendar(_("Neighbourhood forums: %(name)s") % {"name": neighbourhood.name})
    events = (ForumEventPage.objects.live().public().in_default_language()
              .for_neighbourhood(neighbourhood).upcoming(now))
    for event in events:
        calendar.add_component(_vevent(event, root or base_url()))
    return calendar.to_ical()
