"""What an app's `evidence` module provides, as typing Protocols, and the check that it does.

priorities never imports a feature app: `registry` finds every installed app's ``evidence``
module and reads it through this contract. Required, `EvidenceModule`:

- ``rows(since=None, until=None)`` yielding `portal.evidence_rows.EvidenceRow`s
  ``(neighbourhood_id, theme_id, source, weight, count, date)``.

Optional module constants (a Protocol cannot make an attribute optional, so `problems` checks
them):

- ``SOURCE_GROUP``: the group its rows are scored in, one officer-set weight per group
  ("surveys", "forums", "feedback"); a non-empty string, by default the app label;
- ``CONTEXT_ONLY = True``: rows shown next to priorities as context (assets), never scored;
- ``CHANGES_WITH``: a tuple of model labels ("app.Model") whose saves and deletes change its
  rows, so the live rankings' cache is invalidated.

Optional functions, each a Protocol of its own so `registry.collect` asks
``isinstance(module, PeopleSource)`` rather than ``hasattr``:

- `PeopleSource`: ``people(since, until)`` yielding `PeopleRow`s ``(neighbourhood_id,
  theme_id or None, people)``, the people who took part (theme None) and those behind each
  theme;
- `ParticipantsSource`: ``participants(since, until)`` yielding equality-monitoring counts
  ``(neighbourhood_id, characteristic, category, count)``;
- `CharacteristicsSource`: ``characteristics()``, the characteristics' codes and labels,
  ``[(code, label, [(category, label), ...]), ...]``;
- `PagesSource`: ``pages(since, until)`` yielding `PageRow`s ``(neighbourhood_id, theme_id,
  page_id)``, the pages the evidence came from;
- `NeedSource`: ``people_by_need(since, until)`` yielding ``(neighbourhood_id, theme_id or
  None, quintile, people)``: of the people `people()` counts, those whose home area is in
  national IMD quintile 1 (the most deprived fifth of England) to 5; people whose area is
  unknown are left out. Method v2's need weighting (when officers turn it on) counts them
  more.

`checks.check_evidence_modules` reports a module that breaks the contract when Django starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from types import ModuleType
from typing import Protocol, runtime_checkable

from django.apps import apps

from portal.evidence_rows import EvidenceRow, PageRow, PeopleRow


@runtime_checkable
class EvidenceModule(Protocol):
    """Every evidence module: its rows for a period (both ends optional, inclusive)."""

    def rows(self, since: date | None = None,
             until: date | None = None) -> Iterable[EvidenceRow]: ...


@runtime_checkable
class PeopleSource(Protocol):
    def people(self, since: date | None = None,
               until: date | None = None) -> Iterable[PeopleRow]: ...


@runtime_checkable
class ParticipantsSource(Protocol):
    def participants(self, since: date | None = None,
                     until: date | None = None) -> Iterable[tuple[int, str, str, int]]: ...


@runtime_checkable
class CharacteristicsSource(Protocol):
    def characteristics(self) -> list[tuple[str, str, list[tuple[str, str]]]]: ...


@runtime_checkable
class PagesSource(Protocol):
    def pages(self, since: date | None = None,
              until: date | None = None) -> Iterable[PageRow]: ...


@runtime_checkable
class NeedSource(Protocol):
    def people_by_need(self, since: date | None = None,
                       until: date | None = None) -> Iterable[tuple[int, int | None, int, int]]:
        ...


OPTIONAL_FUNCTIONS = ("people", "participants", "characteristics", "pages", "people_by_need")

# Problem ids, as the system check reports them.
NO_ROWS = "priorities.E001"
BAD_SOURCE_GROUP = "priorities.E002"
BAD_CHANGES_WITH = "priorities.E003"
NOT_CALLABLE = "priorities.E004"
BAD_CONTEXT_ONLY = "priorities.E005"


def problems(module: ModuleType) -> list[tuple[str, str]]:
    """(id, message) for each way `module` breaks the contract; [] when it keeps it."""
    name = module.__name__
    found = []
    if not isinstance(module, EvidenceModule) or not callable(module.rows):
        found.append((NO_ROWS, f"{name} has no rows(since, until) function."))
    group = getattr(module, "SOURCE_GROUP", "default")
    if not isinstance(group, str) or not group.strip():
        found.append((BAD_SOURCE_GROUP,
                      f"{name}.SOURCE_GROUP must be a non-empty string, not {group!r}."))
    context_only = getattr(module, "CONTEXT_ONLY", False)
    if not isinstance(context_only, bool):
        found.append((BAD_CONTEXT_ONLY,
                      f"{name}.CONTEXT_ONLY must be True or False, not {context_only!r}."))
    found.extend((BAD_CHANGES_WITH, message) for message in _changes_with_problems(module))
    for function in OPTIONAL_FUNCTIONS:
        if hasattr(module, function) and not callable(getattr(module, function)):
            found.append((NOT_CALLABLE, f"{name}.{function} must be a function."))
    return found


def _changes_with_problems(module: ModuleType) -> list[str]:
    name = module.__name__
    labels = getattr(module, "CHANGES_WITH", ())
    if isinstance(labels, str) or not isinstance(labels, Iterable):
        return [f"{name}.CHANGES_WITH must be a tuple of model labels such as "
                f"\"app_label.ModelName\", not {labels!r}."]
    found = []
    for label in labels:
        try:
            apps.get_model(label)
        except (LookupError, ValueError, TypeError, AttributeError):
            found.append(f"{name}.CHANGES_WITH names {label!r}, which is not an installed "
                         f"model (\"app_label.ModelName\").")
    return found
