"""Exports for officers: every response (CSV or XLSX rows), equality answers apart, a summary.

These functions build plain rows; `portal.spreadsheets` writes them (and neutralises any cell a
spreadsheet could run as a formula), so nothing here writes CSV or XLSX itself.
"""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _

from .blocks import LIKERT_LABELS
from .models import Answer, Question, Response

EXPORT_FIXED = ["reference", "submitted_at", "channel", "language", "neighbourhood",
                "possible_duplicate", "duplicate_reason"]
_REASONS = dict(Response.DUPLICATE_REASONS)  # lazy labels: translated when written


def export_rows(survey, equality=False, points=False):
    """Rows of the responses export: a fixed schema, one column per question (retired too).

    Equality answers only appear in the equality export, which has no reference numbers and
    is not in submission order, so it cannot be joined back to people's other answers.
    `points` (officers' exports only) adds latitude and longitude columns after each "show us
    where" question.
    """
    questions = [q for q in survey.questions.all()
                 if (q.kind == Question.EQUALITY) == equality]
    with_points = {q.pk for q in questions if points and q.kind == Question.MAP_PIN}
    yield _header(questions, with_points, equality)
    rows = _answer_rows(survey, questions)
    records = (_record(head, grouped, questions, with_points, equality)
               for head, grouped in _by_response(rows.iterator(2000)))
    if equality:
        records = list(records)
        secrets.SystemRandom().shuffle(records)
    yield from records


def _header(questions, with_points, equality) -> list[str]:
    if equality:
        return ["channel", "neighbourhood"] + [q.label for q in questions]
    header = list(EXPORT_FIXED)
    for q in questions:
        label = f"{q.label}{' (retired)' if q.retired else ''}"
        header.append(label)
        if q.pk in with_points:
            header += [f"{label} (latitude)", f"{label} (longitude)"]
    return header


def _answer_rows(survey, questions):
    """The answers to these questions with their response's details, grouped by response."""
    return (Answer.objects.filter(survey=survey, question_id__in=[q.pk for q in questions])
            .values("response_id", "question_id", "option__label", "rank", "number", "text",
                    "latitude", "longitude", "neighbourhood__name",
                    "response__reference", "response__submitted_at", "response__channel",
                    "response__language", "response__neighbourhood__name",
                    "response__duplicate_suspect", "response__duplicate_reason")
            .order_by("response_id", "id"))


def _by_response(rows):
    """(first row, {question id: [rows]}) for each response of answer rows sorted by response."""
    current, grouped = None, {}
    for row in rows:
        if current is not None and row["response_id"] != current["response_id"]:
            yield current, grouped
            grouped = {}
        current = row
        grouped.setdefault(row["question_id"], []).append(row)
    if current is not None:
        yield current, grouped


def _record(head, grouped, questions, with_points, equality) -> list:
    """One response's row: its details, then a cell (or three) per question."""
    cells = []
    for q in questions:
        cells.append(_answer_text(q, grouped.get(q.pk, [])))
        if q.pk in with_points:
            cells += _coordinates(grouped.get(q.pk, []))
    if equality:
        return [head["response__channel"], head["response__neighbourhood__name"] or ""] + cells
    reason = head["response__duplicate_reason"]
    return [head["response__reference"], head["response__submitted_at"].isoformat(),
            head["response__channel"], head["response__language"],
            head["response__neighbourhood__name"] or "",
            "yes" if head["response__duplicate_suspect"] else "",
            str(_REASONS.get(reason, reason))] + cells


def _answer_text(question, answers):
    if question.kind in (Question.SINGLE, Question.MULTIPLE, Question.EQUALITY):
        return "; ".join(a["option__label"] for a in answers)
    if question.kind == Question.RANKING:
        ordered = sorted(answers, key=lambda a: a["rank"] or 0)
        return "; ".join(f"{a['rank']}. {a['option__label']}" for a in ordered)
    if question.kind == Question.LIKERT:
        return "; ".join(str(LIKERT_LABELS.get(a["number"], "")) for a in answers)
    if question.kind == Question.NUMBER:
        return "; ".join(str(a["number"]) for a in answers)
    if question.kind == Question.MAP_PIN:
        return "; ".join(a["option__label"] or a["neighbourhood__name"] or
                         (_("Marked on the map") if a["latitude"] is not None else "")
                         for a in answers)
    return "; ".join(a["text"] for a in answers)


def _coordinates(answers):
    point = next((a for a in answers if a["latitude"] is not None), None)
    return [point["latitude"], point["longitude"]] if point else ["", ""]


def aggregate_rows(results: dict):
    """Rows of the aggregate export: one per question option (or Likert point)."""
    yield ["question", "type", "respondents", "answer", "count", "percent", "borda_score",
           "mean_rank", "retired"]
    for entry in results["questions"]:
        question = entry["question"]
        if not entry["rows"]:
            yield [question.label, question.kind, entry["respondents"], "", "", "", "", "",
                   "yes" if entry["retired"] else ""]
        for row in entry["rows"] + entry.get("places", []):
            yield [question.label, question.kind, entry["respondents"], row["label"],
                   row["count"], row["percent"], row.get("borda", ""), row.get("mean_rank", ""),
                   "yes" if row.get("retired") or entry["retired"] else ""]
