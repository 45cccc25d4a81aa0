"""A survey's intro and "answers submitted" pages, the public results, and the officers' admin
views. The answering steps and "check your answers" are in `answer_views`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal import spreadsheets
from portal.themes.models import Theme

from . import answer_views, answering, coding, drafts, exports, paper_entry_views, results
from .forms import (
    ReceiptForm,
    ResultsFilterForm,
)
from .models import SurveyPage

# The answering flow lives in `answer_views`; these names stay here for the pages below.
_blocker, _context, _step_url = answer_views.blocker, answer_views.context, answer_views.step_url
_session_key = answer_views.session_key
survey_step, survey_check = answer_views.survey_step, answer_views.survey_check


def survey_intro(request, page, status=200):
    blocker = _blocker(request, page)
    return TemplateResponse(request, "surveys/survey_page.html", _context(
        request, page, blocker=blocker, start_url=page.url + page.reverse_subpage(
            "step", kwargs={"number": 1}),
        results_url=page.url + page.reverse_subpage("public_results"),
        reference=request.session.get(f"survey-done:{page.pk}"),
        progress=None if blocker else _progress(request, page),
    ), status=status)


def _progress(request, page):
    """Answers saved so far (in this session, or under the account): where to carry on."""
    state = request.session.get(_session_key(page))
    draft = drafts.for_user(page, request.user) or drafts.restored(page, state)
    if not drafts.has_answers(state):
        if draft is None:
            return None
        state = drafts.as_state(draft)
    step = min(state.get("step") or state["reached"], state["reached"])
    if step > len(answering.plan(page, state["data"])):  # every step answered
        return {"url": answer_views.check_url(page),
                "saved_at": draft.updated_at if draft else None}
    return {"url": _step_url(page, step), "saved_at": draft.updated_at if draft else None}


def survey_done(request, page):
    """The reference number, and an optional emailed receipt (the address is not kept)."""
    reference = request.session.get(f"survey-done:{page.pk}")
    if not reference:
        return redirect(page.url)
    sent_key = f"survey-receipt:{page.pk}"
    form = None
    if not request.session.get(sent_key):
        form = ReceiptForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            answering.send_receipt(page, reference, form.cleaned_data["email"], request)
            request.session[sent_key] = True
            messages.success(request, _("We have emailed your reference number to %(email)s.")
                             % {"email": form.cleaned_data["email"]})
            return redirect(page.url + page.reverse_subpage("done"))
    return TemplateResponse(request, "surveys/survey_done.html",
                            _context(request, page, reference=reference, form=form),
                            status=400 if form is not None and form.errors else 200)


def survey_public_results(request, page):
    # The flag as well: Django lets superusers through every has_perm, and unpublished
    # results stay unpublished for them too.
    if not (page.results_published
            and request.user.has_perm("surveys.view_public_results", page)):
        raise Http404
    return TemplateResponse(request, "surveys/survey_results.html",
                            _context(request, page, results=results.public_results(page)))


# Admin ---------------------------------------------------------------------------------------


def _require(request, permission):
    if not request.user.has_perm(f"surveys.{permission}"):
        raise PermissionDenied


def admin_survey_list(request):
    _require(request, "view_results")
    surveys = (SurveyPage.objects.pooled().order_by("-closes_at")
               .annotate(response_count=Count("responses", distinct=True),
                         duplicates=Count("responses", filter=Q(responses__duplicate_suspect=True),
                                          distinct=True)))
    return TemplateResponse(request, "surveys/admin/survey_list.html", {
        "surveys": surveys, "header_title": _("Survey results"), "page_title": _("Survey results"),
        "header_icon": "list-ul"})


def admin_results(request, pk):
    _require(request, "view_results")
    survey = get_object_or_404(SurveyPage, pk=pk).pooled_survey
    filter_form = ResultsFilterForm(request.GET or None, survey=survey)
    filters = results.Filters()
    if filter_form.is_valid():
        data = filter_form.cleaned_data
        filters = results.Filters(
            neighbourhood=data["neighbourhood"].pk if data["neighbourhood"] else None,
            channel=data["channel"] or None, since=data["since"], until=data["until"],
            equality_option=data["equality"], language=data["language"] or None)
    data = results.officer_results(survey, filters)
    return TemplateResponse(request, "surveys/admin/results.html", {
        "survey": survey, "results": data["results"], "filter_form": filter_form,
        "query": request.GET.urlencode(), "channels": data["channels"],
        "languages": data["languages"],
        "translations": _translations(survey),
        "duplicates": data["duplicates"], "flagged": data["flagged"],
        "can_export": request.user.has_perm("surveys.export_responses"),
        "can_export_equality": request.user.has_perm("surveys.export_equality"),
        "can_enter": request.user.has_perm("surveys.enter_responses"),
        "header_title": _("Results: %(title)s") % {"title": survey.title},
        "page_title": _("Results: %(title)s") % {"title": survey.title},
        "header_icon": "list-ul",
    })


def _translations(survey) -> list[tuple[str, object, str]]:
    """(language name, page, its paper form's address) of each live translation: the paper
    form prints in the language of its address."""
    rows = []
    for page in survey.get_translations().live().select_related("locale").order_by("pk"):
        code = page.locale.language_code
        with translation.override(code):
            paper = reverse("survey_paper_form", args=[page.pk])
        rows.append((results.language_name(code), page, paper))
    return rows


# Exports hold what residents typed: written by the one safe writer, never cached.
def admin_export_responses(request, pk):
    _require(request, "export_responses")
    survey = get_object_or_404(SurveyPage, pk=pk).pooled_survey
    return spreadsheets.csv_response(f"{survey.slug}-responses.csv",
                                     exports.export_rows(survey, points=True), stream=True,
                                     cache_control="no-store")


def admin_export_equality(request, pk):
    _require(request, "export_equality")
    survey = get_object_or_404(SurveyPage, pk=pk).pooled_survey
    return spreadsheets.csv_response(f"{survey.slug}-equality.csv",
                                     exports.export_rows(survey, equality=True), stream=True,
                                     cache_control="no-store")


def admin_export_aggregate(request, pk):
    _require(request, "view_results")
    survey = get_object_or_404(SurveyPage, pk=pk).pooled_survey
    summary = results.compute_results(survey)
    return spreadsheets.csv_response(f"{survey.slug}-summary.csv",
                                     exports.aggregate_rows(summary), cache_control="no-store")


def admin_enter_response(request, pk):
    """Key a paper, forum or phone response (`paper_entry_views`: the printed layout)."""
    return paper_entry_views.enter_response(request, pk)


def admin_comments(request, pk):
    """Search free-text answers, tag them with themes and flag safeguarding concerns."""
    _require(request, "view_results")
    survey = get_object_or_404(SurveyPage, pk=pk).pooled_survey
    can_code = request.user.has_perm("surveys.code_comments")
    themes = list(Theme.objects.active().order_by("name"))
    if request.method == "POST":
        if not can_code:
            raise PermissionDenied
        answer = get_object_or_404(coding.comments(survey), pk=request.POST.get("answer"))
        valid = {t.pk for t in themes}
        chosen = [int(v) for v in request.POST.getlist("themes") if v.isdigit()
                  and int(v) in valid]
        coding.code_comment(answer, chosen, request.POST.get("safeguarding") == "on",
                            request.user, request)
        messages.success(request, _("Comment in %(reference)s saved.")
                         % {"reference": answer.response.reference})
        return redirect(f"{request.path}?{request.GET.urlencode()}#comment-{answer.pk}")
    search = request.GET.get("q", "").strip()
    page = Paginator(coding.comments(survey, search), 25).get_page(request.GET.get("p"))
    for answer in page:
        tags = getattr(answer, "coding", None)
        answer.theme_ids = {t.pk for t in tags.themes.all()} if tags else set()
        answer.flagged = bool(tags and tags.safeguarding)
    return TemplateResponse(request, "surveys/admin/comments.html", {
        "survey": survey, "page": page, "themes": themes, "search": search,
        "can_code": can_code,
        "header_title": _("Comments: %(title)s") % {"title": survey.title},
        "page_title": _("Comments: %(title)s") % {"title": survey.title},
        "header_icon": "comment",
    })


def admin_export_xlsx(request, pk):
    """The responses export as an Excel workbook (same fixed schema as the CSV)."""
    _require(request, "export_responses")
    survey = get_object_or_404(SurveyPage, pk=pk).pooled_survey
    return spreadsheets.xlsx_response(
        f"{survey.slug}-responses.xlsx",
        [(_("Responses"), exports.export_rows(survey, points=True))], cache_control="no-store")
