"""Following pages: the follow form, the confirmation link, managing alerts (signed in, or
from an email's link) and the one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

from . import following, tokens
from .forms import FollowForm
from .models import Follower


def _private(response, status=None):
    """Pages about someone's alerts: never cached or indexed."""
    if status:
        response.status_code = status
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _initial(request, follower=None) -> dict:
    """What the form starts with: what is followed, or what the link that led here named."""
    if follower is not None:
        neighbourhoods, themes = following.following(follower)
        return {"neighbourhoods": neighbourhoods, "themes": themes,
                "frequency": follower.frequency}
    slug = request.GET.get("neighbourhood", "")[:100]
    theme = request.GET.get("theme", "")[:100]
    return {"neighbourhoods": list(Neighbourhood.objects.filter(slug=slug)) if slug else [],
            "themes": list(Theme.objects.active().filter(slug=theme)) if theme else []}


def _limited(request):
    return _private(TemplateResponse(request, "alerts/limited.html", {}), 429)


@require_http_methods(["GET", "POST"])
def follow(request):
    """Choose neighbourhoods, themes and how often; signed-in people follow straight away,
    everyone else is sent a confirmation link."""
    signed_in = request.user.is_authenticated
    current = Follower.objects.filter(user=request.user).first() if signed_in else None
    form = FollowForm(request.POST if request.method == "POST" else None,
                      initial=_initial(request, current), ask_email=not signed_in)
    if form.is_bound and form.is_valid():
        if following.rate_limited("follow", request):
            return _limited(request)
        data = form.cleaned_data
        if signed_in:
            following.follow_as_user(request.user, data["neighbourhoods"], data["themes"],
                                     data["frequency"])
            messages.success(request, _("Your alerts are set up."))
            return redirect("alerts_manage")
        following.request_confirmation(data["email"], list(data["neighbourhoods"]),
                                       list(data["themes"]), data["frequency"])
        return _private(TemplateResponse(request, "alerts/check_email.html",
                                         {"email": data["email"]}))
    return _private(TemplateResponse(request, "alerts/follow.html", {
        "form": form, "signed_in": signed_in, "current": current}),
        400 if form.errors else None)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The double opt-in link: a page with a button (so a mail scanner fetching the link does
    not sign anyone up); the POST applies the choices. A second time says so."""
    if following.rate_limited("link", request):
        return _limited(request)
    payload, problem = tokens.read_confirmation(token)
    if payload is None:
        return _private(TemplateResponse(request, "alerts/link_problem.html",
                                         {"problem": problem}), 410 if problem == "expired"
                        else 404)
    if request.method == "POST":
        follower, outcome = following.confirm(payload)
        return _private(TemplateResponse(request, "alerts/confirmed.html", {
            "already": outcome == following.ALREADY,
            "manage_url": reverse("alerts_manage_link", args=[following.token_for(follower)])}))
    return _private(TemplateResponse(request, "alerts/confirm.html", {"email": payload["email"]}))


@login_required
@require_http_methods(["GET", "POST"])
def manage(request):
    """A signed-in person's alerts."""
    follower = Follower.objects.filter(user=request.user).first()
    return _manage(request, follower, reverse("alerts_manage"))


def _follower_or_limited(request, token):
    """The follower a link's token names; else a "does not work" page, counted against the
    rate limit (a mail provider's one-click POSTs, all from its own servers, must never be
    refused, so a token that works is never counted)."""
    follower = following.find_by_token(token)
    if follower is not None:
        return follower
    if following.rate_limited("link", request):
        return _limited(request)
    return _private(TemplateResponse(request, "alerts/link_problem.html",
                                     {"problem": "invalid"}), 404)


@require_http_methods(["GET", "POST"])
def manage_link(request, token):
    """Someone's alerts, from the link in an alert email."""
    follower = _follower_or_limited(request, token)
    if not isinstance(follower, Follower):
        return follower
    return _manage(request, follower, reverse("alerts_manage_link", args=[token]),
                   unsubscribe_url=reverse("alerts_unsubscribe", args=[token]))


def _manage(request, follower, here, unsubscribe_url=None):
    form = FollowForm(request.POST if request.method == "POST" else None,
                      initial=_initial(request, follower), ask_email=False)
    if follower is not None and form.is_bound and form.is_valid():
        data = form.cleaned_data
        following.set_follows(follower, data["neighbourhoods"], data["themes"])
        follower.frequency = data["frequency"]
        follower.save(update_fields=["frequency"])
        messages.success(request, _("Your alerts have been changed."))
        return redirect(here)
    if unsubscribe_url is None and follower is not None:
        unsubscribe_url = reverse("alerts_unsubscribe", args=[following.token_for(follower)])
    return _private(TemplateResponse(request, "alerts/manage.html", {
        "form": form, "follower": follower, "unsubscribe_url": unsubscribe_url,
        "address": follower.address if follower else ""}), 400 if form.errors else None)


@csrf_exempt  # RFC 8058: mail clients POST here with no cookie; the token is the authority
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page asking to confirm. POST (a mail client's one-click, or the page's button):
    every alert stops and the follower is deleted."""
    follower = _follower_or_limited(request, token)
    if not isinstance(follower, Follower):
        if request.method == "POST" and follower.status_code == 404:
            return _private(TemplateResponse(request, "alerts/unsubscribed.html",
                                             {"known": False}), 404)
        return follower
    if request.method == "POST":
        following.stop(follower)
        return _private(TemplateResponse(request, "alerts/unsubscribed.html", {"known": True}))
    return _private(TemplateResponse(request, "alerts/unsubscribe.html",
                                     {"address": follower.address}))
