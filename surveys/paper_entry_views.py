"""Officers' screens for keying paper forms: the entry form laid out as the printed paper, one
response as keyed, and the double-entry checks to resolve."""

from __future__ import annotations

from datetime import datetime
from datetime import time as clock

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import paper_entry
from .answering import active_questions
from .forms import EntryDetailsForm
from .models import PaperCheck, Response, SurveyPage
from .paper import paper_sections
from .paper_entry import Keyed, PaperEntryForm
from .references import own_answers


def _require(request, permission="enter_responses"):
    if not request.user.has_perm(f"surveys.{permission}"):
        raise PermissionDenied


def _midday(day):
    return timezone.make_aware(datetime.combine(day, clock(12)))


def _answer_ids(answer: dict) -> dict:
    return {("question_id" if k == "question" else "option_id" if k == "option" else k):
            (v.pk if k in ("question", "option") else v) for k, v in answer.items()}


def _groups(survey):
    """The printed sections, then "About you", each with its numbered questions."""
    sections, equality = paper_sections(survey, active_questions(survey))
    groups = [(s["section"], s["title"], s["questions"]) for s in sections]
    if equality:
        groups.append(("about", _("About you"), equality))
    return groups


def _error_list(details, forms) -> list[dict]:
    """Every error on the page, in page order, each linking to its field (GOV.UK summary)."""
    errors = []
    for form in [details] + [form for _title, form in forms]:
        errors += [{"message": e} for e in form.non_field_errors()]
        for field in form:
            for message in field.errors:
                radios = isinstance(field.field.widget, (RadioSelect, CheckboxSelectMultiple))
                errors.append({"anchor": f"{field.auto_id}_0" if radios else field.auto_id,
                               "message": message})
    return errors


def _keyed(forms) -> tuple[Keyed, list]:
    answers, neighbourhood_id, area_code, numbered = [], None, "", []
    for _title, form in forms:
        answers += [_answer_ids(a) for a in form.answers()]
        neighbourhood_id = form.neighbourhood_id or neighbourhood_id
        area_code = form.area_code or area_code
        numbered += [(item["number"], item["question"]) for item in form.items]
    return Keyed(answers, neighbourhood_id, area_code), numbered


def enter_response(request, pk):
    """Key a paper, forum or phone response: the printed layout, every question optional."""
    _require(request)
    # Forms in every language are keyed on the original: same questions, same order.
    survey = get_object_or_404(SurveyPage, pk=pk).pooled_survey
    data = request.POST if request.method == "POST" else None
    initial = paper_entry.batch_initial(request, survey)
    details = EntryDetailsForm(data, prefix="entry", initial=initial, survey=survey)
    if not initial.get("channel"):
        details.fields["channel"].widget.attrs["autofocus"] = True
    forms = [(title, PaperEntryForm(items, data, prefix=f"s{section}",
                                    scale_order=survey.scale_order))
             for section, title, items in _groups(survey)]
    earlier = None
    if data is not None and details.is_valid() and all(f.is_valid() for _t, f in forms):
        paper_reference = paper_entry.normalise_paper_reference(
            details.cleaned_data["paper_reference"])
        earlier = paper_entry.earlier_entry(survey, paper_reference)
        if earlier is None or paper_entry.awaiting_check(earlier):
            return _save(request, survey, details.cleaned_data, forms, paper_reference, earlier)
        details.add_error("paper_reference", paper_entry.duplicate_message(paper_reference,
                                                                          earlier))
    return TemplateResponse(request, "surveys/admin/enter.html", {
        "survey": survey, "details": details, "forms": forms, "earlier": earlier,
        "errors": _error_list(details, forms) if data is not None else [],
        "batch_known": bool(initial.get("channel")),
        "header_title": _("Enter a response: %(title)s") % {"title": survey.title},
        "page_title": _("Enter a response: %(title)s") % {"title": survey.title},
        "header_icon": "form",
    }, status=400 if data is not None else 200)


