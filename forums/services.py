"""Forum business rules: registration and the waiting list, emails, calendars, votes, reminders.

Views, pages, admin views and commands call these plain functions and stay thin. Every bad
input raises `ForumError` (a `portal.errors.InputError`) with a message for the person and a
`code` naming the problem, and nothing is saved when one is raised.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event
from wagtail.models import Page

from portal.errors import InputError
from portal.themes.models import Theme

from .models import ForumEventPage, ForumVoteTally, OnlineVote, Registration

REMINDER_WINDOW = timedelta(hours=24)
# An email address not confirmed within this time no longer holds anything: the person can
# register afresh, and `remove_unconfirmed` (run by send_forum_reminders) deletes the request.
PENDING_EXPIRY = timedelta(hours=48)
PRODID = "-//Neighbourhood portal//Forums//EN"


class ForumError(InputError):
    """A registration, cancellation or vote that cannot be accepted; nothing was saved."""


# --- helpers ---------------------------------------------------------------------------------

def base_url(request=None) -> str:
    """Scheme and host for links in emails and calendars: the request's, else the configured."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def event_url(event, root: str) -> str:
    url = event.get_url() or ""
    return url if url.startswith("http") else root + url


def registration_url(registration, root: str, name: str = "registration") -> str:
    return root + reverse(f"forums:{name}", args=[registration.token])


def when_text(event) -> str:
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    if start.date() == end.date():
        return _("%(day)s, %(start)s to %(end)s") % {
            "day": date_format(start, "l j F Y"), "start": date_format(start, "H:i"),
            "end": date_format(end, "H:i")}
    return _("%(start)s to %(end)s") % {"start": date_format(start, "l j F Y, H:i"),
                                        "end": date_format(end, "l j F Y, H:i")}


def venue_text(event) -> str:
    parts = [event.venue_name, event.venue_address.replace("\n", ", "), event.venue_postcode]
    return ", ".join(part.strip() for part in parts if part and part.strip())


def _lock_event(event) -> None:
    """Serialise registrations for one event. SQLite already runs each transaction in
    IMMEDIATE mode (one writer at a time); PostgreSQL needs the row lock."""
    list(Page.objects.select_for_update().filter(pk=event.pk).values_list("pk", flat=True))


def canonical_event(event):
    """The forum in the default language: translated copies of a forum share its
    registrations, capacity and votes, which all hang off this one."""
    from wagtail.models import Locale

    default = Locale.get_default()
    if event.locale_id == default.pk:
        return event
    return (ForumEventPage.objects.filter(translation_key=event.translation_key, locale=default)
            .first() or event)


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# --- registration ----------------------------------------------------------------------------

def closed_reason(event, now=None) -> ForumError | None:
    """Why registration for this forum is closed, or None while it is open."""
    now = now or timezone.now()
    if event.is_cancelled:
        return ForumError(_("This forum has been cancelled, so you cannot register for it."),
                          "cancelled")
    if event.has_ended(now):
        return ForumError(_("This forum has already taken place, so registration is closed."),
                          "past")
    if event.has_started(now):
        return ForumError(_("This forum has already started, so registration is closed."),
                          "past")
    if event.registration_deadline and now > event.registration_deadline:
        deadline = timezone.localtime(event.registration_deadline)
        return ForumError(_("Registration closed on %(date)s at %(time)s.") % {
            "date": date_format(deadline, "j F Y"), "time": date_format(deadline, "H:i")},
            "deadline")
    return None


def has_space(event) -> bool:
    """True when a new person can have a place now (and nobody is waiting for one)."""
    if event.capacity is None or event.pk is None:
        return True
    confirmed = event.registrations.filter(status=Registration.CONFIRMED).count()
    if confirmed >= event.capacity:
        return False
    return not event.registrations.filter(status=Registration.WAITING).exists()


def full_error() -> ForumError:
    return ForumError(_("This forum is full. You can join the waiting list instead: we will "
                        "email you if a place comes up."), "full")


def _assign_place(registration, event, now, join_waiting_list) -> None:
    if has_space(event):
        registration.status = Registration.CONFIRMED
        registration.confirmed_at = now
    elif join_waiting_list:
        registration.status = Registration.WAITING
        registration.waiting_since = now
    else:
        raise full_error()


