"""Who took part against who lives there: population figures, their import, participation."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portal.neighbourhoods.models import Neighbourhood

from . import registry
from .disclosure import public_totals, threshold
from .evidence_contract import CharacteristicsSource
from .models import PopulationFigure
from .ranking import live_ranking
from .wording import format_number

PREFER_NOT = "prefer_not"  # "Prefer not to say": counted, but not in anyone's share


def characteristics() -> list[tuple]:
    """The equality characteristics the evidence sources report, with their labels."""
    found = []
    for source in registry.sources():
        if isinstance(source.module, CharacteristicsSource):
            found.extend(source.module.characteristics())
    return found


# Participation ----------------------------------------------------------------------------


def participation(neighbourhood, ranking: dict | None = None) -> dict:
    """Who took part in a neighbourhood against who lives there, small numbers hidden.

    Per characteristic and category: survey responses giving it and their share of those who
    answered the question ("Prefer not to say" left out), next to the category's share of the
    population figures. A category is flagged as under-heard when its share of responses is
    below 80% of its share of the population (and it is at least 2% of the population).
    Counts below the threshold are hidden with their shares; when that leaves exactly one
    hidden category in a characteristic, the next smallest is hidden too (``withheld``), so
    no hidden count can be worked out by subtraction.
    """
    limit = threshold()
    ranking = ranking or live_ranking(neighbourhood)
    counts = {tuple(key.split("|", 1)): n for key, n in ranking.get("participants", {}).items()}
    figures = defaultdict(dict)
    for characteristic, category, people in PopulationFigure.objects.filter(
            neighbourhood=neighbourhood).values_list("characteristic", "category", "people"):
        figures[characteristic][category] = people
    result = []
    for code, label, options in characteristics():
        section = _characteristic(code, label, options, counts, figures.get(code, {}), limit)
        if section is not None:
            result.append(section)
    return {"population": figures.get(PopulationFigure.TOTAL, {}).get(PopulationFigure.ALL),
            "sources": public_totals(ranking.get("totals", {})),
            "characteristics": result, "threshold": limit}


def _characteristic(code, label, options, counts: dict, figures: dict, limit: int):
    """One characteristic's rows, or None when nobody answered and there are no figures."""
    answered = sum(n for (c, k), n in counts.items() if c == code and k != PREFER_NOT)
    pop_total = sum(v for k, v in figures.items() if k != PREFER_NOT)
    rows = [_category(category, category_label, counts.get((code, category), 0),
                      figures.get(category), answered, pop_total, limit)
            for category, category_label in options]
    _withhold_next_smallest(rows)
    for row in rows:
        del row["_count"]
    if not (answered or pop_total):
        return None
    return {"code": code, "label": label, "rows": rows,
            "answered": answered if answered >= limit else None,
            "under": [row["label"] for row in rows if row["under"]]}


def _category(category, label, count: int, pop, answered: int, pop_total: int,
              limit: int) -> dict:
    """One category's count and shares, hidden below the threshold, and whether under-heard."""
    share = round(100 * count / answered, 1) if answered and category != PREFER_NOT else None
    pop_share = round(100 * pop / pop_total, 1) if pop and pop_total else None
    suppressed = count < limit
    under = bool(pop_share is not None and pop_share >= 2 and category != PREFER_NOT
                 and (share or 0) < 0.8 * pop_share)
    return {"category": category, "label": label,
            "count": None if suppressed else count, "share": None if suppressed else share,
            "population_share": pop_share, "under": under, "withheld": False, "_count": count}


def _withhold_next_smallest(rows: list[dict]) -> None:
    """Secondary suppression: the shown counts and shares give away how many answered, so a
    lone hidden category would be that minus the rest; hide the next smallest as well."""
    answering = [row for row in rows if row["category"] != PREFER_NOT]
    if sum(1 for row in answering if row["count"] is None) == 1:
        shown = [row for row in answering if row["count"] is not None]
        if shown:
            smallest = min(shown, key=lambda row: row["_count"])
            smallest.update(count=None, share=None, withheld=True)


