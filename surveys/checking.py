""""Check your answers": a person's answers so far as readable text, one row per asked question.

Works from the answering flow's session data (form field name -> list of values), which the
flow has already validated step by step; anything unreadable (an option retired since, a
neighbourhood removed) shows as "Not answered" rather than failing. Questions hidden by skip
logic are never shown, because the rows follow `answering.plan`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.neighbourhoods.models import Neighbourhood

from .blocks import LIKERT_LABELS
from .models import Question


def _values(data, name) -> list[str]:
    return [value for value in data.get(name, []) if value != ""]


def _first(data, name) -> str:
    values = _values(data, name)
    return values[0] if values else ""


def _neighbourhood_ids(steps, data) -> set[int]:
    """The neighbourhoods chosen in "where do you live" and "show us where" answers."""
    ids = set()
    for _section, _title, questions in steps:
        for question in questions:
            chosen = ""
            if question.kind == Question.WHERE:
                chosen = _first(data, f"q{question.pk}_n")
            elif question.kind == Question.MAP_PIN:
                chosen = _first(data, f"q{question.pk}").removeprefix("n")
            if chosen.isdigit():
                ids.add(int(chosen))
    return ids


def _ranking(question, data) -> list[str]:
    ranked = []
    for option in question.options.all():
        rank = _first(data, f"q{question.pk}_o{option.pk}")
        if rank.isdigit():
            ranked.append((int(rank), option.label))
    return [label for _rank, label in sorted(ranked)]


def _map_pin(question, data, names) -> list[str]:
    if _first(data, f"q{question.pk}_lat") and _first(data, f"q{question.pk}_lng"):
        return [_("A point on the map")]
    chosen = _first(data, f"q{question.pk}")
    if chosen.startswith("p"):
        labels = {f"p{option.pk}": option.label for option in question.options.all()}
        return [labels[chosen]] if chosen in labels else []
    if chosen.startswith("n") and chosen[1:].isdigit():
        name = names.get(int(chosen[1:]))
        return [name] if name else []
    postcode = _first(data, f"q{question.pk}_postcode")
    return [_("Near %(postcode)s") % {"postcode": postcode.upper()}] if postcode else []


def answer_text(question, data, names) -> list[str]:
    """What the person answered to `question`, as lines of text ([] when not answered)."""
    name = f"q{question.pk}"
    labels = {str(option.pk): option.label for option in question.options.all()}
    if question.kind in Question.CHOICE_KINDS - {Question.RANKING}:
        return [labels[value] for value in _values(data, name) if value in labels]
    if question.kind == Question.LIKERT:
        value = _first(data, name)
        return [str(LIKERT_LABELS[int(value)])] if value.isdigit() and int(
            value) in LIKERT_LABELS else []
    if question.kind == Question.RANKING:
        return _ranking(question, data)
    if question.kind == Question.WHERE:
        chosen = _first(data, f"q{question.pk}_n")
        if chosen.isdigit() and int(chosen) in names:
            return [names[int(chosen)]]
        postcode = _first(data, name)
        return [postcode.upper()] if postcode else []
    if question.kind == Question.MAP_PIN:
        return _map_pin(question, data, names)
    text = _first(data, name).strip()
    return [text] if text else []


def has_answer(question, data) -> bool:
    """Whether anything was given for `question` (in any of its fields)."""
    prefix = f"q{question.pk}"
    return any(_values(data, name) for name in data
               if name == prefix or name.startswith(prefix + "_"))


def question_text(question) -> str:
    """The question as asked; a statement grid's row with the grid's question before it."""
    grid_label = (question.config or {}).get("grid_label") if (question.config or {}).get(
        "grid") else ""
    return f"{grid_label}: {question.label}" if grid_label else question.label


def summary(steps, data, change_url) -> list[dict]:
    """The check-your-answers sections: for each step its title, change link and rows.

    `steps` is `answering.plan(...)` for these answers; `change_url(number)` is the address
    that opens a step and returns here. One query for the neighbourhood names, if any.
    """
    ids = _neighbourhood_ids(steps, data)
    names = dict(Neighbourhood.objects.filter(pk__in=ids).values_list("pk", "name")) if ids \
        else {}
    sections = []
    for number, (_section, title, questions) in enumerate(steps, start=1):
        url = change_url(number)
        rows = [{"question": question, "question_text": question_text(question),
                 "answer": answer_text(question, data, names),
                 "ordered": question.kind == Question.RANKING, "change_url": url}
                for question in questions]
        sections.append({"title": title, "number": number, "change_url": url, "rows": rows})
    return sections