def _duplicate_error(existing) -> ForumError:
    if existing.status == Registration.WAITING:
        message = _("You are already on the waiting list for this forum.")
    elif existing.status == Registration.PENDING:
        message = _("You have already asked to register: check your email for the link to "
                    "confirm.")
    else:
        message = _("You are already registered for this forum.")
    return ForumError(message, "duplicate")


def attendance_mode_for(event, chosen: str) -> str:
    if event.format == ForumEventPage.IN_PERSON:
        return Registration.ATTEND_IN_PERSON
    if event.format == ForumEventPage.ONLINE:
        return Registration.ATTEND_ONLINE
    if chosen not in (Registration.ATTEND_IN_PERSON, Registration.ATTEND_ONLINE):
        raise ForumError(_("Choose whether you will come in person or join online."),
                         "attendance_mode")
    return chosen


def register(event, *, user=None, name="", email="", access_needs="", attendance_mode="",
             join_waiting_list=False, request=None, now=None) -> Registration:
    """Register a person: signed-in people get a place (or a waiting-list spot) at once; others
    are sent a link to confirm their email first."""
    now = now or timezone.now()
    error = closed_reason(event, now)
    if error:
        raise error
    if user is not None and user.is_authenticated:
        email = user.email
        name = user.get_full_name().strip() or (name or "").strip() or email.split("@")[0]
    else:
        user = None
        name = (name or "").strip()
        if not name:
            raise ForumError(_("Enter your name."), "name")
    email = _normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ForumError(_("Enter an email address in the correct format, like "
                           "name@example.com"), "email") from exc
    mode = attendance_mode_for(event, attendance_mode)
    resend = None
    try:
        with transaction.atomic():
            _lock_event(event)
            existing = Registration.objects.active().filter(event=event, email=email).first()
            if existing and is_expired(existing, now):
                existing.delete()  # never confirmed: a fresh request replaces it
                existing = None
            if existing and existing.status == Registration.PENDING and user is None:
                resend = existing
            elif existing and existing.status == Registration.PENDING:
                # The same address, now signed in: the account vouches for the email.
                existing.user, existing.name = user, name
                existing.access_needs = access_needs or existing.access_needs
                _assign_place(existing, event, now,
                              join_waiting_list or existing.wants_waiting_list)
                existing.save()
                registration = existing
            elif existing:
                raise _duplicate_error(existing)
            else:
                registration = Registration(
                    event=event, user=user, name=name, email=email,
                    access_needs=(access_needs or "").strip(), attendance_mode=mode,
                    wants_waiting_list=join_waiting_list, created_at=now,
                )
                if user is not None:
                    _assign_place(registration, event, now, join_waiting_list)
                else:
                    if not has_space(event) and not join_waiting_list:
                        raise full_error()
                    registration.status = Registration.PENDING
                registration.save()
    except IntegrityError as exc:  # the same address registered at the same moment
        existing = Registration.objects.active().filter(event=event, email=email).first()
        raise _duplicate_error(existing or Registration(status=Registration.CONFIRMED)) from exc
    if resend is not None:
        send_registration_email(resend, "confirm_email", request)
        return resend
    send_registration_email(registration, _email_kind(registration), request)
    return registration


def _email_kind(registration) -> str:
    return {Registration.PENDING: "confirm_email", Registration.CONFIRMED: "confirmed",
            Registration.WAITING: "waiting"}[registration.status]


def confirm_registration(token: str, request=None, now=None) -> Registration:
    """Confirm an email address from the emailed link: a place if there is one, otherwise a
    spot on the waiting list (the person is told which)."""
    now = now or timezone.now()
    registration = Registration.objects.select_related("event").filter(token=token).first()
    if registration is None:
        raise ForumError(_("This link is not valid. Check you copied the whole link from "
                           "the email."), "not_found")
    if registration.status == Registration.CANCELLED:
        raise ForumError(_("This registration was cancelled. You can register again on the "
                           "forum's page."), "cancelled_registration")
    if registration.status != Registration.PENDING:
        return registration  # already confirmed: opening the link twice does no harm
    if is_expired(registration, now):
        raise ForumError(_("This link has expired: email addresses must be confirmed within "
                           "48 hours. Register again on the forum's page."), "expired")
    event = registration.event.specific
    error = closed_reason(event, now)
    if error:
        raise error
    with transaction.atomic():
        _lock_event(event)
        registration.refresh_from_db()
        if registration.status != Registration.PENDING:
            return registration
        _assign_place(registration, event, now, join_waiting_list=True)
        registration.save()
    send_registration_email(registration, _email_kind(registration), request)
    return registration


