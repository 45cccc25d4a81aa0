"""Wagtail admin for forums: the attendee list (mark attendance), CSV export, page buttons;
and what forums contribute to the core's extension points."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.widgets import Button

from portal import extension_points, spreadsheets

from . import attendance, contributions, registrations
from .formatting import when_text
from .happenings import happenings
from .models import ForumEventPage, Registration
from .search_provider import provider as search_provider

hooks.register(extension_points.WHATS_ON, contributions.whats_on)
hooks.register(extension_points.NEIGHBOURHOOD_SECTION, contributions.neighbourhood_section)
hooks.register(extension_points.PERSONAL_DATA, contributions.personal_data)
hooks.register(extension_points.HAPPENINGS, happenings)
hooks.register(extension_points.SEARCH_PROVIDERS, search_provider)


def _event_for(request, page_id, action) -> ForumEventPage:
    """The forum, if the person may do `action` with it (see forums/rules.py)."""
    event = get_object_or_404(ForumEventPage, pk=page_id)
    if not request.user.has_perm(action, event):
        raise PermissionDenied
    return event


def attendees(request, page_id):
    if request.method == "POST":
        event = _event_for(request, page_id, "forums.record_attendance")
        count = attendance.mark_attendance(event, request.POST.getlist("attended"))
        messages.success(request, ngettext(
            "Attendance saved: %(count)s person marked as attended.",
            "Attendance saved: %(count)s people marked as attended.", count) % {"count": count})
        return redirect("forums_attendees", page_id=event.pk)
    event = _event_for(request, page_id, "forums.view_attendees")
    groups = attendance.attendee_groups(event)
    return TemplateResponse(request, "forums/admin/attendees.html", {
        "event": event,
        "page_title": _("Attendees: %(title)s") % {"title": event.title},
        "header_title": _("Attendees"),
        "confirmed": groups[Registration.CONFIRMED],
        "waiting": groups[Registration.WAITING],
        "pending": groups[Registration.PENDING],
        "cancelled": groups[Registration.CANCELLED],
        "when": when_text(event),
        "attended_count": sum(1 for r in groups[Registration.CONFIRMED] if r.attended),
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("wagtailadmin_pages:edit", args=[event.pk]), "label": event.title},
            {"url": "", "label": _("Attendees")},
        ],
    })


def attendees_export(request, page_id):
    event = _event_for(request, page_id, "forums.export_attendees")
    filename = f"attendees-{event.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    return spreadsheets.csv_response(filename, attendance.attendee_rows(event),
                                     attendance.CSV_COLUMNS, cache_control="no-store")


@hooks.register("register_admin_urls")
def register_attendee_urls():
    return [
        path("forums/event/<id:page_id>/attendees/", attendees, name="forums_attendees"),
        path("forums/event/<id:page_id>/attendees.csv", attendees_export,
             name="forums_attendees_export"),
    ]


def _attendees_button(page, user, priority):
    if isinstance(page.specific_deferred, ForumEventPage) and user.has_perm(
            "forums.view_attendees", page):
        yield Button(gettext_lazy("Attendees"), reverse("forums_attendees", args=[page.pk]),
                     icon_name="group", priority=priority)


@hooks.register("register_page_header_buttons")
def attendee_header_button(page, user, view_name, next_url=None):
    yield from _attendees_button(page, user, priority=12)


@hooks.register("register_page_listing_more_buttons")
def attendee_listing_button(page, user, next_url=None):
    yield from _attendees_button(page, user, priority=5)


@hooks.register("after_publish_page")
def after_publish_forum(request, page):
    """A cancelled forum releases every place and tells people; a raised capacity gives
    places to the people waiting. Both send emails."""
    if isinstance(page.specific_deferred, ForumEventPage):
        event = registrations.canonical_event(page.specific)
        if event.is_cancelled:
            registrations.cancel_event(event, request)
        else:
            registrations.fill_places_and_notify(event, request)