# Import -----------------------------------------------------------------------------------


# No neighbourhood has more people; larger numbers would also overflow the database column.
MAX_PEOPLE = 10_000_000
REQUIRED_COLUMNS = {"neighbourhood", "characteristic", "category", "people"}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False


def import_population(text: str, dry_run: bool = False) -> ImportReport:
    """Import population figures from CSV (neighbourhood, characteristic, category, people,
    optional source). Every row is checked first; with any error nothing is saved."""
    report = ImportReport(dry_run=dry_run)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
    if missing:
        report.errors.append((1, _("The file needs the columns %(columns)s.")
                              % {"columns": ", ".join(sorted(missing))}))
        return report
    valid = _checked_rows(reader, report)
    existing = set(PopulationFigure.objects.values_list("neighbourhood_id", "characteristic",
                                                        "category"))
    for neighbourhood, characteristic, category, _people, _source in valid:
        if (neighbourhood.pk, characteristic, category) in existing:
            report.updated += 1
        else:
            report.created += 1
    if dry_run or report.errors:
        return report
    with transaction.atomic():
        for neighbourhood, characteristic, category, people, source in valid:
            PopulationFigure.objects.update_or_create(
                neighbourhood=neighbourhood, characteristic=characteristic, category=category,
                defaults={"people": people, "source": source})
    return report


def _checked_rows(reader: csv.DictReader, report: ImportReport) -> list[tuple]:
    """The rows that pass every check; each problem goes into the report with its row number."""
    neighbourhoods = {}
    for neighbourhood in Neighbourhood.objects.all():
        neighbourhoods[neighbourhood.code.lower()] = neighbourhood
        neighbourhoods[neighbourhood.name.lower()] = neighbourhood
    known = {code: {c for c, _label in options} for code, _l, options in characteristics()}
    known[PopulationFigure.TOTAL] = {PopulationFigure.ALL}
    valid, seen = [], set()
    for number, row in enumerate(reader, start=2):
        values, problem = _check_row(row, neighbourhoods, known)
        if problem is None:
            key = (values[0].pk, values[1], values[2])
            if key in seen:
                problem = _("This neighbourhood, characteristic and category are already on "
                            "an earlier row.")
            seen.add(key)
        if problem is not None:
            report.errors.append((number, problem))
        else:
            valid.append(values)
    return valid


def _check_row(row: dict, neighbourhoods: dict, known: dict[str, set]):
    """(values, None) for a good row, else (None, what is wrong with it)."""
    name = (row.get("neighbourhood") or "").strip()
    characteristic = (row.get("characteristic") or "").strip()
    category = (row.get("category") or "").strip()
    people = (row.get("people") or "").strip().replace(",", "")
    neighbourhood = neighbourhoods.get(name.lower())
    if neighbourhood is None:
        return None, _("No neighbourhood has the name or code “%(name)s”.") % {"name": name}
    if characteristic not in known:
        return None, _("“%(value)s” is not a characteristic. Use one of: %(choices)s.") % {
            "value": characteristic, "choices": ", ".join(sorted(known))}
    if category not in known[characteristic]:
        return None, _("“%(value)s” is not a category of %(characteristic)s. Use one of: "
                       "%(choices)s.") % {
            "value": category, "characteristic": characteristic,
            "choices": ", ".join(sorted(known[characteristic]))}
    if not (people.isascii() and people.isdigit()) or int(people) > MAX_PEOPLE:
        return None, _("People must be a whole number from 0 to %(max)s, not “%(value)s”.") % {
            "max": format_number(MAX_PEOPLE), "value": Truncator(people).chars(30)}
    source = (row.get("source") or "").strip()[:200]
    return (neighbourhood, characteristic, category, int(people), source), None
