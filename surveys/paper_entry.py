"""Keying paper forms: one form laid out as the printed paper, duplicate paper references, and
the double-entry check (a sample of forms keyed twice and compared).

The form (`PaperEntryForm`) is the answering `SectionForm` with every question optional and two
questions typed the way they are written on paper: a ranking as the ranks beside the options,
top to bottom ("31-2"), and "where do you live" as one box (a postcode or a neighbourhood name).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.neighbourhoods.models import Neighbourhood

from .answering import submit_response
from .blocks import LIKERT_LABELS
from .forms import (
    SectionForm,
    field_name,
    neighbourhood_field_name,
    rank_field_name,
)
from .models import Answer, PaperCheck, Question, Response
from .results import results_changed

BLANK_RANKS = "-. "
NUMBERED_KINDS = (Question.SINGLE, Question.EQUALITY, Question.LIKERT, Question.MULTIPLE)


class PaperEntryForm(SectionForm):
    """The questions of one printed section, labelled with their paper numbers ("Q7.")."""

    def __init__(self, items, *args, **kwargs):
        self.items = items
        super().__init__([item["question"] for item in items], *args, all_optional=True,
                         **kwargs)
        for item in items:
            question, field = item["question"], self.fields.get(field_name(item["question"]))
            if field is None:
                continue
            field.label = _("Q%(number)d. %(label)s") % {"number": item["number"],
                                                          "label": question.label}
            if question.kind in NUMBERED_KINDS:  # "type the option's number" (paper-entry.js)
                field.choices = [(value, f"{n}. {label}")
                                 for n, (value, label) in enumerate(field.choices, start=1)]

    def _add_fields(self, question, required):
        if question.kind == Question.RANKING:
            options = "; ".join(f"{n}. {o.label}"
                                for n, o in enumerate(question.options.all(), start=1))
            self.fields[field_name(question)] = forms.CharField(
                label=question.label, required=False, max_length=40, strip=False,
                help_text=_("Type the rank written beside each option, top to bottom, with - "
                            "for an option left blank: for example 31-2. Options: %(options)s")
                % {"options": options},
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
        elif question.kind == Question.WHERE:
            self.fields[field_name(question)] = forms.CharField(
                label=question.label, required=False, max_length=100,
                help_text=_("The postcode or the neighbourhood name written on the form."),
                widget=forms.TextInput(attrs={"autocomplete": "off"}))
        else:
            super()._add_fields(question, required)

    def _clean_ranking(self, question):
        name = field_name(question)
        text = (self.cleaned_data.get(name) or "").rstrip()
        if name in self.errors or not text.strip():
            return
        options = list(question.options.all())
        marks = text.split(",") if "," in text else list(text)
        limit = question.config.get("rank_count") or len(options)
        ranks = {}
        for option, mark in zip(options, marks, strict=False):
            mark = mark.strip()
            if mark and mark not in BLANK_RANKS:
                if not mark.isdigit() or not 1 <= int(mark) <= limit:
                    return self.add_error(name, _(
                        "Use ranks from 1 to %(n)d, or - for an option left blank, in “%(q)s”.")
                        % {"n": limit, "q": question.label})
                ranks[option] = int(mark)
        if len(marks) > len(options):
            return self.add_error(name, _("“%(q)s” has %(n)d options: type at most %(n)d ranks.")
                                  % {"q": question.label, "n": len(options)})
        values = sorted(ranks.values())
        if len(values) != len(set(values)):
            return self.add_error(name, _("Give each rank to only one option in “%(q)s”.")
                                  % {"q": question.label})
        if values != list(range(1, len(values) + 1)):
            return self.add_error(name, _("Use the ranks in order from 1, with none missing, "
                                          "in “%(q)s”.") % {"q": question.label})
        # A half-filled ranking is kept as it is: only the ranked options are stored.
        for option, rank in ranks.items():
            self.cleaned_data[rank_field_name(question, option)] = str(rank)

    def _clean_where(self, question, cleaned):
        name = field_name(question)
        text = " ".join((cleaned.get(name) or "").split())
        match = Neighbourhood.objects.filter(name__iexact=text).values_list("pk", flat=True)
        found = match.first() if text else None
        cleaned[neighbourhood_field_name(question)] = str(found) if found else ""
        cleaned[name] = text
        super()._clean_where(question, cleaned)


# The batch --------------------------------------------------------------------------------
BATCH_KEY = "surveys_entry_batch"
BATCH_FIELDS = ("channel", "received_on", "neighbourhood", "language")


def batch_initial(request, survey) -> dict:
    """The batch (channel, date received, neighbourhood) of the last form keyed for this
    survey in this session, overridden by query parameters of the same names."""
    initial = dict((request.session.get(BATCH_KEY) or {}).get(str(survey.pk), {}))
    initial.update({k: request.GET[k] for k in BATCH_FIELDS if request.GET.get(k)})
    return initial


def remember_batch(request, survey, cleaned) -> None:
    """Keep the batch for the next form (written on POST only)."""
    batches = dict(request.session.get(BATCH_KEY) or {})
    received, place = cleaned.get("received_on"), cleaned.get("neighbourhood")
    batches[str(survey.pk)] = {"channel": cleaned["channel"],
                               "received_on": received.isoformat() if received else "",
                               "neighbourhood": place.pk if place else "",
                               "language": cleaned.get("language") or ""}
    request.session[BATCH_KEY] = batches


# Duplicates and the double-entry check ----------------------------------------------------
def normalise_paper_reference(text: str) -> str:
    return "".join((text or "").split()).upper()


def earlier_entry(survey, paper_reference: str):
    """The response already keyed from this paper form, if any (with its check)."""
    if not paper_reference:
        return None
    return (Response.objects.filter(survey=survey, paper_reference=paper_reference)
            .select_related("paper_check").first())


def awaiting_check(response) -> bool:
    check = getattr(response, "paper_check", None) if response else None
    return bool(check and check.status == PaperCheck.AWAITING)


def duplicate_message(paper_reference, response) -> str:
    return _("Paper form %(paper)s was already entered as response %(reference)s on %(date)s.") % {
        "paper": paper_reference, "reference": response.reference,
        "date": date_format(timezone.localtime(response.submitted_at), "j F Y")}


def picked_for_check(survey) -> bool:
    """Every Nth paper form with a reference (N = survey.double_entry_every) is checked."""
    every = survey.double_entry_every
    if not every:
        return False
    keyed = Response.objects.filter(survey=survey).exclude(paper_reference="").count()
    return (keyed + 1) % every == 0


class DuplicatePaperForm(Exception):
    """Two officers keyed the same paper reference at the same moment; the second lost."""


@dataclass
class Keyed:
    answers: list[dict]
    neighbourhood_id: int | None
    area_code: str


def store_entry(survey, keyed: Keyed, *, paper_reference, channel, entered_by, submitted_at,
                language=None):
    """Store a keyed form as a response; picks it for a second keying when its turn comes.

    Returns (response, check or None). Raises DuplicatePaperForm if the paper reference was
    stored meanwhile (the unique constraint), with nothing saved.
    """
    try:
        with transaction.atomic():
            pick = bool(paper_reference) and picked_for_check(survey)
            response = submit_response(
                survey, keyed.answers, channel=channel, neighbourhood_id=keyed.neighbourhood_id,
                area_code=keyed.area_code, entered_by=entered_by, submitted_at=submitted_at,
                language=language)
            if paper_reference:
                response.paper_reference = paper_reference
                response.save(update_fields=["paper_reference"])
            check = PaperCheck.objects.create(survey=survey, response=response) if pick else None
    except IntegrityError as error:
        raise DuplicatePaperForm(paper_reference) from error
    return response, check


def _comparable(answers, neighbourhood_id) -> dict:
    values: dict = {}
    for answer in answers:
        values.setdefault(answer["question_id"], []).append(tuple(
            answer.get(key) if answer.get(key) != "" else None
            for key in ("option_id", "rank", "number", "text")))
    values["neighbourhood"] = [(neighbourhood_id,)] if neighbourhood_id else []
    return {key: sorted(rows, key=str) for key, rows in values.items()}


def _described(rows, question) -> str:
    if question is None:
        names = dict(Neighbourhood.objects.values_list("pk", "name"))
        return ", ".join(names.get(row[0], "") for row in rows)
    labels = {o.pk: o.label for o in question.options.all()}
    parts = []
    for option_id, rank, number, text in rows:
        if option_id:
            parts.append(f"{rank}. {labels.get(option_id, '')}" if rank else
                         labels.get(option_id, ""))
        elif question.kind == Question.LIKERT and number is not None:
            parts.append(str(LIKERT_LABELS.get(number, number)))
        else:
            parts.append(str(number) if number is not None else text)
    return "; ".join(p for p in parts if p) or _("(blank)")


def key_again(check, keyed: Keyed, questions, entered_by) -> PaperCheck:
    """Compare a second keying with the stored first one; list what differs.

    Nothing is stored as a response: the form still counts once.
    """
    response = check.response
    first = _comparable(list(Answer.objects.filter(response=response).values(
        "question_id", "option_id", "rank", "number", "text")), response.neighbourhood_id)
    second = _comparable(keyed.answers, keyed.neighbourhood_id)
    numbered = {q.pk: (n, q) for n, q in questions}
    mismatches = []
    for key in sorted(set(first) | set(second), key=lambda k: numbered.get(k, (999, None))[0]):
        if first.get(key, []) != second.get(key, []):
            number, question = numbered.get(key, (None, None))
            mismatches.append({
                "question": _("Q%(number)d. %(label)s") % {"number": number,
                                                           "label": question.label}
                if question else str(_("Neighbourhood")),
                "first": _described(first.get(key, []), question),
                "second": _described(second.get(key, []), question)})
    check.second_answers = {"answers": keyed.answers, "neighbourhood_id": keyed.neighbourhood_id,
                            "area_code": keyed.area_code}
    check.mismatches = mismatches
    check.status = PaperCheck.MISMATCHED if mismatches else PaperCheck.MATCHED
    check.second_entered_by, check.checked_at = entered_by, timezone.now()
    check.save()
    return check


KEEP_FIRST, USE_SECOND = "first", "second"
RESOLUTIONS = [(KEEP_FIRST, gettext_lazy("Keep the first keying")),
               (USE_SECOND, gettext_lazy("Use the second keying"))]


@transaction.atomic
def resolve(check, keep: str, user) -> None:
    """Settle a mismatched check: keep the stored answers, or replace them with the second
    keying's. Either way the paper form stays one response."""
    if keep == USE_SECOND:
        response, second = check.response, check.second_answers
        Answer.objects.filter(response=response).delete()
        Answer.objects.bulk_create([Answer(response=response, survey_id=check.survey_id, **a)
                                    for a in second.get("answers", [])])
        response.neighbourhood_id = second.get("neighbourhood_id")
        response.area_code = second.get("area_code") or ""
        response.save(update_fields=["neighbourhood", "area_code"])
        results_changed(check.survey_id)
    check.status, check.resolution, check.resolved_by = PaperCheck.RESOLVED, keep, user
    check.save(update_fields=["status", "resolution", "resolved_by"])
