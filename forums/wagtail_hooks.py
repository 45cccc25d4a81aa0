"""Wagtail admin for forums: the attendee list (mark attendance), CSV export, page buttons."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.widgets import Button

from portal import extension_points

from . import services
from .models import ForumEventPage, Registration

hooks.register(extension_points.WHATS_ON, services.whats_on)
hooks.register(extension_points.NEIGHBOURHOOD_SECTION, services.neighbourhood_section)


@hooks.register(extension_points.PERSONAL_DATA)
def personal_data(user):
    return {"forum_registrations": services.export_personal_data(user)}



def _event_for_editor(request, page_id) -> ForumEventPage:
    """The forum, if the person may edit its page (officers; not councillors or residents)."""
    event = get_object_or_404(ForumEventPage, pk=page_id)
    if not event.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return event


def attendees(request, page_id):
    event = _event_for_editor(request, page_id)
    if request.method == "POST":
        count = services.mark_attendance(event, request.POST.getlist("attended"))
        messages.success(request, ngettext(
            "Attendance saved: %(count)s person marked as attended.",
            "Attendance saved: %(count)s people marked as attended.", count) % {"count": count})
        return redirect("forums_attendees", page_id=event.pk)
    registrations = list(event.registrations.order_by("created_at", "pk"))
    by_status = {status: [r for r in registrations if r.status == status]
                 for status, _label in Registration.STATUS_CHOICES}
    by_status[Registration.WAITING].sort(key=lambda r: (r.waiting_since or r.created_at, r.pk))
    return TemplateResponse(request, "forums/admin/attendees.html", {
        "event": event,
        "page_title": _("Attendees: %(title)s") % {"title": event.title},
        "header_title": _("Attendees"),
        "confirmed": by_status[Registration.CONFIRMED],
        "waiting": by_status[Registration.WAITING],
        "pending": by_status[Registration.PENDING],
        "cancelled": by_status[Registration.CANCELLED],
        "when": services.when_text(event),
        "attended_count": sum(1 for r in by_status[Registration.CONFIRMED] if r.attended),
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("wagtailadmin_pages:edit", args=[event.pk]), "label": event.title},
            {"url": "", "label": _("Attendees")},
        ],
    })


def attendees_export(request, page_id):
    event = _event_for_editor(request, page_id)
    response = HttpResponse(services.attendees_csv(event), content_type="text/csv; charset=utf-8")
    filename = f"attendees-{event.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@hooks.register("register_admin_urls")
def register_attendee_urls():
    return [
        path("forums/event/<int:page_id>/attendees/", attendees, name="forums_attendees"),
        path("forums/event/<int:page_id>/attendees.csv", attendees_export,
             name="forums_attendees_export"),
    ]


@hooks.register("register_page_header_buttons")
def attendee_header_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, ForumEventPage) and page.permissions_for_user(
            user).can_edit():
        yield Button(gettext_lazy("Attendees"), reverse("forums_attendees", args=[page.pk]),
                     icon_name="group", priority=12)


@hooks.register("register_page_listing_more_buttons")
def attendee_listing_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, ForumEventPage) and page.permissions_for_user(
            user).can_edit():
        yield Button(gettext_lazy("Attendees"), reverse("forums_attendees", args=[page.pk]),
                     icon_name="group", priority=5)


@hooks.register("after_publish_page")
def after_publish_forum(request, page):
    """A cancelled forum releases every place and tells people; a raised capacity gives
    places to the people waiting. Both send emails."""
    if isinstance(page.specific_deferred, ForumEventPage):
        event = services.canonical_event(page.specific)
        if event.is_cancelled:
            services.cancel_event(event, request)
        else:
            services.fill_places_and_notify(event, request)
