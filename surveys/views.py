"""Answering a survey step by step, the public results, and the officers' admin views."""

from __future__ import annotations

import secrets
import time
from datetime import datetime
from datetime import time as clock

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import ratelimit, spreadsheets
from portal.neighbourhoods.models import Neighbourhood
from portal.neighbourhoods.services import neighbourhoods_geojson
from portal.themes.models import Theme

from . import answering, coding, drafts, exports, results
from .forms import (
    HONEYPOT,
    EntryDetailsForm,
    ReceiptForm,
    ResultsFilterForm,
    SectionForm,
    field_name,
    neighbourhood_field_name,
    point_field_names,
    postcode_field_name,
    rank_field_name,
)
from .models import Question, SurveyPage

COOKIE_SALT = "surveys.answered"
BROWSER_KEY = "surveys:browser"


def _session_key(page):
    return drafts.session_key(page)


def _cookie_name(page):
    return f"survey_{page.pk}"


def _answered_in_browser(request, page) -> bool:
    return request.get_signed_cookie(_cookie_name(page), default=None, salt=COOKIE_SALT) == "1"


def _blocker(request, page) -> str | None:
    """Why this person cannot answer now, or None.

    The status first, to say why, and because Django lets superusers through every has_perm.
    """
    status = page.status()
    if status != "open":
        return status
    if not request.user.has_perm("surveys.answer_survey", page):
        return "sign_in"
    if page.one_response_only and (
        answering.already_answered(page, request.user)
        or (not request.user.is_authenticated and _answered_in_browser(request, page))
    ):
        return "answered"
    return None


def _context(request, page, **extra):
    context = page.get_context(request)
    context.update(extra)
    return context


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
    return {"url": _step_url(page, step), "saved_at": draft.updated_at if draft else None}


def _step_url(page, number):
    return page.url + page.reverse_subpage("step", kwargs={"number": number})


def _question_fields(form, questions):
    """What the step template draws: each question with its field or fields."""
    items = []
    for question in questions:
        item = {"question": question, "kind": question.kind}
        if question.kind == Question.RANKING:
            item["fields"] = [form[rank_field_name(question, o)] for o in question.options.all()]
            item["error"] = form.rank_errors.get(question.pk)
            if not item["error"] and item["fields"] and item["fields"][0].errors:
                item["error"] = " ".join(item["fields"][0].errors)
        elif question.kind == Question.WHERE:
            item["fields"] = [form[field_name(question)],
                              form[neighbourhood_field_name(question)]]
        elif question.kind == Question.MAP_PIN:
            item["field"] = form[field_name(question)]
            postcode = postcode_field_name(question)
            item["postcode"] = form[postcode] if postcode in form.fields else None
            item["point"] = [form[name] for name in point_field_names(question)]
            item["map_data_id"] = f"map-places-{question.pk}"
            item["map_data"] = _map_data(question)
        else:
            item["field"] = form[field_name(question)]
        items.append(item)
    return items


def _map_data(question):
    """The named places the map shows as markers (the list offers them too)."""
    places = (question.config or {}).get("places") or {}
    return [{"value": f"p{o.pk}", "name": o.label, "lat": places[o.key][0],
             "lng": places[o.key][1]} for o in question.options.all() if o.key in places]


def _own_fields(form):
    return [name for name in form.fields if name != HONEYPOT]


def _initial(data, form_fields):
    return {name: (data[name] if len(data.get(name, [])) > 1 else data[name][0])
            for name in form_fields if data.get(name)}


def survey_step(request, page, number):
    if _blocker(request, page):
        if request.method == "POST":
            return survey_intro(request, page, status=403)
        return redirect(page.url)
    state = request.session.get(_session_key(page))
    if not drafts.has_answers(state):  # nothing here yet: the account's saved answers, if any
        state = (_draft_state(page, request.user) or state
                 or {"data": {}, "started": time.time(), "reached": 1})
    if BROWSER_KEY not in request.session:  # tells this browser apart from others like it
        request.session[BROWSER_KEY] = secrets.token_hex(8)
    questions = answering.active_questions(page)
    steps = answering.plan(page, state["data"], questions)
    if not steps:
        raise Http404
    if number < 1 or number > min(len(steps), state["reached"]):
        return redirect(_step_url(page, min(len(steps), state["reached"])))
    section, title, section_questions = steps[number - 1]

    if request.method == "POST":
        form = SectionForm(section_questions, request.POST, honeypot=number == 1)
        names = _own_fields(form)
        for name in names:  # keep what was typed, valid or not: nothing is lost on an error
            state["data"][name] = [v for v in request.POST.getlist(name) if v != ""]
        if request.POST.get("save"):
            return _save_and_leave(request, page, state, number)
        valid = form.is_valid()
        steps = answering.plan(page, state["data"], questions)
        if valid and number < len(steps):
            state["reached"] = max(state["reached"], number + 1)
            request.session[_session_key(page)] = state
            drafts.keep(page, request.user, state, number + 1)
            return redirect(_step_url(page, number + 1))
        request.session[_session_key(page)] = state
        if valid:
            return _finish(request, page, state, questions, steps, form, number)
    else:
        state["step"] = number
        request.session[_session_key(page)] = state
        form = SectionForm(section_questions, honeypot=number == 1)
        form.initial = _initial(state["data"], _own_fields(form))
    return _render_step(request, page, form, section_questions, title, number, len(steps))


