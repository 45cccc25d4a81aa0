"""A survey page's questions as plain specs, read from its blocks, and what stops them publishing.

No models here: page validation (`SurveyPage.registry_errors`) and the registry sync on publish
(`registry.sync_registry`) both read the blocks through this module, and pass in what they need
from the database (the question types that have answers, the conditions last published).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .blocks import EQUALITY, KINDS, MAP_PIN, MULTIPLE, NUMBER, RANKING, SINGLE, TEXT
from .equality import equality_questions


@dataclass
class QuestionSpec:
    key: str
    kind: str
    label: str
    section: int
    section_title: str
    help_text: str = ""
    required: bool = False
    config: dict = field(default_factory=dict)
    theme_id: int | None = None
    options: list = field(default_factory=list)  # (key, label, theme_id)
    show_if: tuple | None = None  # (question label, option label)


def _theme_id(theme):
    return getattr(theme, "pk", None) if theme else None


def question_specs(page) -> list[QuestionSpec]:
    """The questions of a page's StreamField, in order, as plain specs keyed by block id."""
    specs = []
    for section_index, section in enumerate(page.sections):
        title = section.value["title"]
        for child in section.value["questions"]:
            if not child.id:
                continue  # a block not saved yet has no identity; it is synced on publish
            if child.block_type == EQUALITY:
                specs += _equality_specs(child.id, section_index, title)
            else:
                specs.append(_question_spec(child, section_index, title))
    return specs


def _equality_specs(block_id, section, title) -> list[QuestionSpec]:
    """An equality block's eight questions, keyed "<block id>_<code>", with ONS codes as keys."""
    return [QuestionSpec(key=f"{block_id}_{code}", kind=EQUALITY, label=str(label),
                         section=section, section_title=title,
                         options=[(o_code, str(o_label), None) for o_code, o_label in options])
            for code, label, options in equality_questions()]


def _question_spec(child, section, title) -> QuestionSpec:
    value = child.value
    spec = QuestionSpec(
        key=child.id, kind=child.block_type, label=value["question"],
        section=section, section_title=title,
        help_text=value.get("help_text") or "", required=bool(value.get("required")),
        theme_id=_theme_id(value.get("theme")),
    )
    if value.get("show_if_question") and value.get("show_if_answer"):
        spec.show_if = (value["show_if_question"].strip(), value["show_if_answer"].strip())
    if "options" in value:
        spec.options = [
            (item.id, item.value["label"], _theme_id(item.value.get("theme")))
            for item in value["options"].bound_blocks if item.id
        ]
    _add_settings(spec, value)
    return spec


def _add_settings(spec, value) -> None:
    """The type's own settings (`Question.config`); a map's named places become options."""
    if spec.kind == MULTIPLE:
        spec.config = {"min": value.get("min_choices"), "max": value.get("max_choices")}
    elif spec.kind == RANKING:
        spec.config = {"rank_count": min(value.get("rank_count") or 1, max(len(spec.options), 1))}
    elif spec.kind == TEXT:
        spec.config = {"long": bool(value.get("long")),
                       "max_length": value.get("max_length") or 500}
    elif spec.kind == NUMBER:
        spec.config = {"min": value.get("min_value"), "max": value.get("max_value")}
    elif spec.kind == MAP_PIN:
        places = [item for item in value["places"].bound_blocks if item.id]
        spec.options = [(item.id, item.value["name"], None) for item in places]
        spec.config = {
            "postcode": bool(value.get("allow_postcode")),
            "places": {item.id: [item.value["latitude"], item.value["longitude"]]
                       for item in places},
        }


def resolve_show_if(spec, earlier: list[QuestionSpec], previous: dict | None = None):
    """(question key, option key) a condition names, or an error message.

    Conditions name the earlier question and option by their wording. A condition the officer
    has not touched since it was last published stays linked by id, so rewording the earlier
    question or option does not break it.
    """
    question_label, option_label = spec.show_if
    linked = (previous or {}).get(spec.key)
    if linked and linked[2] == tuple(spec.show_if):
        for candidate in earlier:
            if candidate.key == linked[0] and candidate.section < spec.section and any(
                    key == linked[1] for key, _label, _theme in candidate.options):
                return linked[:2], None
    for candidate in earlier:
        if (candidate.label.strip().casefold() == question_label.casefold()
                and candidate.kind in (SINGLE, MULTIPLE)
                and candidate.section < spec.section):
            for key, label, _theme in candidate.options:
                if label.strip().casefold() == option_label.casefold():
                    return (candidate.key, key), None
            return None, _("“%(question)s”: the earlier question has no option “%(option)s”.") % {
                "question": spec.label, "option": option_label}
    return None, _("“%(question)s” depends on “%(earlier)s”, which is not a single or multiple "
                   "choice question in an earlier section.") % {
        "question": spec.label, "earlier": question_label}


def spec_errors(specs: list[QuestionSpec], *, answered: dict, previous: dict) -> list[str]:
    """Refused type changes (`answered`: key -> type of questions with answers) and broken
    conditions (`previous`: the conditions last published, see `resolve_show_if`)."""
    errors = []
    labels = dict(KINDS)
    for index, spec in enumerate(specs):
        old_kind = answered.get(spec.key)
        if old_kind and old_kind != spec.kind:
            errors.append(_(
                "“%(question)s” already has answers, so its type cannot change from %(old)s to "
                "%(new)s. Add a new question instead and remove this one (its answers are kept)."
            ) % {"question": spec.label, "old": labels[old_kind], "new": labels[spec.kind]})
        if spec.show_if:
            _resolved, error = resolve_show_if(spec, specs[:index], previous)
            if error:
                errors.append(error)
    return errors
