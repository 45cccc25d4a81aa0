"""The admin's live preview of a survey: its introduction and every question on one page.

Drawn from the page's blocks as the editor has them (not the question registry, which follows
the published page only), so officers see the wording, order, grids and skip conditions of
what they are editing before they publish it.
"""

from __future__ import annotations

from dataclasses import replace

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .blocks import EQUALITY, LIKERT_LABELS, MULTIPLE, NUMBER, RANKING, TEXT
from .questions import question_specs, resolve_show_if


def preview_sections(page) -> list[dict]:
    """[{"title", "items"}] where an item is a question spec (with `condition`, `grid`)."""
    specs = question_specs(page)
    by_key = {spec.key: spec for spec in specs}
    options = {key: label for spec in specs for key, label, _theme in spec.options}
    sections: dict[int, dict] = {}
    for index, spec in enumerate(specs):
        section = sections.setdefault(spec.section, {"title": spec.section_title, "items": []})
        grid_id = spec.config.get("grid")
        items = section["items"]
        if grid_id and items and items[-1].get("grid_id") == grid_id:
            items[-1]["rows"].append(spec)
            continue
        item = {"spec": spec, "kind": spec.kind, "grid_id": grid_id, "rows": [spec],
                "label": spec.config.get("grid_label") if grid_id else spec.label,
                "help": spec.config.get("grid_help") if grid_id else spec.help_text,
                "hint": _hint(spec), "condition": "", "condition_error": ""}
        if spec.show_if:
            resolved, error = resolve_show_if(replace(spec, label=item["label"]), specs[:index],
                                              later=specs[index:])
            if resolved:
                item["condition"] = _("Asked only if the answer to “%(question)s” is "
                                      "“%(option)s”.") % {"question": by_key[resolved[0]].label,
                                                          "option": options[resolved[1]]}
            item["condition_error"] = error or ""
        items.append(item)
    return [sections[number] for number in sorted(sections)]


def _hint(spec) -> str:
    config = spec.config
    if spec.kind == MULTIPLE:
        return _("Select all that apply.")
    if spec.kind == RANKING:
        return _("Put %(n)d in order.") % {"n": config.get("rank_count") or 1}
    if spec.kind == TEXT:
        return _("A written answer of up to %(n)d characters.") % {
            "n": config.get("max_length") or 500}
    if spec.kind == NUMBER:
        return _("A whole number.")
    if spec.kind == EQUALITY:
        return _("Equality monitoring question (optional).")
    return ""


def _points(page) -> list[int]:
    """The scale in the survey's one order (as `forms.likert_points`; models import this
    module, so it does not import forms)."""
    points = [5, 4, 3, 2, 1]
    disagree_first = getattr(page, "DISAGREE_FIRST", None)
    reverse = disagree_first and getattr(page, "scale_order", None) == disagree_first
    return points[::-1] if reverse else points


def serve_questions_preview(request, page):
    """The "Introduction and all questions" preview mode of `SurveyPage`."""
    return TemplateResponse(request, "surveys/survey_preview.html", {
        "page": page, "self": page, "sections": preview_sections(page),
        "points": [str(LIKERT_LABELS[point]) for point in _points(page)],
    })
