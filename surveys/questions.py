"""A survey page's questions as plain specs, read from its blocks, and what stops them publishing.

No models here: page validation (`SurveyPage.registry_errors`) and the registry sync on publish
(`registry.sync_registry`) both read the blocks through this module, and pass in what they need
from the database (the question types that have answers, the conditions last published).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .blocks import EQUALITY, GRID, KINDS, LIKERT, MAP_PIN, MULTIPLE, NUMBER, RANKING, SINGLE, TEXT
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
    # (question, option) the question depends on: block ids chosen on the skip conditions
    # screen, or (conditions saved before ids were used) their wording.
    show_if: tuple | None = None
    block_key: str = ""  # the block the question comes from: a grid's rows share the grid's


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
            elif child.block_type == GRID:
                specs += _grid_specs(child, section_index, title)
            else:
                specs.append(_question_spec(child, section_index, title))
    return specs


def grid_errors(page) -> list[str]:
    """A statement grid with no statements (the page editor refuses it too, in the block)."""
    return [_("Add at least one statement to the grid “%(question)s”.")
            % {"question": child.value["question"]}
            for section in page.sections for child in section.value["questions"]
            if child.block_type == GRID
            and not any(item.get("statement") for item in child.value["statements"])]


def _equality_specs(block_id, section, title) -> list[QuestionSpec]:
    """An equality block's eight questions, keyed "<block id>_<code>", with ONS codes as keys."""
    return [QuestionSpec(key=f"{block_id}_{code}", kind=EQUALITY, label=str(label),
                         section=section, section_title=title,
                         options=[(o_code, str(o_label), None) for o_code, o_label in options])
            for code, label, options in equality_questions()]


def _condition(value) -> tuple | None:
    if value.get("show_if_question") and value.get("show_if_answer"):
        return value["show_if_question"].strip(), value["show_if_answer"].strip()
    return None


def _grid_specs(child, section, title) -> list[QuestionSpec]:
    """A statement grid's rows: one agree/disagree question per statement, keyed by its item id.

    `config["grid"]` (the grid's id), `grid_label` and `grid_help` let the answering form and
    the results draw the rows as one table under the grid's question.
    """
    value = child.value
    grid_theme = _theme_id(value.get("theme"))
    config = {"grid": child.id, "grid_label": value["question"],
              "grid_help": value.get("help_text") or ""}
    return [QuestionSpec(key=item.id, kind=LIKERT, label=item.value["statement"],
                         section=section, section_title=title,
                         required=bool(value.get("required")), config=dict(config),
                         theme_id=_theme_id(item.value.get("theme")) or grid_theme,
                         show_if=_condition(value), block_key=child.id)
            for item in value["statements"].bound_blocks if item.id]


def _question_spec(child, section, title) -> QuestionSpec:
    value = child.value
    spec = QuestionSpec(
        key=child.id, kind=child.block_type, label=value["question"],
        section=section, section_title=title,
        help_text=value.get("help_text") or "", required=bool(value.get("required")),
        theme_id=_theme_id(value.get("theme")), show_if=_condition(value), block_key=child.id,
    )
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


CHOICE_KINDS = (SINGLE, MULTIPLE)


def resolve_show_if(spec, earlier: list[QuestionSpec], previous: dict | None = None, *,
                    later: list[QuestionSpec] = (), labels: dict | None = None):
    """(question key, option key) a condition names, or an error message naming both questions.

    `earlier`/`later`: the specs before and after `spec`; `labels`: key -> wording of the
    survey's questions and options as published (to name what has since been removed).
    Conditions hold block ids; older ones held wording, still read (`_resolve_wording`).
    """
    question_ref, option_ref = spec.show_if
    labels = labels or {}
    target = next((c for c in [*earlier, *later] if c.key == question_ref), None)
    if target is None:
        if question_ref in labels or _looks_like_id(question_ref):
            return None, _("“%(question)s” depends on “%(earlier)s”, which has been removed. "
                           "Choose another condition on the survey's Skip conditions screen.") % {
                "question": spec.label,
                "earlier": labels.get(question_ref) or _("an earlier question")}
        return _resolve_wording(spec, earlier, previous)
    names = {"question": spec.label, "earlier": target.label}
    if target.kind not in CHOICE_KINDS:
        return None, _("“%(question)s” depends on “%(earlier)s”, which is no longer a single or "
                       "multiple choice question.") % names
    if target not in earlier or target.section >= spec.section:
        return None, _("“%(question)s” depends on “%(earlier)s”, which must be in an earlier "
                       "section. Move “%(earlier)s” to an earlier section, or choose another "
                       "condition on the Skip conditions screen.") % names
    if not any(key == option_ref for key, _label, _theme in target.options):
        return None, _("“%(question)s” depends on the answer “%(option)s” to “%(earlier)s”, "
                       "which has been removed. Choose another answer on the Skip conditions "
                       "screen.") % {**names, "option": labels.get(option_ref) or option_ref}
    return (target.key, option_ref), None


def _looks_like_id(ref: str) -> bool:
    return len(ref) == 36 and ref.count("-") == 4 and " " not in ref


def _resolve_wording(spec, earlier, previous):
    """An older condition holding the wording of an earlier question and option.

    A condition the officer has not touched since it was last published stays linked by id, so
    rewording the earlier question or option does not break it.
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
                and candidate.kind in CHOICE_KINDS
                and candidate.section < spec.section):
            for key, label, _theme in candidate.options:
                if label.strip().casefold() == option_label.casefold():
                    return (candidate.key, key), None
            return None, _("“%(question)s”: the earlier question has no option “%(option)s”.") % {
                "question": spec.label, "option": option_label}
    return None, _("“%(question)s” depends on “%(earlier)s”, which is not a single or multiple "
                   "choice question in an earlier section.") % {
        "question": spec.label, "earlier": question_label}


def spec_errors(specs: list[QuestionSpec], *, answered: dict, previous: dict,
                labels: dict | None = None) -> list[str]:
    """Refused type changes (`answered`: key -> type of questions with answers) and broken
    conditions (`previous`: the conditions last published, see `resolve_show_if`; `labels`:
    key -> wording as published, to name removed questions)."""
    errors = []
    kinds = dict(KINDS)
    checked = set()  # a grid's rows share its condition: one message for the grid
    for index, spec in enumerate(specs):
        old_kind = answered.get(spec.key)
        if old_kind and old_kind != spec.kind:
            errors.append(_(
                "“%(question)s” already has answers, so its type cannot change from %(old)s to "
                "%(new)s. Add a new question instead and remove this one (its answers are kept)."
            ) % {"question": spec.label, "old": kinds[old_kind], "new": kinds[spec.kind]})
        if spec.show_if and (spec.block_key or spec.key) not in checked:
            checked.add(spec.block_key or spec.key)
            named = _grid_named(spec)
            _resolved, error = resolve_show_if(named, specs[:index], previous,
                                               later=specs[index:], labels=labels)
            if error:
                errors.append(error)
    return errors


def _grid_named(spec):
    """A grid row stands for its grid in messages about the grid's condition."""
    if spec.config.get("grid"):
        return QuestionSpec(key=spec.key, kind=spec.kind, label=spec.config["grid_label"],
                            section=spec.section, section_title=spec.section_title,
                            show_if=spec.show_if, block_key=spec.block_key)
    return spec
