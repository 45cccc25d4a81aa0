"""Skip conditions chosen from lists: which earlier answer makes a question appear.

Officers never type a condition. The "Skip conditions" admin screen (`skip_logic_views`) lists
each question of the survey's latest revision with a select of the options of the single and
multiple choice questions in earlier sections; the choice is stored in the question block as
the earlier question's block id and the option's id, in a new draft revision.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from .blocks import EQUALITY
from .questions import CHOICE_KINDS, question_specs, resolve_show_if


@dataclass
class ConditionRow:
    """One question on the screen: its block id, wording and the conditions it may have."""

    block_id: str
    label: str
    section: int
    section_title: str
    current: str = ""  # "<question id>:<option id>", or "" for always shown
    error: str = ""  # why the stored condition no longer works
    groups: list = field(default_factory=list)  # [(earlier question, [(value, option)])]

    @property
    def values(self) -> set[str]:
        return {value for _label, options in self.groups for value, _option in options}


def latest_draft(page):
    """The page as its latest revision has it (what the editor shows)."""
    return page.get_latest_revision_as_object() if page.get_latest_revision() else page


def condition_rows(page, labels: dict | None = None,
                   previous: dict | None = None) -> list[ConditionRow]:
    """A row per question block of `page` (a grid counts once), with its choices and state.

    `labels` and `previous`: see `questions.resolve_show_if`.
    """
    specs = question_specs(page)
    rows, seen = [], set()
    for index, spec in enumerate(specs):
        if spec.kind == EQUALITY or spec.block_key in seen:
            continue
        seen.add(spec.block_key)
        label = spec.config.get("grid_label") or spec.label
        row = ConditionRow(block_id=spec.block_key, label=label, section=spec.section,
                           section_title=spec.section_title)
        for earlier in specs[:index]:
            if earlier.kind in CHOICE_KINDS and earlier.section < spec.section:
                row.groups.append((earlier.label, [(f"{earlier.key}:{key}", option)
                                                   for key, option, _theme in earlier.options]))
        if spec.show_if:
            resolved, error = resolve_show_if(replace(spec, label=label), specs[:index],
                                              previous, later=specs[index:], labels=labels)
            row.current = ":".join(resolved) if resolved else ""
            row.error = error or ""
        rows.append(row)
    return rows


def apply_conditions(page, chosen: dict, labels: dict | None = None,
                     previous: dict | None = None) -> list[str]:
    """Set each question block's condition from `chosen` (block id -> "question:option" or "").

    Returns error messages (nothing is changed then): a choice that is not one of the options
    listed for the question, for example because the survey changed meanwhile. Blocks not in
    `chosen` keep their condition.
    """
    rows = {row.block_id: row for row in condition_rows(page, labels, previous)}
    errors = []
    for block_id, value in chosen.items():
        row = rows.get(block_id)
        if row is None:
            errors.append(_("A question on this screen has been removed from the survey since "
                            "you opened it. Check the conditions again."))
        elif value and value not in row.values:
            errors.append(_("Choose the condition for “%(question)s” from the list: the answer "
                            "chosen is no longer offered.") % {"question": row.label})
    if errors:
        return errors
    raw = list(page.sections.raw_data)
    for section in raw:
        for child in section["value"]["questions"]:
            if child.get("id") in chosen and child["type"] != EQUALITY:
                question_id, _sep, option_id = chosen[child["id"]].partition(":")
                child["value"]["show_if_question"] = question_id
                child["value"]["show_if_answer"] = option_id
    page.sections = raw
    return []