def _draft_state(page, user):
    draft = drafts.for_user(page, user)
    return drafts.as_state(draft) if draft else None


def _save_and_leave(request, page, state, number):
    """"Save and come back later": kept under the account, or off to ask for an email address
    to send a link to. What was typed on this step is kept, checked or not."""
    state["step"] = number
    request.session[_session_key(page)] = state
    if not request.user.is_authenticated:
        return redirect("survey_draft_save", page_id=page.pk)
    drafts.keep(page, request.user, state, number)
    messages.success(request, _("Your answers are saved. Come back to this survey before it "
                                "closes on %(date)s to carry on where you left off.")
                     % {"date": date_format(timezone.localtime(page.closes_at), "j F Y")})
    return redirect(page.url)


def _render_step(request, page, form, questions, title, number, total, status=200):
    back_url = _step_url(page, number - 1) if number > 1 else page.url
    map_boundaries = None
    if any(q.kind == Question.MAP_PIN for q in questions):
        map_boundaries = neighbourhoods_geojson(
            list(page.neighbourhoods.all()) or list(Neighbourhood.objects.order_by("name")))
    return TemplateResponse(request, "surveys/survey_step.html", _context(
        request, page, form=form, items=_question_fields(form, questions), section_title=title,
        map_boundaries=map_boundaries,
        step=number, step_count=total, back_url=back_url, is_last=number == total,
        section_intro=_section_intro(page, questions),
    ), status=status)


def _section_intro(page, questions):
    if not questions:
        return ""
    try:
        return page.sections[questions[0].section].value["introduction"]
    except (IndexError, KeyError):
        return ""


def _finish(request, page, state, questions, steps, form, number):
    """Validate every step again, then store the response in one transaction."""
    minimum = getattr(settings, "SURVEYS_MIN_SECONDS", 5)
    if time.time() - state["started"] < minimum:
        form.add_error(None, _("You answered faster than we expected. Check your answers, "
                               "then submit them again."))
        state["started"] = time.time() - minimum  # a person who resubmits gets through
        request.session[_session_key(page)] = state
        return _render_step(request, page, form, steps[number - 1][2], steps[number - 1][1],
                            number, len(steps), status=400)
    answers, neighbourhood_id, area_code = [], None, ""
    data = MultiValueDict(state["data"])
    for index, (_section, _title, section_questions) in enumerate(steps, start=1):
        step_form = SectionForm(section_questions, data)
        if not step_form.is_valid():
            messages.error(request, _("Some answers need checking before you can submit."))
            state["reached"] = index
            request.session[_session_key(page)] = state
            return redirect(_step_url(page, index))
        answers += step_form.answers()
        neighbourhood_id = step_form.neighbourhood_id or neighbourhood_id
        area_code = step_form.area_code or area_code
    if answering.rate_limited(ratelimit.requester(request)):
        return TemplateResponse(request, "surveys/rate_limited.html",
                                _context(request, page), status=429)
    if neighbourhood_id is None:
        targets = list(page.neighbourhoods.values_list("pk", flat=True))
        neighbourhood_id = targets[0] if len(targets) == 1 else None
    response = answering.submit_response(
        page, [_answer_ids(a) for a in answers],
        neighbourhood_id=neighbourhood_id, area_code=area_code, user=request.user,
        ip=ratelimit.client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        languages=request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
        browser=request.session.get(BROWSER_KEY, ""),
    )
    drafts.discard(page, request.user, state)
    del request.session[_session_key(page)]
    request.session[f"survey-done:{page.pk}"] = response.reference
    reply = redirect(page.url + page.reverse_subpage("done"))
    if page.one_response_only and not request.user.is_authenticated:
        reply.set_signed_cookie(_cookie_name(page), "1", salt=COOKIE_SALT,
                                max_age=60 * 60 * 24 * 365, httponly=True, samesite="Lax",
                                secure=request.is_secure())
    return reply


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
    surveys = (SurveyPage.objects.order_by("-closes_at")
               .annotate(response_count=Count("responses", distinct=True),
                         duplicates=Count("responses", filter=Q(responses__duplicate_suspect=True),
                                          distinct=True)))
    return TemplateResponse(request, "surveys/admin/survey_list.html", {
        "surveys": surveys, "header_title": _("Survey results"), "page_title": _("Survey results"),
        "header_icon": "list-ul"})


