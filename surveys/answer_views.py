"""The resident's answering flow: one step per section, "check your answers", then submit.

The answers so far live in the session under `drafts.session_key(page)` as
`{"data": {field: [values]}, "started", "reached", "step", "draft"?, "reference"?}` (and, for
a signed-in person, in their draft too). Only POSTs write it: a GET of a step or of the check
page reads the session and never modifies it, so the session row is not rewritten on every
page view. "reached" is the furthest step the person may open; one past the last step means
every step has been answered and "check your answers" is open. The response is stored only
from the check page's POST, under a reference reserved when the last step was answered, so a
double click or a resubmission stores one response.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import ratelimit
from portal.neighbourhoods.models import Neighbourhood
from portal.neighbourhoods.services import neighbourhoods_geojson

from . import answering, checking, drafts
from .forms import (
    HONEYPOT,
    SectionForm,
    field_name,
    grid_items,
    neighbourhood_field_name,
    point_field_names,
    postcode_field_name,
    rank_field_name,
)
from .models import Question, Response

COOKIE_SALT = "surveys.answered"
BROWSER_KEY = "surveys:browser"
STARTED_SALT = "surveys.started"
STARTED_FIELD = "started"


def session_key(page):
    return drafts.session_key(page)


def cookie_name(page):
    """Named after the survey's translation family: answered in one language, answered in all."""
    return f"survey_{page.translation_key.hex}"


def _old_cookie_name(page):
    return f"survey_{page.pk}"  # set before issue 13; still honoured


def done_key(page):
    return f"survey-done:{page.pk}"


def answered_in_browser(request, page) -> bool:
    return any(request.get_signed_cookie(name, default=None, salt=COOKIE_SALT) == "1"
               for name in (cookie_name(page), _old_cookie_name(page)))


def blocker(request, page) -> str | None:
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
        or (not request.user.is_authenticated and answered_in_browser(request, page))
    ):
        return "answered"
    return None


def context(request, page, **extra):
    result = page.get_context(request)
    result.update(extra)
    return result


def step_url(page, number, change=False):
    url = page.url + page.reverse_subpage("step", kwargs={"number": number})
    return f"{url}?change=1" if change else url


def check_url(page):
    return page.url + page.reverse_subpage("check_answers")


def answer_ids(answer):
    return {("question_id" if k == "question" else "option_id" if k == "option" else k):
            (v.pk if k in ("question", "option") else v) for k, v in answer.items()}


def current_state(request, page) -> dict:
    """This person's answers so far, read without writing the session: the session's, else the
    account's saved draft, else a fresh start (stored only when a step is posted)."""
    state = request.session.get(session_key(page))
    if drafts.has_answers(state):
        return state
    draft = drafts.for_user(page, request.user)
    if draft is not None:
        return drafts.as_state(draft)
    return state or {"data": {}, "started": time.time(), "reached": 1}


def _blocked(request, page):
    if request.method == "POST":
        from .views import survey_intro  # the intro page, with the reason, refused

        return survey_intro(request, page, status=403)
    return redirect(page.url)


def _scale(page):
    """The survey's agree/disagree order, from the page already loaded (saves a query)."""
    return getattr(page, "scale_order", None)


def _started(request, state):
    """When a fresh state began: the signed time the first step was shown, else now."""
    try:
        shown = signing.loads(request.POST.get(STARTED_FIELD, ""), salt=STARTED_SALT,
                              max_age=60 * 60 * 24)
    except signing.BadSignature:
        return state.get("started") or time.time()
    return min(float(shown), state.get("started") or time.time(), time.time())


