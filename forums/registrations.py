"""Registration: places, the waiting list and promotion from it, cancelling, and the
translated copies of a forum that share one list.

Every change to a forum's places happens in one transaction that holds the forum's lock, so
two people can never take the last place. Every bad input raises `ForumError` and saves
nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from portal import ratelimit
from portal.mail import current_language

from .errors import ForumError
from .models import ForumEventPage, Registration
from .models.querysets import normalise_email
from .notifications import send_registration_email

# --- how many registrations an hour -----------------------------------------------------------

# People not signed in are counted per address, sized for a venue's shared wifi (a forum of 150
# signing up for the next one on the library's network); people signed in are counted per
# account, so however many registrations come from their wifi, theirs goes through.
REGISTRATIONS_PER_HOUR = 150
REGISTRATIONS_PER_HOUR_PER_ACCOUNT = 20


def rate_limited(request) -> bool:
    """Count this registration attempt; True when its sender is over the hour's limit.

    `FORUMS_REGISTRATIONS_PER_HOUR` (per address, people not signed in; default 150) and
    `FORUMS_REGISTRATIONS_PER_HOUR_PER_ACCOUNT` (default 20), in the shared cache.
    """
    if request.user.is_authenticated:
        limit = getattr(settings, "FORUMS_REGISTRATIONS_PER_HOUR_PER_ACCOUNT",
                        REGISTRATIONS_PER_HOUR_PER_ACCOUNT)
    else:
        limit = getattr(settings, "FORUMS_REGISTRATIONS_PER_HOUR", REGISTRATIONS_PER_HOUR)
    return ratelimit.hit("forums", ratelimit.requester(request), limit)


# --- the forum and its state -----------------------------------------------------------------


def canonical_event(event):
    """The forum in the default language: translated copies of a forum share its
    registrations, capacity and votes, which all hang off this one."""
    if event.locale_id == Locale.get_default().pk:
        return event
    original = ForumEventPage.objects.filter(translation_key=event.translation_key)
    return original.in_default_language().first() or event


def _lock_event(event) -> None:
    """Serialise registrations for one event. SQLite already runs each transaction in
    IMMEDIATE mode (one writer at a time); PostgreSQL needs the row lock."""
    list(Page.objects.select_for_update().filter(pk=event.pk).values_list("pk", flat=True))


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
    if event.registrations.confirmed().count() >= event.capacity:
        return False
    return not event.registrations.filter(status=Registration.WAITING).exists()


def active_registration(event, user):
    """The signed-in person's current registration for this forum (by account, else by the
    account's email address), or None."""
    if user is None or not user.is_authenticated or event.pk is None:
        return None
    active = Registration.objects.active().filter(event=event)
    registration = (active.filter(user=user).first()
                    or active.filter(email=normalise_email(user.email)).first())
    return None if registration and registration.has_expired() else registration


def registration_from_link(token: str):
    """The registration a personal link names, or None. It is marked as opened through its
    link: the `forums` rules let whoever holds the link act on it."""
    registration = Registration.objects.select_related("event").filter(token=token).first()
    if registration is not None:
        registration.opened_by_link = True
    return registration


# --- registering -----------------------------------------------------------------------------


def _full_error() -> ForumError:
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
        raise _full_error()


def _duplicate_error(existing) -> ForumError:
    if existing.status == Registration.WAITING:
        message = _("You are already on the waiting list for this forum.")
    elif existing.status == Registration.PENDING:
        message = _("You have already asked to register: check your email for the link to "
                    "confirm.")
    else:
        message = _("You are already registered for this forum.")
    return ForumError(message, "duplicate")


def _attendance_mode_for(event, chosen: str) -> str:
    if event.format == ForumEventPage.IN_PERSON:
        return Registration.ATTEND_IN_PERSON
    if event.format == ForumEventPage.ONLINE:
        return Registration.ATTEND_ONLINE
    if chosen not in (Registration.ATTEND_IN_PERSON, Registration.ATTEND_ONLINE):
        raise ForumError(_("Choose whether you will come in person or join online."),
                         "attendance_mode")
    return chosen


def _person(user, name, email) -> tuple:
    """(account or None, name, email) for a registration, checked."""
    if user is not None and user.is_authenticated:
        email = user.email
        name = user.get_full_name().strip() or (name or "").strip() or email.split("@")[0]
    else:
        user = None
        name = (name or "").strip()
        if not name:
            raise ForumError(_("Enter your name."), "name")
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ForumError(_("Enter an email address in the correct format, like "
                           "name@example.com"), "email") from exc
    return user, name, email


def _take_place(event, user, name, email, access_needs, mode, join_waiting_list, now):
    """Inside the forum's lock: (registration, resend) where `resend` is an unconfirmed
    request of the same address whose link is sent again."""
    existing = Registration.objects.active().filter(event=event, email=email).first()
    if existing and existing.has_expired(now):
        existing.delete()  # never confirmed: a fresh request replaces it
        existing = None
    if existing and existing.status == Registration.PENDING and user is None:
        if existing.language != current_language():  # the link comes again, in today's language
            existing.language = current_language()
            existing.save(update_fields=["language"])
        return existing, True
    if existing and existing.status == Registration.PENDING:
        # The same address, now signed in: the account vouches for the email.
        existing.user, existing.name = user, name
        existing.language = current_language()
        existing.access_needs = access_needs or existing.access_needs
        _assign_place(existing, event, now, join_waiting_list or existing.wants_waiting_list)
        existing.save()
        return existing, False
    if existing:
        raise _duplicate_error(existing)
    registration = Registration(
        event=event, user=user, name=name, email=email,
        access_needs=(access_needs or "").strip(), attendance_mode=mode,
        wants_waiting_list=join_waiting_list, created_at=now, language=current_language(),
    )
    if user is not None:
        _assign_place(registration, event, now, join_waiting_list)
    else:
        if not has_space(event) and not join_waiting_list:
            raise _full_error()
        registration.status = Registration.PENDING
    registration.save()
    return registration, False


def register(event, *, user=None, name="", email="", access_needs="", attendance_mode="",
             join_waiting_list=False, request=None, now=None) -> Registration:
    """Register a person: signed-in people get a place (or a waiting-list spot) at once; others
    are sent a link to confirm their email first."""
    now = now or timezone.now()
    error = closed_reason(event, now)
    if error:
        raise error
    user, name, email = _person(user, name, email)
    mode = _attendance_mode_for(event, attendance_mode)
    try:
        with transaction.atomic():
            _lock_event(event)
            registration, resend = _take_place(event, user, name, email, access_needs, mode,
                                               join_waiting_list, now)
    except IntegrityError as exc:  # the same address registered at the same moment
        existing = Registration.objects.active().filter(event=event, email=email).first()
        raise _duplicate_error(existing or Registration(status=Registration.CONFIRMED)) from exc
    kind = "confirm_email" if resend else _email_kind(registration)
    send_registration_email(registration, kind, request)
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
    if registration.has_expired(now):
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


def remove_unconfirmed(now=None, dry_run=False) -> int:
    """Delete registration requests never confirmed within 48 hours; returns how many."""
    stale = Registration.objects.expired(now)
    if dry_run:
        return stale.count()
    deleted, _by_model = stale.delete()
    return deleted


# --- cancelling and the waiting list ---------------------------------------------------------


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
        free = event.capacity - event.registrations.confirmed().count()
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
