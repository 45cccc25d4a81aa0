"""Save and return (`surveys.drafts`): asking for a resume link by email, following it, and
starting a survey again. The step pages' "Save and come back later" button is in
`views.survey_step`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import ratelimit

from . import drafts
from .forms import ReceiptForm
from .models import SurveyPage
from .views import _blocker, _context, _step_url


def _survey(page_id) -> SurveyPage:
    return get_object_or_404(SurveyPage.objects.live().public(), pk=page_id).specific


def _private(response):
    """Pages that hold or lead to someone's answers: never cached, never indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def save_by_email(request, page_id):
    """Ask for an email address, store the answers under a new link and email it. The address
    is used for this one email and kept nowhere, not even in the session."""
    page = _survey(page_id)
    state = request.session.get(drafts.session_key(page))
    if _blocker(request, page) or not drafts.has_answers(state):
        return redirect(page.url)
    if request.user.is_authenticated:  # kept under the account already: nothing to email
        drafts.keep(page, request.user, state)
        return redirect(page.url)
    step_url = _step_url(page, min(state.get("step") or 1, state.get("reached") or 1))
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if drafts.rate_limited("email", ratelimit.requester(request)):
            return _private(TemplateResponse(request, "surveys/draft_save.html", _context(
                request, page, form=None, limited=True, step_url=step_url), status=429))
        draft, token = drafts.save_for_link(page, state)
        drafts.send_link(page, draft, token, form.cleaned_data["email"])
        state["draft"] = draft.pk
        request.session[drafts.session_key(page)] = state
        return _private(TemplateResponse(request, "surveys/draft_saved.html", _context(
            request, page, email=form.cleaned_data["email"], until=draft.expires_at,
            step_url=step_url)))
    return _private(TemplateResponse(
        request, "surveys/draft_save.html",
        _context(request, page, form=form, step_url=step_url, days=drafts.link_days()),
        status=400 if form.errors else 200))


def resume(request, token):
    """Follow an emailed link: the saved answers go back into this session."""
    if drafts.rate_limited("resume", ratelimit.requester(request)):
        return _private(TemplateResponse(request, "surveys/draft_link.html",
                                         {"problem": "rate_limited"}, status=429))
    draft, problem = drafts.find_by_token(token)
    if draft is None:
        return _private(TemplateResponse(request, "surveys/draft_link.html",
                                         {"problem": problem},
                                         status=404 if problem == drafts.UNKNOWN else 410))
    page = draft.survey.specific
    if not page.live:
        raise Http404
    request.session[drafts.session_key(page)] = drafts.as_state(draft)
    messages.success(request, _("Welcome back. Your saved answers are ready: carry on where "
                                "you left off, or start again."))
    return _private(redirect(page.url))


@require_POST
def start_again(request, page_id):
    """Forget the answers so far (the session's, the account's draft, the restored one)."""
    page = _survey(page_id)
    state = request.session.pop(drafts.session_key(page), None)
    drafts.discard(page, request.user, state)
    return redirect(_step_url(page, 1))