def survey_step(request, page, number):
    if blocker(request, page):
        return _blocked(request, page)
    state = current_state(request, page)
    questions = answering.active_questions(page)
    steps = answering.plan(page, state["data"], questions)
    if not steps:
        raise Http404
    last = min(len(steps), state["reached"])
    if number < 1 or number > last:
        return redirect(step_url(page, last))
    changing = request.GET.get("change") == "1"
    _section, title, section_questions = steps[number - 1]
    if request.method != "POST":
        form = SectionForm(section_questions, honeypot=number == 1, scale_order=_scale(page))
        form.initial = _initial(state["data"], _own_fields(form))
        return _render_step(request, page, form, section_questions, title, number, len(steps),
                            changing=changing)
    form = SectionForm(section_questions, request.POST, honeypot=number == 1,
                       scale_order=_scale(page))
    for name in _own_fields(form):  # keep what was typed, valid or not: nothing is lost
        state["data"][name] = [v for v in request.POST.getlist(name) if v != ""]
    if not drafts.has_answers(request.session.get(session_key(page))) and number == 1:
        state["started"] = _started(request, state)
    request.session.setdefault(BROWSER_KEY, secrets.token_hex(8))  # tells browsers apart
    if request.POST.get("save"):
        return _save_and_leave(request, page, state, number)
    valid = form.is_valid()
    steps = answering.plan(page, state["data"], questions)  # answers decide what follows
    if valid:
        following = number + 1
        state["reached"] = min(max(state["reached"], following), len(steps) + 1)
        state["step"] = following
        if following > len(steps):
            state.setdefault("reference", answering.new_reference())
        request.session[session_key(page)] = state
        drafts.keep(page, request.user, state, following)
        if changing or following > len(steps):
            return redirect(check_url(page))
        return redirect(step_url(page, following))
    request.session[session_key(page)] = state
    return _render_step(request, page, form, section_questions, title, number, len(steps),
                        changing=changing)


def _own_fields(form):
    return [name for name in form.fields if name != HONEYPOT]


def _initial(data, form_fields):
    return {name: (data[name] if len(data.get(name, [])) > 1 else data[name][0])
            for name in form_fields if data.get(name)}


def _save_and_leave(request, page, state, number):
    """"Save and come back later": kept under the account, or off to ask for an email address
    to send a link to. What was typed on this step is kept, checked or not."""
    state["step"] = number
    request.session[session_key(page)] = state
    if not request.user.is_authenticated:
        return redirect("survey_draft_save", page_id=page.pk)
    drafts.keep(page, request.user, state, number)
    messages.success(request, _("Your answers are saved. Come back to this survey before it "
                                "closes on %(date)s to carry on where you left off.")
                     % {"date": date_format(timezone.localtime(page.closes_at), "j F Y")})
    return redirect(page.url)


def _question_fields(form, questions):
    """What the step template draws: each question with its field or fields."""
    items = []
    for question in questions:
        item = {"question": question, "kind": question.kind, "optional": not question.required}
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
        elif field_name(question) in form.fields:
            item["field"] = form[field_name(question)]
        items.append(item)
    return grid_items(items)  # a statement grid's rows become one item (B, issue 17)


def _map_data(question):
    """The named places the map shows as markers (the list offers them too)."""
    places = (question.config or {}).get("places") or {}
    return [{"value": f"p{o.pk}", "name": o.label, "lat": places[o.key][0],
             "lng": places[o.key][1]} for o in question.options.all() if o.key in places]