def cancel_registration(registration, request=None, now=None) -> list[Registration]:
    """Cancel a registration; a freed place goes to the first person waiting, who is emailed.
    Returns the people promoted."""
    now = now or timezone.now()
    event = registration.event.specific
    if registration.status == Registration.CANCELLED:
        raise ForumError(_("This registration is already cancelled."), "already_cancelled")
    if event.has_ended(now):
        raise ForumError(_("This forum has already taken place, so there is nothing to "
                           "cancel."), "past")
    with transaction.atomic():
        _lock_event(event)
        registration.refresh_from_db()
        if registration.status == Registration.CANCELLED:
            raise ForumError(_("This registration is already cancelled."), "already_cancelled")
        held_place = registration.status == Registration.CONFIRMED
        registration.status = Registration.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = fill_places(event, now) if held_place else []
    send_registration_email(registration, "cancelled", request)
    for person in promoted:
        send_registration_email(person, "promoted", request)
    return promoted


def fill_places(event, now=None) -> list[Registration]:
    """Give free places to people on the waiting list, first come first served. Call inside a
    transaction that holds the event lock; the caller emails the people promoted."""
    now = now or timezone.now()
    if event.is_cancelled or event.has_started(now):
        return []
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - event.registrations.filter(status=Registration.CONFIRMED).count()
        if free <= 0:
            return []
    waiting = Registration.objects.filter(event=event).waiting_in_order()
    promoted = list(waiting if free is None else waiting[:free])
    for registration in promoted:
        registration.status = Registration.CONFIRMED
        registration.confirmed_at = registration.promoted_at = now
        registration.save(update_fields=["status", "confirmed_at", "promoted_at"])
    return promoted


def fill_places_and_notify(event, request=None) -> list[Registration]:
    """After an officer raises the capacity: promote and email people who were waiting."""
    with transaction.atomic():
        _lock_event(event)
        promoted = fill_places(event)
    for registration in promoted:
        send_registration_email(registration, "promoted", request)
    return promoted


def cancel_event(event, request=None, now=None) -> list[Registration]:
    """The organisers cancelled the forum: release every place and waiting-list spot and tell
    each person. Safe to call again: people already told are not emailed twice."""
    now = now or timezone.now()
    if not event.is_cancelled or event.has_ended(now):
        return []
    with transaction.atomic():
        _lock_event(event)
        affected = list(Registration.objects.active().filter(event=event))
        Registration.objects.filter(pk__in=[r.pk for r in affected]).update(
            status=Registration.CANCELLED, cancelled_at=now)
    for registration in affected:
        unconfirmed = registration.status == Registration.PENDING  # address never confirmed
        registration.status, registration.cancelled_at = Registration.CANCELLED, now
        if not unconfirmed:
            send_registration_email(registration, "event_cancelled", request)
    return affected


def active_registration(event, user):
    if user is None or not user.is_authenticated or event.pk is None:
        return None
    registration = (Registration.objects.active().filter(event=event)
                    .filter(user=user).first()
                    or Registration.objects.active().filter(
                        event=event, email=_normalise_email(user.email)).first())
    return None if registration and is_expired(registration) else registration


def show_joining_link(registration) -> bool:
    event = registration.event
    return bool(registration.is_confirmed and event.is_online and event.joining_link)


