"""Discovery of evidence sources: every installed app's `evidence` module, and citations.

priorities never imports a feature app. An app takes part by having an ``evidence`` module
that keeps the contract in `evidence_contract` (``rows(since, until)``, and optionally
``SOURCE_GROUP``, ``CONTEXT_ONLY``, ``CHANGES_WITH``, ``people``, ``participants``,
``characteristics``, ``pages`` and ``people_by_need``); a system check (`checks`) reports
one that does not.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from types import ModuleType

from django.apps import AppConfig, apps
from wagtail import hooks

from .evidence_contract import (
    CharacteristicsSource,
    EvidenceModule,
    NeedSource,
    PagesSource,
    ParticipantsSource,
    PeopleSource,
)


@dataclass(frozen=True)
class Source:
    app_label: str
    module: EvidenceModule
    group: str
    context_only: bool = False


def evidence_modules() -> list[tuple[AppConfig, ModuleType]]:
    """Every installed app that has an ``evidence`` module, with the module, in
    INSTALLED_APPS order (whether or not it keeps the contract)."""
    found = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.evidence"
        if importlib.util.find_spec(name) is not None:
            found.append((app_config, importlib.import_module(name)))
    return found


@cache
def sources() -> tuple[Source, ...]:
    """The evidence sources of the installed apps, in INSTALLED_APPS order (a module without
    ``rows`` is left out; the system check reports it)."""
    return tuple(
        Source(app_config.label, module, getattr(module, "SOURCE_GROUP", app_config.label),
               bool(getattr(module, "CONTEXT_ONLY", False)))
        for app_config, module in evidence_modules()
        if isinstance(module, EvidenceModule) and callable(module.rows))


def watched_models() -> set[str]:
    """Lower-case labels of the models whose changes change the evidence (and their m2m)."""
    labels = set()
    for source in sources():
        for label in getattr(source.module, "CHANGES_WITH", ()):
            model = apps.get_model(label)
            labels.add(model._meta.label_lower)
            for m2m in model._meta.local_many_to_many:
                labels.add(m2m.remote_field.through._meta.label_lower)
    return labels


@dataclass
class Evidence:
    """Everything the sources said for a period, as plain Python values."""

    # (neighbourhood_id, theme_id, group, weight, count, date, source)
    rows: list[tuple] = field(default_factory=list)
    context_groups: set[str] = field(default_factory=set)
    # (group, neighbourhood_id, theme_id or None) -> people
    people: dict[tuple, int] = field(default_factory=dict)
    # neighbourhood_id -> {(characteristic, category): count}
    participants: dict[int, dict[tuple, int]] = field(default_factory=dict)
    characteristics: list[tuple] = field(default_factory=list)
    # (group, neighbourhood_id, theme_id) -> sorted page ids
    pages: dict[tuple, list[int]] = field(default_factory=dict)
    # (group, neighbourhood_id, theme_id or None, IMD quintile 1..5) -> people
    need: dict[tuple, int] = field(default_factory=dict)


def collect(since: date | None = None, until: date | None = None) -> Evidence:
    """Ask every source for its rows, people, participants, pages and people by need."""
    evidence = Evidence()
    pages: dict[tuple, set] = defaultdict(set)
    participants: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for source in sources():
        module, group = source.module, source.group
        if source.context_only:
            evidence.context_groups.add(group)
        for row in module.rows(since=since, until=until):
            evidence.rows.append((row[0], row[1], group, float(row[3]), int(row[4]), row[5],
                                  row[2]))
        if isinstance(module, PeopleSource):
            for neighbourhood_id, theme_id, people in module.people(since=since, until=until):
                key = (group, neighbourhood_id, theme_id)
                evidence.people[key] = evidence.people.get(key, 0) + people
        if isinstance(module, ParticipantsSource):
            for neighbourhood_id, characteristic, category, count in module.participants(
                    since=since, until=until):
                participants[neighbourhood_id][(characteristic, category)] += count
        if isinstance(module, CharacteristicsSource):
            evidence.characteristics.extend(module.characteristics())
        if isinstance(module, PagesSource):
            for neighbourhood_id, theme_id, page_id in module.pages(since=since, until=until):
                pages[(group, neighbourhood_id, theme_id)].add(page_id)
        if isinstance(module, NeedSource):
            _collect_need(evidence, group, module.people_by_need(since=since, until=until))
    evidence.participants = {n: dict(counts) for n, counts in participants.items()}
    evidence.pages = {key: sorted(ids) for key, ids in pages.items()}
    return evidence


def _collect_need(evidence: Evidence, group: str, rows) -> None:
    """Add a source's ``(neighbourhood_id, theme_id or None, quintile, people)`` rows."""
    for neighbourhood_id, theme_id, quintile, people in rows:
        key = (group, neighbourhood_id, theme_id, int(quintile))
        evidence.need[key] = evidence.need.get(key, 0) + int(people)


# Citations --------------------------------------------------------------------------------
# Apps that cite snapshot priorities (plans) register, under the CITATIONS Wagtail hook, a
# callable(priority) returning plain dicts {"title", "url"}, one per thing citing it, so that
# priorities can refuse to change a cited priority without importing those apps.

CITATIONS = "priorities_citations"


def citations(priority) -> list[dict]:
    """Everything citing a snapshot priority, from every function under the CITATIONS hook."""
    found = []
    for fn in hooks.get_hooks(CITATIONS):
        for item in fn(priority) or ():
            found.append({"title": str(item["title"]), "url": item.get("url", "")})
    return found