def _render_step(request, page, form, questions, title, number, total, status=200,
                 changing=False):
    back_url = check_url(page) if changing else (
        step_url(page, number - 1) if number > 1 else page.url)
    map_boundaries = None
    if any(q.kind == Question.MAP_PIN for q in questions):
        map_boundaries = neighbourhoods_geojson(
            list(page.neighbourhoods.all()) or list(Neighbourhood.objects.order_by("name")))
    return TemplateResponse(request, "surveys/survey_step.html", context(
        request, page, form=form, items=_question_fields(form, questions), section_title=title,
        map_boundaries=map_boundaries, changing=changing,
        started=signing.dumps(time.time(), salt=STARTED_SALT) if number == 1 else "",
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


def _unanswered_step(steps, state):
    """The first step not yet answered, or holding a required question with no answer (a
    change to an earlier answer can ask a new one); None when all are answered."""
    for index, (_section, _title, section_questions) in enumerate(steps, start=1):
        if index >= state.get("reached", 1) or any(
                question.required and not checking.has_answer(question, state["data"])
                for question in section_questions):
            return index
    return None


def _checked_answers(page, state, questions):
    """(steps, answers, neighbourhood id, area code, first step needing an answer or None)."""
    steps = answering.plan(page, state["data"], questions)
    data = MultiValueDict(state["data"])
    answers, neighbourhood_id, area_code = [], None, ""
    for index, (_section, _title, section_questions) in enumerate(steps, start=1):
        if index >= state.get("reached", 1):
            return steps, [], None, "", index
        form = SectionForm(section_questions, data, scale_order=_scale(page))
        if not form.is_valid():
            return steps, [], None, "", index
        answers += form.answers()
        neighbourhood_id = form.neighbourhood_id or neighbourhood_id
        area_code = form.area_code or area_code
    return steps, answers, neighbourhood_id, area_code, None


def survey_check(request, page):
    """"Check your answers" (GOV.UK pattern): every asked question with its answer and a
    "Change" link; the response is stored only from this page's POST."""
    if request.method == "POST" and _already_submitted(request, page):
        return redirect(page.url + page.reverse_subpage("done"))
    if blocker(request, page):
        return _blocked(request, page)
    state = current_state(request, page)
    if not drafts.has_answers(state):
        messages.error(request, _("We could not find your answers: they are kept for a "
                                  "while only, and may have been cleared. Answer the "
                                  "questions again, starting here."))
        return redirect(step_url(page, 1))
    questions = answering.active_questions(page)
    if request.method == "POST":  # everything checked again before it is stored
        steps, answers, neighbourhood_id, area_code, missing = _checked_answers(
            page, state, questions)
    else:  # each step was checked when posted: only look for questions left unanswered
        steps = answering.plan(page, state["data"], questions)
        missing = _unanswered_step(steps, state)
    if missing is not None:
        messages.error(request, _("Some questions still need an answer. Answer them, then "
                                  "check your answers."))
        return redirect(step_url(page, missing))
    error = None
    if request.method == "POST":
        reply = _submit(request, page, state, answers, neighbourhood_id, area_code)
        if not isinstance(reply, str):
            return reply
        error = reply
    return TemplateResponse(request, "surveys/check_answers.html", context(
        request, page, error=error, back_url=step_url(page, len(steps)),
        sections=checking.summary(steps, state["data"], lambda n: step_url(page, n, True)),
        reference=state.get("reference", ""),
        declaration=getattr(page, "declaration", ""),
    ), status=400 if error else 200)


def _already_submitted(request, page) -> bool:
    """A second click on "Submit", or the back button and submit again: already stored."""
    posted = request.POST.get("reference", "")
    return bool(posted) and posted == request.session.get(done_key(page))


def _submit(request, page, state, answers, neighbourhood_id, area_code):
    """Store the response: a redirect to the reference, a response refusing it, or the
    message to show on the check page."""
    minimum = getattr(settings, "SURVEYS_MIN_SECONDS", 5)
    if time.time() - state["started"] < minimum:
        state["started"] = time.time() - minimum  # a person who submits again gets through
        request.session[session_key(page)] = state
        return _("You answered faster than we expected. Check your answers, then submit "
                 "them again.")
    if answering.rate_limited(ratelimit.requester(request)):
        return TemplateResponse(request, "surveys/rate_limited.html", context(request, page),
                                status=429)
    if neighbourhood_id is None:
        targets = list(page.neighbourhoods.values_list("pk", flat=True))
        neighbourhood_id = targets[0] if len(targets) == 1 else None
    reference = state.get("reference") or answering.new_reference()
    try:
        answering.submit_response(
            page, [answer_ids(a) for a in answers], reference=reference,
            neighbourhood_id=neighbourhood_id, area_code=area_code, user=request.user,
            ip=ratelimit.client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            languages=request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
            browser=request.session.get(BROWSER_KEY, ""),
        )
    except IntegrityError:  # the same answers, submitted twice at once: stored once
        if not Response.objects.filter(survey=page.pooled_survey, reference=reference).exists():
            raise
    drafts.discard(page, request.user, state)
    request.session.pop(session_key(page), None)
    request.session[done_key(page)] = reference
    reply = redirect(page.url + page.reverse_subpage("done"))
    if page.one_response_only and not request.user.is_authenticated:
        reply.set_signed_cookie(cookie_name(page), "1", salt=COOKIE_SALT,
                                max_age=60 * 60 * 24 * 365, httponly=True, samesite="Lax",
                                secure=request.is_secure())
    return reply
