"""Trend reports over community insight: counts of items by month, source, neighbourhood,
theme, sub-theme, sentiment and demography, and what changed since last quarter.

What is counted. Every `InsightItem` in the period is an item, coded or not; the theme,
sub-theme and quarter-change breakdowns count coded items only (an item with two themes counts
once under each). The unit is the item, not the people behind it: a note of a meeting that
30 people attended is one item, so a loud meeting does not outweigh 29 separate voices, and
the counts match what officers code. `people_count` is summed beside the months as "people
represented" for officers only.

Every breakdown is one GROUP BY query (demography one per characteristic), so the page stays
fast over 50,000 items a year. Officers see exact counts. Anything shared outside the council
(the partner view and CSV) goes through `portal.disclosure`: see `partner_cells` and
`suppress_table`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Case, CharField, Count, IntegerField, Q, Sum, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import disclosure
from priorities.models import FeedbackItem
from priorities.population import characteristics

from .models import InsightItem, MatrixSubTheme

SURVEY = "survey"
NONE = "_none"  # the key of "no neighbourhood" / "not recorded" rows
THEMES_THROUGH = InsightItem.themes.through


@dataclass(frozen=True)
class Filters:
    """What a report covers: a date range (both ends included) and optional narrowing."""

    since: datetime.date
    until: datetime.date
    neighbourhood: object | None = None
    source: str = ""
    theme: object | None = None


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 12 months: from the first day of the month 11 months ago to today."""
    today = today or timezone.localdate()
    month = today.year * 12 + today.month - 1 - 11
    return datetime.date(month // 12, month % 12 + 1, 1), today


def source_labels() -> dict[str, str]:
    """Channel code -> label: community feedback's sources and survey comments."""
    return {**{code: str(label) for code, label in FeedbackItem.SOURCE_CHOICES},
            SURVEY: _("Survey comment")}


def items(filters: Filters):
    """The items a report counts (coded and uncoded), index-friendly filters only."""
    qs = InsightItem.objects.filter(received_on__gte=filters.since,
                                    received_on__lte=filters.until)
    if filters.neighbourhood is not None:
        qs = qs.filter(neighbourhood=filters.neighbourhood)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.theme is not None:
        # A subquery, so the theme breakdown still shows the other themes these items have.
        qs = qs.filter(pk__in=THEMES_THROUGH.objects.filter(theme=filters.theme)
                       .values("insightitem_id"))
    return qs.order_by()


def months_between(since: datetime.date, until: datetime.date) -> list[datetime.date]:
    """The first day of every month from `since`'s to `until`'s."""
    first, last = since.year * 12 + since.month - 1, until.year * 12 + until.month - 1
    return [datetime.date(m // 12, m % 12 + 1, 1) for m in range(first, last + 1)]


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def by_month(filters: Filters) -> list[dict]:
    """Items, coded items and people represented per month, every month of the period (zeros
    included). Grouped by day in the database (an index walk, at most 366 groups a year, no
    date function per row) and the days summed into months here."""
    found = defaultdict(lambda: {"items": 0, "coded": 0, "people": 0})
    for row in items(filters).values("received_on").annotate(
            items=Count("id"), coded=Count("id", filter=Q(coded_at__isnull=False)),
            people=Sum("people_count")):
        month = found[_month(row["received_on"])]
        for field in ("items", "coded", "people"):
            month[field] += row[field] or 0
    return [{"key": month.isoformat(), "month": month, "label": date_format(month, "F Y"),
             **found.get(month, {"items": 0, "coded": 0, "people": 0})}
            for month in months_between(filters.since, filters.until)]


def _rows(counted, key, label_of) -> list[dict]:
    rows = [{"key": str(row[key] if row[key] not in (None, "") else NONE),
             "label": label_of(row), "items": row["items"]} for row in counted]
    return sorted(rows, key=lambda row: (-row["items"], row["label"]))


def by_source(filters: Filters) -> list[dict]:
    """Items per channel."""
    labels = source_labels()
    return _rows(items(filters).values("source").annotate(items=Count("id")), "source",
                 lambda row: labels.get(row["source"], row["source"]))


def by_neighbourhood(filters: Filters) -> list[dict]:
    """Items per neighbourhood ("No neighbourhood" for items without one)."""
    return _rows(items(filters).values("neighbourhood", "neighbourhood__name")
                 .annotate(items=Count("id")), "neighbourhood",
                 lambda row: row["neighbourhood__name"] or _("No neighbourhood"))


def by_theme(filters: Filters) -> list[dict]:
    """Coded items per theme."""
    return _rows(items(filters).filter(coded_at__isnull=False, themes__isnull=False)
                 .values("themes", "themes__name").annotate(items=Count("id")), "themes",
                 lambda row: row["themes__name"])


def by_sub_theme(filters: Filters) -> list[dict]:
    """Coded items per sub-theme, following its `key` across matrix versions (named as in
    the newest version that has it)."""
    names = {}
    for theme_id, key, name in MatrixSubTheme.objects.order_by("matrix__number").values_list(
            "theme_id", "key", "name"):
        names[(theme_id, key)] = name
    counted = (items(filters).filter(coded_at__isnull=False, sub_themes__isnull=False)
               .values("sub_themes__theme", "sub_themes__theme__name", "sub_themes__key")
               .annotate(items=Count("id", distinct=True)))
    rows = [{"key": f"{row['sub_themes__theme']}:{row['sub_themes__key']}",
             "theme_id": row["sub_themes__theme"], "theme": row["sub_themes__theme__name"],
             "label": names.get((row["sub_themes__theme"], row["sub_themes__key"]),
                                row["sub_themes__key"]), "items": row["items"]}
            for row in counted]
    return sorted(rows, key=lambda row: (row["theme"], -row["items"], row["label"]))


def by_sentiment(filters: Filters) -> list[dict]:
    """Items per sentiment ("Not recorded" for uncoded items and coded ones without)."""
    labels = dict(InsightItem.SENTIMENTS)
    return _rows(items(filters).values("sentiment").annotate(items=Count("id")), "sentiment",
                 lambda row: str(labels.get(row["sentiment"], _("Not recorded"))))


def _equality_counts(qs, codes: list[str]) -> dict[str, list[dict]]:
    """Items per (characteristic, category) in one scan: the JSON object's pairs joined in
    (SQLite's json_each, PostgreSQL's jsonb_each_text), else one GROUP BY a characteristic."""
    found = defaultdict(list)
    vendor = connection.vendor
    if vendor in ("sqlite", "postgresql"):
        each = "json_each(i.equality)" if vendor == "sqlite" else "jsonb_each_text(i.equality)"
        inner, params = qs.values("id").query.sql_with_params()
        sql = (f"SELECT j.key, j.value, COUNT(*) FROM {InsightItem._meta.db_table} i, {each} j "
               f"WHERE i.id IN ({inner}) GROUP BY j.key, j.value")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [{"characteristic": key, "category": value, "items": n}
                    for key, value, n in cursor.fetchall()]
    else:
        parts = [qs.filter(equality__has_key=code)
                 .annotate(characteristic=Value(code, output_field=CharField()),
                           category=KeyTextTransform(code, "equality"))
                 .values("characteristic", "category").annotate(items=Count("id"))
                 for code in codes]
        rows = list(parts[0].union(*parts[1:], all=True))
    for row in rows:
        if row["characteristic"] in codes and row["category"] not in (None, ""):
            row["category"] = str(row["category"])  # an empty answer is not known
            found[row["characteristic"]].append(row)
    return found


def by_demography(filters: Filters, total: int) -> list[dict]:
    """Per equality characteristic with any known answer: items per category, with the items
    where it is not known (so each table adds up to `total`). One query."""
    known = characteristics()
    if not known:
        return []
    found = _equality_counts(items(filters), [code for code, _label, _options in known])
    sections = []
    for code, label, options in known:
        if not found[code]:
            continue
        labels = dict(options)
        rows = _rows(found[code], "category", lambda row, labels=labels: str(
            labels.get(row["category"], row["category"])))
        rows.append({"key": NONE, "label": _("Not known"),
                     "items": total - sum(row["items"] for row in rows)})
        sections.append({"code": code, "label": label, "rows": rows})
    return sections


def by_channel_place_sentiment(filters: Filters) -> tuple[list, list, list]:
    """`by_source`, `by_neighbourhood` and `by_sentiment` from one scan: a GROUP BY of the
    three together (a few hundred groups at most), summed three ways here."""
    sums = ({}, {}, {})
    fields = ("source", "neighbourhood", "sentiment")
    names = {}
    for row in items(filters).values(*fields, "neighbourhood__name").annotate(
            items=Count("id")):
        names[row["neighbourhood"]] = row["neighbourhood__name"]
        for found, field in zip(sums, fields, strict=True):
            found[row[field]] = found.get(row[field], 0) + row["items"]
    labels, moods = source_labels(), dict(InsightItem.SENTIMENTS)
    return (
        _rows([{"source": k, "items": n} for k, n in sums[0].items()], "source",
              lambda row: labels.get(row["source"], row["source"])),
        _rows([{"neighbourhood": k, "items": n} for k, n in sums[1].items()], "neighbourhood",
              lambda row: names[row["neighbourhood"]] or _("No neighbourhood")),
        _rows([{"sentiment": k, "items": n} for k, n in sums[2].items()], "sentiment",
              lambda row: str(moods.get(row["sentiment"], _("Not recorded")))))


def report(filters: Filters) -> dict:
    """Every breakdown of the items `filters` selects, exact (for officers): six queries."""
    months = by_month(filters)
    total = sum(row["items"] for row in months)
    sources, places, sentiments = by_channel_place_sentiment(filters)
    return {"filters": filters, "total": total,
            "people": sum(row["people"] for row in months),
            "coded": sum(row["coded"] for row in months),
            "months": months, "sources": sources, "neighbourhoods": places,
            "themes": by_theme(filters), "sub_themes": by_sub_theme(filters),
            "sentiments": sentiments, "demography": by_demography(filters, total)}


def cross_counts(filters: Filters) -> dict[str, dict[tuple[str, str], int]]:
    """Coded items by month x theme and by neighbourhood x theme, keyed as the one-way
    breakdowns' rows (two GROUP BY queries)."""
    coded = items(filters).filter(coded_at__isnull=False, themes__isnull=False)
    months = defaultdict(int)
    for row in coded.values("received_on", "themes").annotate(items=Count("id")):
        months[(_month(row["received_on"]).isoformat(), str(row["themes"]))] += row["items"]
    places = {(str(row["neighbourhood"] or NONE), str(row["themes"])): row["items"]
              for row in coded.values("neighbourhood", "themes").annotate(items=Count("id"))}
    return {"months": dict(months), "neighbourhoods": places}


# What changed since last quarter -------------------------------------------------------------


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter_start(day: datetime.date) -> datetime.date:
    start = quarter_start(day)
    return quarter_start(start - datetime.timedelta(days=1))


def quarter_counts(filters: Filters) -> dict:
    """Coded items per neighbourhood and theme in the quarter holding `filters.until` (so far)
    and in the quarter before, and all items per neighbourhood in each: two GROUP BY queries.
    The neighbourhood, source and theme filters apply; the date range does not."""
    this_start = quarter_start(filters.until)
    prev_start = previous_quarter_start(filters.until)
    qs = items(replace(filters, since=prev_start)).annotate(quarter=Case(
        When(received_on__gte=this_start, then=Value(1)), default=Value(0),
        output_field=IntegerField()))
    names, themes = {}, {}
    cells = defaultdict(lambda: defaultdict(lambda: [0, 0]))  # nbhd -> theme -> [before, now]
    for row in (qs.filter(coded_at__isnull=False, themes__isnull=False)
                .values("neighbourhood", "neighbourhood__name", "themes", "themes__name",
                        "quarter").annotate(items=Count("id"))):
        key = row["neighbourhood"] or NONE
        names[key] = row["neighbourhood__name"] or _("No neighbourhood")
        themes[row["themes"]] = row["themes__name"]
        cells[key][row["themes"]][row["quarter"]] += row["items"]
    totals = defaultdict(lambda: [0, 0])
    for row in qs.values("neighbourhood", "quarter").annotate(items=Count("id")):
        totals[row["neighbourhood"] or NONE][row["quarter"]] += row["items"]
    return {"this_start": this_start, "prev_start": prev_start, "until": filters.until,
            "names": names, "themes": themes, "cells": cells, "totals": totals}


def change_sentence(theme: str, now: str, before: str, change: int | None) -> str:
    """Plain words: "Housing: 42 items, up from 18"."""
    values = {"theme": theme, "now": now, "before": before}
    if change is None:
        return _("%(theme)s: this quarter %(now)s, last quarter %(before)s") % values
    if change > 0:
        return _("%(theme)s: %(now)s items, up from %(before)s") % values
    if change < 0:
        return _("%(theme)s: %(now)s items, down from %(before)s") % values
    return _("%(theme)s: %(now)s items, the same as last quarter") % values


def quarter_changes(filters: Filters, partner: bool = False) -> dict:
    """Per neighbourhood, this quarter against the last per theme, biggest rises first.

    In the partner view both quarters are suppressed together (`_paired_tables`); a change
    resting on a hidden count is hidden, and such rows go last, A to Z, so their order says
    nothing about their size."""
    data = quarter_counts(filters)
    if partner:
        (now_all, now_totals), (before_all, before_totals) = _paired_tables(data)
    sections = []
    for key, per_theme in sorted(data["cells"].items(), key=lambda kv: data["names"][kv[0]]):
        theme_ids = list(per_theme)
        now = {t: per_theme[t][1] for t in theme_ids}
        before = {t: per_theme[t][0] for t in theme_ids}
        if partner:
            now_cells = {t: now_all[(key, t)] for t in theme_ids}
            before_cells = {t: before_all[(key, t)] for t in theme_ids}
            totals = (now_totals[key], before_totals[key])
        else:
            now_cells = {t: disclosure.Cell(n) for t, n in now.items()}
            before_cells = {t: disclosure.Cell(n) for t, n in before.items()}
            totals = tuple(disclosure.Cell(n) for n in data["totals"][key][::-1])
        rows = []
        for theme in theme_ids:
            change = disclosure.derived(now[theme] - before[theme], now_cells[theme],
                                        before_cells[theme])
            rows.append({"theme": data["themes"][theme], "now": now_cells[theme],
                         "before": before_cells[theme], "change": change,
                         "sentence": change_sentence(
                             data["themes"][theme], now_cells[theme].display,
                             before_cells[theme].display, change.value)})
        rows = (sorted((row for row in rows if row["change"].shown),
                       key=lambda row: (-row["change"].value, -row["now"].value, row["theme"]))
                + sorted((row for row in rows if row["change"].hidden),
                         key=lambda row: row["theme"]))
        sections.append({"neighbourhood": data["names"][key], "rows": rows,
                         "total_now": totals[0], "total_before": totals[1]})
    return {"this_start": data["this_start"], "prev_start": data["prev_start"],
            "prev_end": data["this_start"] - datetime.timedelta(days=1),
            "until": data["until"], "sections": sections}


def _paired_tables(data: dict) -> list[tuple[dict, dict]]:
    """Partners' cells and neighbourhood totals of both quarters: each quarter is a
    neighbourhood x theme table (`suppress_table`: its rows' and themes' totals may be known
    from other tables), and a cell hidden in one quarter is hidden in the other, so a report
    whose period is exactly the two quarters (which shows their sums) gives nothing away."""
    quarters = []
    for quarter in (1, 0):
        cells = {(place, theme): counts[quarter] for place, per in data["cells"].items()
                 for theme, counts in per.items()}
        themes = defaultdict(int)
        for (_place, theme), n in cells.items():
            themes[theme] += n
        quarters.append((cells, {place: data["totals"][place][quarter] for place in data["cells"]},
                         dict(themes), sum(t[quarter] for t in data["totals"].values())))
    hidden: set = set()
    while True:
        results = [suppress_table(*quarter, forced=hidden)[:2] for quarter in quarters]
        both = {key for cells, _rows in results for key, cell in cells.items() if cell.hidden}
        if both == hidden:
            return results
        hidden = both


# Small numbers for partners ------------------------------------------------------------------


def exact_cells(rows: list[dict]) -> dict[str, disclosure.Cell]:
    """Officers' cells: every count shown as it is."""
    return {row["key"]: disclosure.Cell(row["items"]) for row in rows}


def partner_cells(rows: list[dict], total: int | None, hidden=()) -> dict[str, disclosure.Cell]:
    """A table's cells as partners see them: `suppress_group` with the table's known total
    (the items in the report), so no hidden count can be worked out from it."""
    return disclosure.suppress_group({row["key"]: row["items"] for row in rows}, total=total,
                                     hidden=hidden)


def suppress_table(cells: dict[tuple, int], row_totals: dict, col_totals: dict,
                   grand: int, forced=frozenset()) -> tuple[dict, dict, dict]:
    """A two-way table (month or neighbourhood x theme) with its margins, as partners see it.

    The margins are suppressed as tables of their own with the grand total known (so they
    agree with the one-way tables of the same report). Inside, each row (total: its items)
    and each column (total: the theme's items) is suppressed with the cells already hidden by
    the other direction forced, over and over until nothing more is hidden: then every row
    and column hides either nothing or enough that no cell can be worked out from its total.
    `forced` names cells to hide anyway (a linked table hides them). Returns (cells, row
    margin, column margin) as `disclosure.Cell`s.

    What this promises: no hidden cell's value can be worked out from the row and column
    totals, even by someone who re-runs these rules on every guess. Such a person may tell
    which hidden cell is the small one (as "fewer than 5" would), so every hidden cell inside
    says only "not shown".
    """
    rows, cols = list(row_totals), list(col_totals)
    row_cells = disclosure.suppress_group(row_totals, total=grand)
    col_cells = disclosure.suppress_group(col_totals, total=grand)
    hidden: set[tuple] = {key for key in forced if key[0] in row_totals and key[1] in col_totals}
    changed = True
    while changed:
        before = len(hidden)
        for r in rows:
            group = disclosure.suppress_group(
                {c: cells.get((r, c), 0) for c in cols}, total=row_totals[r],
                hidden={c for c in cols if (r, c) in hidden})
            hidden |= {(r, c) for c in disclosure.hidden_keys(group)}
        for c in cols:
            group = disclosure.suppress_group(
                {r: cells.get((r, c), 0) for r in rows}, total=col_totals[c],
                hidden={r for r in rows if (r, c) in hidden})
            hidden |= {(r, c) for r in disclosure.hidden_keys(group)}
        changed = len(hidden) != before
    result = {(r, c): disclosure.not_shown() if (r, c) in hidden
              else disclosure.Cell(cells.get((r, c), 0)) for r in rows for c in cols}
    return result, row_cells, col_cells
