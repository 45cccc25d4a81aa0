"""The question registry: Question and Option rows kept in step with the published blocks.

Answers reference these rows, keyed by the blocks' stable ids, so rewording, reordering or
removing questions never orphans or reinterprets an answer: what was removed is retired.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Option, Question
from .questions import question_specs, resolve_show_if
from .results import results_changed


@transaction.atomic
def sync_registry(page) -> None:
    """Upsert Question and Option rows from the page's blocks; retire what was removed."""
    errors = page.registry_errors()
    if errors:
        raise ValidationError(errors)
    specs = question_specs(page)
    previous = Question.objects.conditions(page.pooled_survey.pk)  # a translation: the original's
    by_key, options = _upsert(page, specs)
    _link_conditions(specs, by_key, options, previous)
    results_changed(page.pk)
    if page.pooled_survey.pk != page.pk:  # its results show the pooled counts in its words
        results_changed(page.pooled_survey.pk)


def _upsert(page, specs) -> tuple[dict, dict]:
    """Save a row per spec and option: ({key: question}, {(question id, key): option})."""
    existing = {q.key: q for q in Question.objects.filter(survey_id=page.pk)}
    options = {(o.question_id, o.key): o
               for o in Option.objects.filter(question__survey_id=page.pk)}
    by_key = {}
    for position, spec in enumerate(specs):
        question = existing.get(spec.key) or Question(survey_id=page.pk, key=spec.key)
        question.kind, question.label, question.help_text = spec.kind, spec.label, spec.help_text
        question.required, question.section = spec.required, spec.section
        question.section_title, question.position = spec.section_title, position
        question.config, question.theme_id, question.retired = spec.config, spec.theme_id, False
        question.show_if_option = None
        question.save()
        by_key[spec.key] = question
        seen_options = set()
        for option_position, (key, label, theme_id) in enumerate(spec.options):
            option = options.get((question.pk, key)) or Option(question=question, key=key)
            option.label, option.position, option.theme_id = label, option_position, theme_id
            option.retired = False
            option.save()
            options[(question.pk, key)] = option
            seen_options.add(option.pk)
        Option.objects.filter(question=question).exclude(pk__in=seen_options).update(retired=True)
    seen = [question.pk for question in by_key.values()]
    Question.objects.filter(survey_id=page.pk).exclude(pk__in=seen).update(retired=True)
    return by_key, options


def _link_conditions(specs, by_key, options, previous) -> None:
    """Point each conditional question at the option it depends on, and keep its wording."""
    for index, spec in enumerate(specs):
        if spec.show_if:
            (question_key, option_key), _error = resolve_show_if(spec, specs[:index], previous)
            question = by_key[spec.key]
            question.show_if_option = options[(by_key[question_key].pk, option_key)]
            question.config = {**question.config, "show_if": list(spec.show_if)}
            question.save(update_fields=["show_if_option", "config"])
