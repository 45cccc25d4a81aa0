"""Who took part against who lives there: population figures, their import, participation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portal import disclosure
from portal.csv_input import CSVRows, ProblemList
from portal.deprivation import services as deprivation
from portal.neighbourhoods.models import Neighbourhood

from . import registry
from .disclosure import public_totals, threshold
from .evidence_contract import CharacteristicsSource
from .models import PopulationFigure
from .ranking import live_ranking
from .wording import format_number, under_heard_text

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
    Each characteristic's counts are a table whose total the public can work out (from any
    count and its share), so `portal.disclosure.suppress_group` hides small counts and
    enough others that none can be worked out; a hidden count's share goes with it.
    """
    ranking = ranking or live_ranking(neighbourhood)
    counts = {tuple(key.split("|", 1)): n for key, n in ranking.get("participants", {}).items()}
    figures = defaultdict(dict)
    for characteristic, category, people in PopulationFigure.objects.filter(
            neighbourhood=neighbourhood).values_list("characteristic", "category", "people"):
        figures[characteristic][category] = people
    if "deprivation" not in figures:
        figures["deprivation"] = _quintile_figures(neighbourhood)
    people = (ranking.get("totals", {}).get("surveys") or {}).get("people")
    result = []
    for code, label, options in characteristics():
        section = _characteristic(code, label, options, counts, figures.get(code, {}), people)
        if section is not None:
            result.append(section)
    return {"population": figures.get(PopulationFigure.TOTAL, {}).get(PopulationFigure.ALL),
            "sources": public_totals(ranking.get("totals", {})),
            "characteristics": result, "threshold": threshold()}


def _quintile_figures(neighbourhood) -> dict[str, int]:
    """People by national IMD quintile ("q1".."q5") from the neighbourhood's computed need."""
    return {f"q{quintile}": people
            for quintile, people in deprivation.quintile_population(neighbourhood).items()}


def _characteristic(code, label, options, counts: dict, figures: dict, people=None):
    """One characteristic's rows, or None when nobody answered and there are no figures.

    `people`: survey respondents in the neighbourhood, as the public sees them.
    """
    answered = sum(n for (c, k), n in counts.items() if c == code and k != PREFER_NOT)
    pop_total = sum(v for k, v in figures.items() if k != PREFER_NOT)
    if not (answered or pop_total):
        return None
    given = {category: counts.get((code, category), 0) for category, _label in options}
    cells = disclosure.suppress_group(given, total=sum(given.values()))
    # Shares give away how many answered. When everybody who took part answered, the people
    # taking part less those would give a hidden "Prefer not to say" away: then the shares go.
    # (Were it 0, that would be about nobody, and tell nothing of the other hidden counts.)
    prefer = given.get(PREFER_NOT, 0)
    everyone = people is not None and answered + prefer >= people
    answered_cell = (disclosure.not_shown()
                     if everyone and prefer and cells.get(PREFER_NOT, disclosure.count(0)).hidden
                     else disclosure.count(answered))
    # What the hidden counts add up to, as far as the public can tell: the most any one of
    # them could be. "Under-heard" for a hidden row rests on that, not on its own count.
    hidden_most = (answered - sum(cell.value for category, cell in cells.items()
                                  if cell.shown and category != PREFER_NOT)
                   if answered_cell.shown else None)
    rows = [_category(category, category_label, given[category], cells[category],
                      figures.get(category), answered, pop_total, hidden_most, answered_cell)
            for category, category_label in options]
    return {"code": code, "label": label, "rows": rows, "answered": answered_cell.value,
            "under": [row["label"] for row in rows if row["under"]],
            "flag": under_heard_text(code, [row["category"] for row in rows if row["under"]])}


def _category(category, label, count: int, cell, pop, answered: int, pop_total: int,
              hidden_most: int | None, answered_cell) -> dict:
    """One category's count and shares as the public sees them, and whether under-heard."""
    share = round(100 * count / answered, 1) if answered and category != PREFER_NOT else None
    pop_share = round(100 * pop / pop_total, 1) if pop and pop_total else None
    if cell.hidden:
        # Only what the public already knows: even the most this count could be is low.
        share_known = (100 * hidden_most / answered if hidden_most is not None and answered
                       else None)
    else:
        share_known = share or 0
    under = bool(pop_share is not None and pop_share >= 2 and category != PREFER_NOT
                 and share_known is not None and share_known < 0.8 * pop_share)
    return {"category": category, "label": label, "count": cell.value, "cell": cell,
            "share": disclosure.derived(share, cell, answered_cell).value,
            "population_share": pop_share,
            "under": under}


# Import -----------------------------------------------------------------------------------


# No neighbourhood has more people; larger numbers would also overflow the database column.
MAX_PEOPLE = 10_000_000
REQUIRED_COLUMNS = {"neighbourhood", "characteristic", "category", "people"}
SOURCE_MAX_LENGTH = PopulationFigure._meta.get_field("source").max_length


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    # (row number, message); the first hundred are kept, the rest only counted
    errors: ProblemList = field(default_factory=ProblemList)
    dry_run: bool = False


def import_population(text: str, dry_run: bool = False) -> ImportReport:
    """Import population figures from CSV (neighbourhood, characteristic, category, people,
    optional source). Every row is checked first; with any error nothing is saved."""
    report = ImportReport(dry_run=dry_run)
    reader = CSVRows(text)
    if reader.problem:
        report.errors.append((1, reader.problem))
        return report
    missing = REQUIRED_COLUMNS - set(reader.fieldnames)
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


def _checked_rows(reader: CSVRows, report: ImportReport) -> list[tuple]:
    """The rows that pass every check; each problem goes into the report with its row number."""
    neighbourhoods = {}
    for neighbourhood in Neighbourhood.objects.all():
        neighbourhoods[neighbourhood.code.lower()] = neighbourhood
        neighbourhoods[neighbourhood.name.lower()] = neighbourhood
    known = {code: {c for c, _label in options} for code, _l, options in characteristics()}
    known[PopulationFigure.TOTAL] = {PopulationFigure.ALL}
    valid, seen = [], set()
    for number, (_line, row, problem) in enumerate(reader, start=2):
        if problem is None:
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
        return None, _("No neighbourhood has the name or code “%(name)s”.") % {
            "name": Truncator(name).chars(60)}
    if characteristic not in known:
        return None, _("“%(value)s” is not a characteristic. Use one of: %(choices)s.") % {
            "value": Truncator(characteristic).chars(60), "choices": ", ".join(sorted(known))}
    if category not in known[characteristic]:
        return None, _("“%(value)s” is not a category of %(characteristic)s. Use one of: "
                       "%(choices)s.") % {
            "value": Truncator(category).chars(60), "characteristic": characteristic,
            "choices": ", ".join(sorted(known[characteristic]))}
    if not (people.isascii() and people.isdigit()) or int(people) > MAX_PEOPLE:
        return None, _("People must be a whole number from 0 to %(max)s, not “%(value)s”.") % {
            "max": format_number(MAX_PEOPLE), "value": Truncator(people).chars(30)}
    source = (row.get("source") or "").strip()
    if len(source) > SOURCE_MAX_LENGTH:
        return None, _("The source is %(length)s characters long; it may have at most "
                       "%(max)s.") % {"length": format_number(len(source)),
                                      "max": SOURCE_MAX_LENGTH}
    if "\x00" in "".join((name, characteristic, category, source)):
        return None, _("The row contains a null character (NUL). Remove it and try again.")
    return (neighbourhood, characteristic, category, int(people), source), None
