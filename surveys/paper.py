"""A printable paper version of a survey, for face-to-face sessions.

Officers print it, people fill it in by hand, and officers type the answers in as paper
responses (Survey results → Enter a response). It walks the published question registry, so
its questions are exactly the ones the entry form offers, in the same order and with the same
numbers (`paper_sections` is shared with `paper_entry`).
"""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Locale

from portal.pdf import render_pdf

from .answering import active_questions
from .blocks import LIKERT_LABELS
from .forms import likert_points
from .models import Question, SurveyPage

WRITING_LINES = {"short": 2, "long": 6}
POSTCODE_BOXES = 8
# Online instructions the paper form replaces with its own one instruction per question.
ONLINE_SELECTION_HINT = re.compile(
    r"\b(select|tick|choose|dewiswch|ticiwch)\b[^.]*\b(all|pob|unrhyw)\b[^.]*\.?", re.IGNORECASE)


def paper_hint(question) -> str:
    """The question's help text as printed: no online-only instruction beside our own."""
    if question.kind == Question.WHERE:
        return ""  # the online hint talks of choosing from a list; paper has a postcode box
    text = question.help_text or ""
    if question.kind == Question.MULTIPLE:
        text = ONLINE_SELECTION_HINT.sub("", text)
    return " ".join(text.split())


def _item(question, points) -> dict:
    config = question.config or {}
    item = {"question": question, "kind": question.kind, "hint": paper_hint(question),
            "options": [o.label for o in question.options.all()]}
    if question.kind == Question.LIKERT:
        item["options"] = [LIKERT_LABELS[point] for point in points]
    elif question.kind == Question.TEXT:
        item["lines"] = range(WRITING_LINES["long" if config.get("long") else "short"])
    elif question.kind == Question.RANKING:
        item["rank_count"] = config.get("rank_count") or len(item["options"])
    elif question.kind == Question.MULTIPLE:
        item["max_choices"] = config.get("max")
    elif question.kind == Question.MAP_PIN:
        item["postcode"] = bool(config.get("postcode"))
    elif question.kind == Question.WHERE:
        item["postcode_boxes"] = range(POSTCODE_BOXES)
    if question.show_if_option_id:
        item["condition"] = question.show_if_option
    return item


def paper_sections(survey, questions=None) -> tuple[list[dict], list[dict]]:
    """The live questions as printed: sections in order, then the equality questions.

    Every item has a `number`, counted through the whole form (equality questions too), so
    "question 7" means one thing on paper, at a session and in the entry form.
    """
    questions = active_questions(survey) if questions is None else questions
    points = likert_points(getattr(survey, "scale_order", None))
    sections: dict[int, dict] = {}
    equality = []
    for question in questions:
        if question.kind == Question.EQUALITY:
            equality.append(_item(question, points))
            continue
        sections.setdefault(question.section, {
            "section": question.section, "title": question.section_title, "questions": [],
        })["questions"].append(_item(question, points))
    ordered = [sections[key] for key in sorted(sections)]
    number = 0
    for item in [i for s in ordered for i in s["questions"]] + equality:
        number += 1
        item["number"] = number
    return ordered, equality


def printed_blocks(items: list[dict]) -> list[dict]:
    """A section's items as printed: a statement grid's rows (agree/disagree questions sharing
    `config["grid"]`) become one table, each row keeping its own question number."""
    printed = []
    for item in items:
        grid = (item["question"].config or {}).get("grid")
        if grid and printed and printed[-1].get("grid") == grid:
            printed[-1]["rows"].append(item)
        elif grid:
            config = item["question"].config
            printed.append({"grid": grid, "kind": "grid", "rows": [item],
                            "label": config.get("grid_label", ""),
                            "hint": config.get("grid_help", ""), "options": item["options"]})
        else:
            printed.append(item)
    return printed


def printed_survey(survey, language):
    """The page to print in `language`: its live translation if there is one."""
    if survey.locale.language_code == language:
        return survey
    locale = Locale.objects.filter(language_code=language).first()
    translated = survey.get_translation_or_none(locale) if locale else None
    return translated.specific if translated is not None and translated.live else survey


@login_required
def paper_form(request, page_id):
    """The survey as an A4 PDF with tick boxes and writing lines (officers only)."""
    if not request.user.has_perm("surveys.print_paper_form"):
        raise PermissionDenied
    language = translation.get_language()
    survey = printed_survey(get_object_or_404(SurveyPage, pk=page_id).specific, language)
    sections, equality = paper_sections(survey)
    for section in sections:
        section["printed"] = printed_blocks(section["questions"])
    html = render_to_string("surveys/paper_form.html", {
        "survey": survey, "sections": sections, "equality": equality, "language": language,
    }, request=request)
    pdf = render_pdf(html, title=survey.title, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{survey.slug}-paper-form.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