# --- emails ----------------------------------------------------------------------------------

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
    """One email about a registration; confirmed attendees get the calendar file attached."""
    event = registration.event.specific
    root = base_url(request)
    context = {
        "kind": kind, "registration": registration, "event": event,
        "event_url": event_url(event, root), "when": when_text(event), "venue": venue_text(event),
        "manage_url": registration_url(registration, root),
        "confirm_url": registration_url(registration, root, "confirm"),
        "cancel_url": registration_url(registration, root, "cancel"),
        "show_joining_link": show_joining_link(registration),
        "position": registration.waiting_position(),
    }
    message = EmailMessage(
        subject=EMAIL_SUBJECTS[kind]() % {"title": event.title},
        body=render_to_string("forums/email/registration.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[registration.email],
    )
    if registration.is_confirmed and kind in ("confirmed", "promoted", "reminder"):
        message.attach("forum.ics", event_calendar(event, registration, root),
                       "text/calendar")
    message.send()


def is_expired(registration, now=None) -> bool:
    """True for a request whose email address was not confirmed in time."""
    return (registration.status == Registration.PENDING
            and registration.created_at < (now or timezone.now()) - PENDING_EXPIRY)


def remove_unconfirmed(now=None, dry_run=False) -> int:
    """Delete registration requests never confirmed within 48 hours; returns how many."""
    stale = Registration.objects.filter(status=Registration.PENDING,
                                        created_at__lt=(now or timezone.now()) - PENDING_EXPIRY)
    if dry_run:
        return stale.count()
    deleted, _by_model = stale.delete()
    return deleted


def send_reminders(now=None, dry_run=False) -> list[Registration]:
    """Remind confirmed attendees of forums starting within 24 hours, each person once."""
    now = now or timezone.now()
    due = (Registration.objects.filter(
        status=Registration.CONFIRMED, reminder_sent_at__isnull=True,
        event__live=True, event__is_cancelled=False,
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


# --- calendars -------------------------------------------------------------------------------

def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _vevent(event, root: str, registration=None) -> Event:
    attendee_copy = registration is not None and show_joining_link(registration)
    page_url = event_url(event, root)
    host = root.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    vevent = Event()
    vevent.add("uid", f"forum-{event.pk}@{host}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    vevent.add("summary", event.title)
    vevent.add("url", page_url)
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    location = venue_text(event) if event.is_in_person else ""
    if event.format == ForumEventPage.ONLINE:
        location = event.joining_link if attendee_copy else _("Online")
    if location:
        vevent.add("location", location)
    if event.venue_latitude is not None and event.venue_longitude is not None:
        vevent.add("geo", (event.venue_latitude, event.venue_longitude))
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
    vevent.add("description", "\n\n".join(lines))
    return vevent


def event_calendar(event, registration=None, root: str | None = None) -> bytes:
    """An .ics file for one forum; an attendee's own copy holds the online joining link."""
    calendar = _calendar(event.title)
    calendar.add_component(_vevent(event, root or base_url(), registration))
    return calendar.to_ical()


def neighbourhood_calendar(neighbourhood, root: str | None = None, now=None) -> bytes:
    """A calendar feed of a neighbourhood's upcoming forums (public: no joining links)."""
    calendar = _calendar(_("Neighbourhood forums: %(name)s") % {"name": neighbourhood.name})
    from wagtail.models import Locale

    events = (ForumEventPage.objects.live().public().filter(locale=Locale.get_default())
              .for_neighbourhood(neighbourhood).upcoming(now))
    for event in events:
        calendar.add_component(_vevent(event, root or base_url()))
    return calendar.to_ical()


# --- votes -----------------------------------------------------------------------------------

def _theme_ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise ForumError(_("Choose from the themes listed."), "unknown_theme") from exc
        if number not in ids:
            ids.append(number)
    return ids


def cast_votes(registration, theme_ids, now=None) -> list[OnlineVote]:
    """Record a confirmed attendee's online vote for up to N themes; each attendee votes once."""
    now = now or timezone.now()
    if registration is None or registration.status != Registration.CONFIRMED:
        raise ForumError(_("Only people registered for this forum can vote online. Register "
                           "first, or vote in the room."), "not_registered")
    event = registration.event.specific
    if not event.is_online:
        raise ForumError(_("This forum meets in person: votes are counted in the room."),
                         "not_online")
    if event.is_cancelled or not event.online_voting_open:
        raise ForumError(_("Online voting for this forum is not open."), "closed")
    ids = _theme_ids(theme_ids)
    if not ids:
        raise ForumError(_("Choose at least one theme to vote for."), "empty")
    if len(ids) > event.votes_per_person:
        raise ForumError(ngettext(
            "You can vote for up to %(limit)s theme. You chose %(count)s.",
            "You can vote for up to %(limit)s themes. You chose %(count)s.",
            event.votes_per_person) % {"limit": event.votes_per_person, "count": len(ids)},
            "too_many")
    ballot = {theme.pk for theme in event.ballot()}
    if any(theme_id not in ballot for theme_id in ids):
        raise ForumError(_("Choose from the themes listed: one of your choices is not on this "
                           "forum's list."), "unknown_theme")
    with transaction.atomic():
        claimed = Registration.objects.filter(
            pk=registration.pk, voted_at__isnull=True).update(voted_at=now)
        if not claimed:
            raise ForumError(_("You have already voted at this forum. Each attendee votes "
                               "once."), "already_voted")
        votes = OnlineVote.objects.bulk_create([
            OnlineVote(registration=registration, event=event, theme_id=theme_id, created_at=now)
            for theme_id in ids
        ])
    registration.voted_at = now
    return votes


def record_room_votes(event, dots_by_theme: dict, user=None) -> None:
    """Set the dot-vote tallies from the room ({theme or theme id: dots}) and publish them.
    Themes not named keep their tallies."""
    tallies = {tally.theme_id: tally for tally in event.vote_tallies.all()}
    themes = Theme.objects.in_bulk([getattr(key, "pk", key) for key in dots_by_theme])
    for key, dots in dots_by_theme.items():
        theme = themes.get(getattr(key, "pk", key))
        if theme is None:
            raise ForumError(_("Choose from the themes listed."), "unknown_theme")
        try:
            dots = int(dots)
        except (TypeError, ValueError) as exc:
            raise ForumError(_("Enter the number of dots as a whole number."), "dots") from exc
        if dots < 0:
            raise ForumError(_("The number of dots cannot be negative."), "dots")
        if theme.pk in tallies:
            tallies[theme.pk].dots = dots
        else:
            tallies[theme.pk] = ForumVoteTally(theme=theme, dots=dots)
    event.vote_tallies = sorted(tallies.values(), key=lambda tally: -tally.dots)
    event.save_revision(user=user).publish(user=user)


def online_vote_totals(event) -> list[dict]:
    """Online votes per theme, most first; counts below the suppression threshold are hidden
    so a handful of attendees cannot be singled out."""
    threshold = settings.PORTAL_SUPPRESSION_THRESHOLD
    if event.pk is None:
        return []
    rows = (OnlineVote.objects.filter(event=event).values("theme_id", "theme__name")
            .annotate(n=Count("pk")).order_by("-n", "theme__name"))
    return [{"theme": row["theme__name"], "count": row["n"], "suppressed": row["n"] < threshold}
            for row in rows]


# --- officers --------------------------------------------------------------------------------

CSV_COLUMNS = ["name", "email", "status", "attending", "access_needs", "registered_at",
               "waiting_since", "attended"]


def _safe_cell(value) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells starting with these as formulas (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def attendees_csv(event) -> str:
    """The attendee list as CSV for officers (active registrations, then cancelled)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    registrations = sorted(event.registrations.all(),
                           key=lambda r: (r.status == Registration.CANCELLED, r.created_at, r.pk))
    for registration in registrations:
        writer.writerow([_safe_cell(value) for value in (
            registration.name, registration.email, registration.status,
            registration.attendance_mode, registration.access_needs.replace("\n", " "),
            timezone.localtime(registration.created_at).isoformat(timespec="minutes"),
            timezone.localtime(registration.waiting_since).isoformat(timespec="minutes")
            if registration.waiting_since else "",
            "yes" if registration.attended else "no",
        )])
    return out.getvalue()


def mark_attendance(event, attended_ids) -> int:
    """Mark which confirmed attendees came (the rest did not). Returns the number attending."""
    attended_ids = {int(pk) for pk in attended_ids}
    confirmed = event.registrations.filter(status=Registration.CONFIRMED)
    with transaction.atomic():
        confirmed.filter(pk__in=attended_ids).update(attended=True)
        confirmed.exclude(pk__in=attended_ids).update(attended=False)
    return confirmed.filter(attended=True).count()


# --- page context and other apps' views ------------------------------------------------------

def event_page_context(event, request) -> dict:
    """Everything the forum page shows beyond its fields, for the person looking at it."""
    from .forms import RegistrationForm, VoteForm

    page, event = event, canonical_event(event)
    registration = active_registration(event, request.user)
    closed = closed_reason(event)
    full = not has_space(event)
    form = getattr(request, "forum_registration_form", None) or RegistrationForm(
        event=event, user=request.user)
    can_vote = bool(registration and registration.is_confirmed and event.is_online
                    and event.online_voting_open and not event.is_cancelled
                    and registration.voted_at is None)
    vote_form = getattr(request, "forum_vote_form", None)
    if vote_form is None and can_vote:
        vote_form = VoteForm(event=event)
    return {
        "registration": registration,
        "registration_closed": closed,
        "is_full": full,
        "form": form,
        "show_joining_link": bool(registration and show_joining_link(registration)),
        "can_vote": can_vote,
        "vote_form": vote_form,
        "event": event,
        "tallies": list(page.vote_tallies.select_related("theme").order_by("-dots",
                                                                           "theme__name")),
        "online_totals": online_vote_totals(event) if event.is_online else [],
        "you_said_we_did": list(page.you_said_we_did.select_related("theme")),
        "neighbourhood_list": list(page.neighbourhoods.all()),
        "when": when_text(event),
        "venue": venue_text(event),
        "venue_place": event.venue if event.is_in_person else None,
        "has_ended": event.has_ended(),
        "suppression_threshold": settings.PORTAL_SUPPRESSION_THRESHOLD,
    }


def upcoming_events(neighbourhood=None, limit=None):
    """Upcoming, not cancelled, live forums in the active language."""
    from wagtail.models import Locale

    events = (ForumEventPage.objects.live().public().filter(is_cancelled=False,
                                                            locale=Locale.get_active())
              .upcoming().prefetch_related("neighbourhoods"))
    if neighbourhood is not None:
        events = events.for_neighbourhood(neighbourhood)
    return list(events[:limit] if limit else events)


def whats_on(request) -> list[dict]:
    """Upcoming forums for the home page's "What's on"."""
    items = []
    for event in upcoming_events(limit=6):
        items.append({
            "title": event.title, "url": event.get_url(request), "kind": _("Forum"),
            "when": when_text(event),
            "neighbourhood": ", ".join(n.name for n in event.neighbourhoods.all()),
            "sort_key": event.start.isoformat(),
        })
    return items


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
    }


def _registrations_of(user):
    """An account's registrations, including those made with its email before signing in."""
    from django.db.models import Q

    return Registration.objects.filter(Q(user=user) | Q(email=_normalise_email(user.email)))


def export_personal_data(user) -> list[dict]:
    """A person's forum registrations and online votes, for "download your data"."""
    registrations = (_registrations_of(user).select_related("event")
                     .prefetch_related("votes__theme").order_by("created_at"))
    return [{
        "forum": registration.event.title,
        "starts": registration.event.start.isoformat(),
        "name": registration.name,
        "email": registration.email,
        "status": registration.status,
        "attending": registration.attendance_mode,
        "access_needs": registration.access_needs,
        "registered_at": registration.created_at.isoformat(),
        "attended": registration.attended,
        "online_votes": [vote.theme.name for vote in registration.votes.all()],
    } for registration in registrations]


def forget_person(user) -> None:
    """Before an account is deleted: cancel its upcoming places (promoting others) and strip
    the name, email and access needs from its registrations. Votes stay, anonymous."""
    now = timezone.now()
    for registration in _registrations_of(user).active().filter(event__start__gt=now):
        try:
            cancel_registration(registration, now=now)
        except ForumError:
            pass
    for registration in _registrations_of(user):
        registration.name = _("Deleted account")
        registration.email = f"deleted-{registration.pk}@invalid.invalid"
        registration.access_needs = ""
        registration.user = None
        registration.save(update_fields=["name", "email", "access_needs", "user"])
