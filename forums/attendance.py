"""Who registered and who came: the officers' attendee list, its CSV export and marking
attendance after the forum."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Registration

CSV_COLUMNS = ["name", "email", "status", "attending", "access_needs", "registered_at",
               "waiting_since", "attended"]


def attendee_groups(event) -> dict[str, list[Registration]]:
    """A forum's registrations by status (in the order people registered), the waiting list
    in its order."""
    registrations = list(event.registrations.order_by("created_at", "pk"))
    groups = {status: [r for r in registrations if r.status == status]
              for status, _label in Registration.STATUS_CHOICES}
    groups[Registration.WAITING].sort(key=lambda r: (r.waiting_since or r.created_at, r.pk))
    return groups


def _local_minutes(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


def attendee_rows(event):
    """The attendee list's rows for officers (active registrations, then cancelled), written
    by `portal.spreadsheets` (which neutralises anything a spreadsheet would run)."""
    registrations = sorted(event.registrations.all(),
                           key=lambda r: (r.status == Registration.CANCELLED, r.created_at, r.pk))
    for registration in registrations:
        yield [
            registration.name, registration.email, registration.status,
            registration.attendance_mode, registration.access_needs.replace("\n", " "),
            _local_minutes(registration.created_at), _local_minutes(registration.waiting_since),
            "yes" if registration.attended else "no",
        ]


def mark_attendance(event, attended_ids) -> int:
    """Mark which confirmed attendees came (the rest did not). Returns the number attending.

    A value that is not a registration id (a tampered form) matches nobody."""
    attended_ids = {int(pk) for pk in attended_ids if str(pk).isdigit() and len(str(pk)) < 19}
    confirmed = event.registrations.confirmed()
    with transaction.atomic():
        confirmed.filter(pk__in=attended_ids).update(attended=True)
        confirmed.exclude(pk__in=attended_ids).update(attended=False)
    return confirmed.filter(attended=True).count()