def admin_results(request, pk):
    _require(request, "view_results")
    survey = get_object_or_404(SurveyPage, pk=pk)
    filter_form = ResultsFilterForm(request.GET or None, survey=survey)
    filters = results.Filters()
    if filter_form.is_valid():
        data = filter_form.cleaned_data
        filters = results.Filters(
            neighbourhood=data["neighbourhood"].pk if data["neighbourhood"] else None,
            channel=data["channel"] or None, since=data["since"], until=data["until"],
            equality_option=data["equality"])
    data = results.officer_results(survey, filters)
    return TemplateResponse(request, "surveys/admin/results.html", {
        "survey": survey, "results": data["results"], "filter_form": filter_form,
        "query": request.GET.urlencode(), "channels": data["channels"],
        "duplicates": data["duplicates"], "flagged": data["flagged"],
        "can_export": request.user.has_perm("surveys.export_responses"),
        "can_export_equality": request.user.has_perm("surveys.export_equality"),
        "can_enter": request.user.has_perm("surveys.enter_responses"),
        "header_title": _("Results: %(title)s") % {"title": survey.title},
        "page_title": _("Results: %(title)s") % {"title": survey.title},
        "header_icon": "list-ul",
    })


# Exports hold what residents typed: written by the one safe writer, never cached.
def admin_export_responses(request, pk):
    _require(request, "export_responses")
    survey = get_object_or_404(SurveyPage, pk=pk)
    return spreadsheets.csv_response(f"{survey.slug}-responses.csv",
                                     exports.export_rows(survey, points=True), stream=True,
                                     cache_control="no-store")


def admin_export_equality(request, pk):
    _require(request, "export_equality")
    survey = get_object_or_404(SurveyPage, pk=pk)
    return spreadsheets.csv_response(f"{survey.slug}-equality.csv",
                                     exports.export_rows(survey, equality=True), stream=True,
                                     cache_control="no-store")


def admin_export_aggregate(request, pk):
    _require(request, "view_results")
    survey = get_object_or_404(SurveyPage, pk=pk)
    summary = results.compute_results(survey)
    return spreadsheets.csv_response(f"{survey.slug}-summary.csv",
                                     exports.aggregate_rows(summary), cache_control="no-store")


def admin_enter_response(request, pk):
    """Type in a paper, forum or phone response: every question optional, as on paper."""
    _require(request, "enter_responses")
    survey = get_object_or_404(SurveyPage, pk=pk)
    # Paper forms show every question, so conditions are not applied here.
    questions = [q for q in answering.active_questions(survey)]
    for question in questions:
        question.show_if_option = None
    steps = answering.plan(survey, {}, questions)
    data = request.POST if request.method == "POST" else None
    details = EntryDetailsForm(data, prefix="entry")
    forms = [(title, SectionForm(questions, data, all_optional=True, prefix=f"s{section}"))
             for section, title, questions in steps]
    if data is not None and details.is_valid() and all(f.is_valid() for _t, f in forms):
        answers, neighbourhood_id, area_code = [], None, ""
        for _title, form in forms:
            answers += form.answers()
            neighbourhood_id = form.neighbourhood_id or neighbourhood_id
            area_code = form.area_code or area_code
        if details.cleaned_data["neighbourhood"]:
            neighbourhood_id = details.cleaned_data["neighbourhood"].pk
        received = details.cleaned_data["received_on"]
        response = answering.submit_response(
            survey, [_answer_ids(a) for a in answers], channel=details.cleaned_data["channel"],
            neighbourhood_id=neighbourhood_id, area_code=area_code, entered_by=request.user,
            submitted_at=_midday(received) if received else None,
        )
        messages.success(request, _("Response %(reference)s saved. Enter the next one.")
                         % {"reference": response.reference})
        return redirect("surveys_admin:enter", pk=survey.pk)
    return TemplateResponse(request, "surveys/admin/enter.html", {
        "survey": survey, "details": details, "forms": forms,
        "header_title": _("Enter a response: %(title)s") % {"title": survey.title},
        "page_title": _("Enter a response: %(title)s") % {"title": survey.title},
        "header_icon": "form",
    }, status=400 if data is not None else 200)


def _answer_ids(answer):
    return {("question_id" if k == "question" else "option_id" if k == "option" else k):
            (v.pk if k in ("question", "option") else v) for k, v in answer.items()}


def _midday(day):
    return timezone.make_aware(datetime.combine(day, clock(12)))


def admin_comments(request, pk):
    """Search free-text answers, tag them with themes and flag safeguarding concerns."""
    _require(request, "view_results")
    survey = get_object_or_404(SurveyPage, pk=pk)
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
    survey = get_object_or_404(SurveyPage, pk=pk)
    return spreadsheets.xlsx_response(
        f"{survey.slug}-responses.xlsx",
        [(_("Responses"), exports.export_rows(survey, points=True))], cache_control="no-store")
