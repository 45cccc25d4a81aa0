"""A printable paper version of a survey, for face-to-face sessions.

Officers print it, people fill it in by hand, and officers type the answers in as paper
responses (Survey results → Enter a response). It walks the published question registry, so
its questions are exactly the ones the entry form offers.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation

from portal.pdf import render_pdf

from .answering import active_questions
from .blocks import LIKERT_LABELS
from .models import Question, SurveyPage

WRITING_LINES = {"short": 2, "long": 6}


def paper_sections(survey) -> list[dict]:
    """The survey's live questions grouped by section, ready to print."""
    sections: dict[int, dict] = {}
    equality = []
    for question in active_questions(survey):
        if question.kind == Question.EQUALITY:
            equality.append(question)
            continue
        section = sections.setdefault(question.section, {
            "title": question.section_title, "questions": []})
        config = question.config or {}
        item = {"question": question, "kind": question.kind,
                "options": list(question.options.all())}
        if question.kind == Question.LIKERT:
            item["options"] = [label for _value, label in sorted(LIKERT_LABELS.items())]
        elif question.kind == Question.TEXT:
            item["lines"] = range(WRITING_LINES["long" if config.get("long") else "short"])
        elif question.kind == Question.RANKING:
            item["rank_count"] = config.get("rank_count") or len(item["options"])
        elif question.kind == Question.MULTIPLE:
            item["max_choices"] = config.get("max_choices")
        elif question.kind == Question.MAP_PIN:
            item["postcode"] = bool(config.get("postcode"))
        if question.show_if_option_id:
            item["condition"] = question.show_if_option
        section["questions"].append(item)
    ordered = [sections[key] for key in sorted(sections)]
    # Numbered through the whole form, so "question 7" means one thing at a session.
    number = 0
    for section in ordered:
        for item in section["questions"]:
            number += 1
            item["number"] = number
    return ordered, equality


@login_required
def paper_form(request, page_id):
    """The survey as an A4 PDF with tick boxes and writing lines (officers only)."""
    if not request.user.has_perm("surveys.print_paper_form"):
        raise PermissionDenied
    survey = get_object_or_404(SurveyPage, pk=page_id).specific
    sections, equality = paper_sections(survey)
    language = translation.get_language()
    html = render_to_string("surveys/paper_form.html", {
        "survey": survey, "sections": sections, "equality": equality, "language": language,
    }, request=request)
    pdf = render_pdf(html, title=survey.title, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{survey.slug}-paper-form.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