def _save(request, survey, cleaned, forms, paper_reference, earlier):
    keyed, numbered = _keyed(forms)
    if cleaned["neighbourhood"]:
        keyed.neighbourhood_id = cleaned["neighbourhood"].pk
    paper_entry.remember_batch(request, survey, cleaned)
    if earlier is not None:  # the second keying of a form picked for the check
        check = paper_entry.key_again(earlier.paper_check, keyed, numbered, request.user)
        if check.status == PaperCheck.MATCHED:
            messages.success(request, _("Paper form %(paper)s keyed a second time: both keyings "
                                        "match. Enter the next one.") % {"paper": paper_reference})
        else:
            messages.warning(request, ngettext(
                "Paper form %(paper)s keyed a second time: %(n)d answer differs. Resolve it "
                "under Paper form checks.",
                "Paper form %(paper)s keyed a second time: %(n)d answers differ. Resolve them "
                "under Paper form checks.", len(check.mismatches))
                % {"paper": paper_reference, "n": len(check.mismatches)})
        return redirect("surveys_admin:enter", pk=survey.pk)
    received = cleaned["received_on"]
    try:
        response, check = paper_entry.store_entry(
            survey, keyed, paper_reference=paper_reference, channel=cleaned["channel"],
            entered_by=request.user, submitted_at=_midday(received) if received else None,
            language=cleaned.get("language") or None)
    except paper_entry.DuplicatePaperForm:
        messages.error(request, _("Paper form %(paper)s was entered by someone else a moment "
                                  "ago. Nothing was saved twice.") % {"paper": paper_reference})
        return redirect("surveys_admin:enter", pk=survey.pk)
    text = _("Response %(reference)s saved. Enter the next one.") % {
        "reference": response.reference}
    if check is not None:
        text += " " + _("Paper form %(paper)s is picked for the double-entry check: put it "
                        "aside to be keyed again.") % {"paper": paper_reference}
    messages.success(request, text)
    return redirect("surveys_admin:enter", pk=survey.pk)


def keyed_response(request, pk, reference):
    """One response as it was keyed (linked from the duplicate paper reference message)."""
    _require(request)
    response = get_object_or_404(Response.objects.select_related("entered_by"),
                                 survey_id=pk, reference=reference)
    title = _("Response %(reference)s") % {"reference": response.reference}
    return TemplateResponse(request, "surveys/admin/keyed_response.html", {
        "survey": response.survey, "response": response, "answers": own_answers(response),
        "header_title": title, "page_title": title, "header_icon": "form",
    })


def paper_checks(request, pk):
    """The double-entry checks: forms waiting for a second keying, and differences to resolve."""
    _require(request)
    survey = get_object_or_404(SurveyPage, pk=pk)
    if request.method == "POST":
        check = get_object_or_404(PaperCheck, survey=survey, pk=request.POST.get("check"),
                                  status=PaperCheck.MISMATCHED)
        keep = request.POST.get("keep")
        if keep not in dict(paper_entry.RESOLUTIONS):
            messages.error(request, _("Choose which keying to keep."))
            return redirect("surveys_admin:paper_checks", pk=survey.pk)
        paper_entry.resolve(check, keep, request.user)
        messages.success(request, _("Paper form %(paper)s resolved.")
                         % {"paper": check.response.paper_reference})
        return redirect("surveys_admin:paper_checks", pk=survey.pk)
    checks = list(PaperCheck.objects.filter(survey=survey).select_related("response"))
    title = _("Paper form checks: %(title)s") % {"title": survey.title}
    return TemplateResponse(request, "surveys/admin/paper_checks.html", {
        "survey": survey, "resolutions": paper_entry.RESOLUTIONS,
        "awaiting": [c for c in checks if c.status == PaperCheck.AWAITING],
        "mismatched": [c for c in checks if c.status == PaperCheck.MISMATCHED],
        "settled": [c for c in checks if c.status in (PaperCheck.MATCHED, PaperCheck.RESOLVED)],
        "header_title": title, "page_title": title, "header_icon": "form",
    })
