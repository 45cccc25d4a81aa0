"""Thin public views: the forum page, register, confirm, cancel, vote, and the calendar files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Locale

from portal import disclosure
from portal.neighbourhoods import content_cache
from portal.neighbourhoods.models import Neighbourhood

from . import calendars, registrations, votes
from .errors import ForumError
from .formatting import base_url, venue_text, when_text
from .forms import RegistrationForm, VoteForm
from .models import ForumEventPage, Registration


def _live_event(page_id) -> ForumEventPage:
    event = ForumEventPage.objects.live().public().filter(pk=page_id).first()
    if event is None:
        raise Http404
    return registrations.canonical_event(event)


def _registration_from_link(request, token, action) -> Registration:
    """The registration a personal link names, if the person may do `action` with it."""
    registration = registrations.registration_from_link(token)
    if registration is None:
        raise Http404
    _require(request, action, registration)
    return registration


def _require(request, action, obj) -> None:
    if not request.user.has_perm(action, obj):
        raise PermissionDenied


def _event_page_context(page, request, form=None, vote_form=None) -> dict:
    """Everything the forum page shows beyond its fields, for the person looking at it."""
    event = registrations.canonical_event(page)
    registration = registrations.active_registration(event, request.user)
    can_vote = votes.can_vote(registration, event)
    if vote_form is None and can_vote:
        vote_form = VoteForm(event=event)
    return {
        "registration": registration,
        "registration_closed": registrations.closed_reason(event),
        "is_full": not registrations.has_space(event),
        "form": form or RegistrationForm(event=event, user=request.user),
        "show_joining_link": bool(registration and registration.shows_joining_link),
        "can_vote": can_vote,
        "vote_form": vote_form,
        "event": event,
        "online_totals": votes.online_vote_totals(event) if event.is_online else [],
        "attendance": votes.public_attendance(page),
        **_published_parts(page, event, request),
        "when": when_text(event),
        "venue": venue_text(event),
        "has_ended": event.has_ended(),
        "suppression_threshold": disclosure.threshold(),
    }


def _published_parts(page, event, request) -> dict:
    """The parts of the forum page only editors change (the tallies from the room, "you said,
    we did", the neighbourhoods, the venue): kept in the shared cache until content changes,
    except in a preview, which shows the draft's."""
    def compute():
        return {
            "tallies": votes.room_tallies(page),
            "you_said_we_did": list(page.you_said_we_did.select_related("theme")),
            "neighbourhood_list": list(page.neighbourhoods.all()),
            "venue_place": event.venue if event.is_in_person else None,
        }

    if getattr(request, "is_preview", False) or not page.pk or not event.pk:
        return compute()
    key = f"forums:page:{page.pk}:{event.pk}:{get_language()}"
    return content_cache.cached(key, lambda: (compute(), None))


def event_page(request, page, form=None, vote_form=None):
    """A forum's page (and its preview in the editor), with a form's errors when given."""
    request.is_preview = getattr(request, "is_preview", False)
    response = page.render(request, context_overrides=_event_page_context(
        page, request, form, vote_form))
    if request.user.is_authenticated:
        # The page shows the person's own registration and, for attendees, the joining link.
        response["Cache-Control"] = "private, no-store"
    return response


def _page_with_errors(request, event, form=None, vote_form=None):
    """Show the forum page again, in the person's language, with a form's errors."""
    page = event.get_translation_or_none(Locale.get_active()) or event
    return event_page(request, page.specific, form=form, vote_form=vote_form)


def _page_url(request, event) -> str:
    """The forum's page in the active language (the default-language page if untranslated)."""
    page = event.get_translation_or_none(Locale.get_active()) or event
    return page.get_url(request)


def _calendar_response(data: bytes, filename: str, private=False) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=600"
    return response


@require_http_methods(["GET", "POST"])
def register(request, page_id):
    event = _live_event(page_id)
    _require(request, "forums.register", event)
    if request.method == "GET":
        return redirect(_page_url(request, event))
    form = RegistrationForm(request.POST, event=event, user=request.user)
    if registrations.rate_limited(request):
        # Nothing is saved or sent; the form comes back as typed.
        form.is_valid()
        if request.user.is_authenticated:
            form.add_error(None, _("You have sent a lot of registrations in the last hour. "
                                   "Your details are still in the form: wait a few minutes, "
                                   "then send them again."))
        else:
            form.add_error(None, _("We have had a lot of registrations from your internet "
                                   "connection in the last hour. Your details are still in "
                                   "the form: wait a few minutes, then send them again."))
        response = _page_with_errors(request, event, form=form)
        response.status_code = 429
        return response
    if not form.is_valid():
        return _page_with_errors(request, event, form=form)
    if form.is_spam():
        # Answer as for a person, so the software learns nothing; save and send nothing.
        messages.success(request, _("Check your email: we have sent a link to %(email)s to "
                                    "confirm your place.")
                         % {"email": form.cleaned_data.get("email", "")})
        return redirect(_page_url(request, event))
    data = form.cleaned_data
    try:
        registration = registrations.register(
            event, user=request.user, name=data.get("name", ""), email=data.get("email", ""),
            access_needs=data.get("access_needs", ""),
            attendance_mode=data.get("attendance_mode", ""),
            join_waiting_list=request.POST.get("join_waiting_list") == "1", request=request,
        )
    except ForumError as error:
        field = error.code if error.code in form.fields else None
        form.add_error(field, error.message)
        return _page_with_errors(request, event, form=form)
    if registration.status == Registration.PENDING:
        # Not the registration's own page: its link must reach the person only by email,
        # or anyone could confirm somebody else's address.
        messages.success(request, _("Check your email: we have sent a link to %(email)s to "
                                    "confirm your place.") % {"email": registration.email})
        return redirect(_page_url(request, event))
    if registration.status == Registration.WAITING:
        messages.success(request, _("You are on the waiting list. We will email you if a "
                                    "place comes up."))
    else:
        messages.success(request, _("You are registered. We have emailed you the details."))
    return redirect(_page_url(request, event))


def _private(response):
    """Pages reached through a personal link: never cached, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def registration_detail(request, token):
    registration = _registration_from_link(request, token, "forums.view_registration")
    event = registration.event.specific
    return _private(render(request, "forums/registration_detail.html", {
        "registration": registration, "event": event,
        "event_url": _page_url(request, event), "when": when_text(event),
        "venue": venue_text(event),
        "show_joining_link": registration.shows_joining_link,
        "has_ended": event.has_ended(),
        "vote_form": VoteForm(event=event) if votes.can_vote(registration, event) else None,
    }))


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    registration = _registration_from_link(request, token, "forums.confirm_registration")
    event = registration.event.specific
    if request.method == "POST":
        try:
            registration = registrations.confirm_registration(token, request=request)
        except ForumError as error:
            return render(request, "forums/registration_problem.html",
                          {"event": event, "message": error.message,
                           "event_url": _page_url(request, event)}, status=409)
        if registration.status == Registration.WAITING:
            messages.success(request, _("Your email is confirmed. The forum is full, so you "
                                        "are on the waiting list."))
        else:
            messages.success(request, _("Your email is confirmed: you are registered."))
        return redirect("forums:registration", token=token)
    if registration.status != Registration.PENDING:
        return redirect("forums:registration", token=token)
    return _private(render(request, "forums/registration_action.html", {
        "registration": registration, "event": event, "action": "confirm",
        "when": when_text(event), "event_url": _page_url(request, event),
    }))


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    registration = _registration_from_link(request, token, "forums.cancel_registration")
    event = registration.event.specific
    if request.method == "POST":
        try:
            registrations.cancel_registration(registration, request=request)
        except ForumError as error:
            return render(request, "forums/registration_problem.html",
                          {"event": event, "message": error.message,
                           "event_url": _page_url(request, event)}, status=409)
        messages.success(request, _("Your registration is cancelled. Thank you for letting us "
                                    "know: your place goes to the next person waiting."))
        return redirect(_page_url(request, event))
    if registration.status == Registration.CANCELLED:
        return render(request, "forums/registration_problem.html", {
            "event": event, "event_url": _page_url(request, event),
            "message": _("This registration is already cancelled.")}, status=409)
    return _private(render(request, "forums/registration_action.html", {
        "registration": registration, "event": event, "action": "cancel",
        "when": when_text(event), "event_url": _page_url(request, event),
    }))


@require_POST
def vote(request, page_id):
    event = _live_event(page_id)
    token = request.POST.get("token")
    if token:
        registration = registrations.registration_from_link(token)
        if registration is not None and registration.event_id != event.pk:
            registration = None
    else:
        registration = registrations.active_registration(event, request.user)
    if registration is not None:
        _require(request, "forums.vote_online", registration)
    form = VoteForm(request.POST, event=event)
    # The service checks the place and the vote; the form only turns the choices into a list.
    try:
        votes.cast_votes(registration, request.POST.getlist("themes"))
    except ForumError as error:
        form.is_valid()
        form.errors.clear()
        form.add_error("themes" if error.code in ("empty", "too_many", "unknown_theme")
                       else None, error.message)
        if token and registration is not None:
            messages.error(request, error.message)
            return redirect("forums:registration", token=token)
        return _page_with_errors(request, event, vote_form=form)
    messages.success(request, _("Thank you: your vote is counted."))
    if token:
        return redirect("forums:registration", token=token)
    return redirect(_page_url(request, event))


@require_GET
def event_calendar(request, page_id):
    """The public .ics for a forum: no joining link."""
    event = _live_event(page_id)
    data = calendars.event_calendar(event, root=base_url(request))
    return _calendar_response(data, f"{event.slug}.ics")


@require_GET
def registration_calendar(request, token):
    """An attendee's own .ics, with the joining link once they have a place."""
    registration = _registration_from_link(request, token, "forums.view_registration")
    event = registration.event.specific
    data = calendars.event_calendar(event, registration, root=base_url(request))
    return _calendar_response(data, f"{event.slug}.ics", private=True)


@require_GET
def neighbourhood_calendar(request, slug):
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    data = calendars.neighbourhood_calendar(neighbourhood, root=base_url(request))
    return _calendar_response(data, f"forums-{neighbourhood.slug}.ics")
