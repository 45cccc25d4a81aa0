"""Importing community feedback from a file: the dry run, then the import itself.

`dry_run(run)` reads every row of the run's file with its mapping and stores what importing
would do (create / update / unchanged / refused / flagged) and every row's problems (the first
100 listed, the rest counted). `import_file(run)` (called by the background task) and
`import_rows(run, rows)` (for code that has the rows already, such as the benchmark) do it.

Idempotent by external id per source: each imported row leaves an `ImportedRow` with a hash of
what it said, so the same row again is left alone, a changed row updates its feedback item and
a new one creates one. Work is done in batches of `BATCH` rows, each in its own transaction
with a handful of queries (no query per row): feedback items with `bulk_create` /
`bulk_update` while `sources.muted()` keeps the per-row signals quiet, then one
`sources.refresh()` for the batch, then the fields only insight keeps (language, sub-themes,
equality, review reason, who coded it). A failure part-way leaves the batches done so far,
and importing the file again is safe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.csv_input import ProblemList
from priorities.models import FeedbackItem

from . import sources
from .importing_files import read_table
from .importing_rows import Lookups, ParsedRow, RowParser, date_order
from .models import CodingEvent, ImportedRow, ImportRun, InsightItem
from .safeguarding import flag_raised

logger = logging.getLogger(__name__)
BATCH = 500
INDEX_FIELDS = ["text", "received_on", "source", "source_label", "neighbourhood", "people_count",
                "safeguarding", "coded_at", "language", "equality", "review_reason", "sentiment",
                "coded_by", "matrix"]
FEEDBACK_FIELDS = ["source", "source_detail", "received_on", "neighbourhood_id", "text",
                   "sentiment", "people_count", "safeguarding"]


@dataclass
class Outcome:
    """What a dry run or an import did (or would do) with a file's rows."""

    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    problems: ProblemList = field(default_factory=ProblemList)
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return self.total - self.created - self.updated - self.unchanged


def _numbered(rows) -> list[tuple[int, dict]]:
    """(row number, cells) pairs; plain dicts are numbered from 2 (row 1 is the headings)."""
    return [row if isinstance(row, tuple) else (number, row)
            for number, row in enumerate(rows, start=2)]


def _parser(run, rows: list[tuple[int, dict]], outcome: Outcome) -> RowParser:
    heading = run.mapping.get("received_on")
    order, note = date_order((cells.get(heading) for _n, cells in rows), run.source.date_format)
    if note:
        outcome.notes.append(note)
    return RowParser(run.mapping, Lookups.load(run.source), order)


def _parse_all(parser: RowParser, rows, outcome: Outcome):
    """Yield each good row; refused rows' problems go to the outcome."""
    for number, cells in rows:
        outcome.total += 1
        parsed, problems = parser.parse(number, cells)
        for label, message in problems:
            outcome.problems.append((number, f"{label}: {message}" if label else message))
        if parsed is not None:
            yield parsed


def _formula_note(parser: RowParser, outcome: Outcome) -> None:
    if parser.formula_cells:
        row, heading = parser.formula_example
        outcome.notes.append(ngettext(
            "%(count)s cell starts with =, +, - or @ (the first: row %(row)s, %(column)s). It "
            "is kept as the text it is and never run as a formula; exports put a quote in front.",
            "%(count)s cells start with =, +, - or @ (the first: row %(row)s, %(column)s). "
            "They are kept as the text they are and never run as formulas; exports put a quote "
            "in front.", parser.formula_cells) % {
            "count": parser.formula_cells, "row": row, "column": heading})


def _store(run: ImportRun, outcome: Outcome, **fields) -> None:
    run.total_rows = outcome.total
    run.created_count, run.updated_count = outcome.created, outcome.updated
    run.unchanged_count, run.flagged_count = outcome.unchanged, outcome.flagged
    run.errors = [{"row": row, "message": message} for row, message in outcome.problems]
    if outcome.problems.unlisted:
        run.errors.append({"row": None, "message": outcome.problems.more_text()})
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()


def dry_run(run: ImportRun) -> Outcome:
    """Read every row of the run's file and store what importing it would do; saves nothing
    else. The run becomes CHECKED, with its counts, problems and notes."""
    rows = _numbered(read_table(run.file, run.original_name).rows())
    outcome = Outcome()
    parser = _parser(run, rows, outcome)
    for parsed in _parse_all(parser, rows, outcome):
        existing = parser.lookups.existing.get(parsed.external_id)
        if existing is None:
            outcome.created += 1
        elif existing[1] == parsed.digest:
            outcome.unchanged += 1
            continue
        else:
            outcome.updated += 1
        outcome.flagged += bool(parsed.review_reason or parsed.safeguarding)
    _formula_note(parser, outcome)
    _store(run, outcome, state=ImportRun.CHECKED, processed_rows=0,
           message="\n".join(outcome.notes))
    return outcome


def import_file(run: ImportRun) -> Outcome:
    """Import the run's stored file (see `import_rows`)."""
    return import_rows(run, read_table(run.file, run.original_name).rows())


def import_rows(run: ImportRun, rows) -> Outcome:
    """Import `rows` into feedback items for `run` (its source, mapping and officer).

    `rows` are (row number, {heading: value}) pairs or plain {heading: value} dicts, keyed by
    the headings `run.mapping` names. Good rows are created, updated or left unchanged; rows
    with problems are refused and listed. The run is RUNNING meanwhile, with `processed_rows`
    stored after each batch, and DONE at the end. Exceptions propagate (the task marks the run
    FAILED); the batches done before stay, and running it again is safe."""
    rows = _numbered(rows)
    outcome = Outcome()
    run.state, run.processed_rows, run.total_rows = ImportRun.RUNNING, 0, len(rows)
    run.save(update_fields=["state", "processed_rows", "total_rows"])
    parser = _parser(run, rows, outcome)
    batch: list[ParsedRow] = []
    for parsed in _parse_all(parser, rows, outcome):
        batch.append(parsed)
        if len(batch) >= BATCH:
            _import_batch(run, batch, parser.lookups, outcome)
            batch = []
    _import_batch(run, batch, parser.lookups, outcome)
    _formula_note(parser, outcome)
    _store(run, outcome, state=ImportRun.DONE, processed_rows=outcome.total,
           finished_at=timezone.now(), message="\n".join(outcome.notes))
    return outcome


def _import_batch(run: ImportRun, batch: list[ParsedRow], lookups: Lookups,
                  outcome: Outcome) -> None:
    creates, updates = [], []
    for row in batch:
        existing = lookups.existing.get(row.external_id)
        if existing is None:
            creates.append(row)
        elif existing[1] == row.digest:
            outcome.unchanged += 1
        else:
            updates.append((row, existing[0]))
    with transaction.atomic(), sources.muted():
        updated, flagged = _update(run, updates, creates)
        created = _create(run, creates)
        index = {**_index_new(run, created, lookups), **_index_changed(run, updated, lookups)}
        by_item = {**updated, **created}
        sources.refresh(sources.feedback_source, by_item)  # finds them up to date but themes
        _sub_themes_and_events(run, by_item, index, lookups)
        _remember(run, by_item, lookups)
        outcome.created += len(created)
        outcome.updated += len(updated)
        outcome.flagged += sum(bool(r.review_reason or r.safeguarding) for r in by_item.values())
        flagged += [item for item, row in created.items() if row.safeguarding]
        ImportRun.objects.filter(pk=run.pk).update(
            processed_rows=outcome.total, created_count=outcome.created,
            updated_count=outcome.updated, unchanged_count=outcome.unchanged)
        if flagged:
            transaction.on_commit(lambda ids=flagged: _tell_safeguarding(ids, run.created_by))


def _feedback(run: ImportRun, row: ParsedRow, item: FeedbackItem) -> FeedbackItem:
    item.source, item.source_detail = run.source.channel, row.source_detail
    item.received_on, item.neighbourhood_id, item.text = row.received_on, \
        row.neighbourhood_id, row.text
    item.sentiment = row.sentiment if row.sentiment in dict(FeedbackItem.SENTIMENT_CHOICES) \
        else FeedbackItem.NEUTRAL
    item.people_count, item.safeguarding = row.people_count, row.safeguarding
    return item


def _create(run: ImportRun, rows: list[ParsedRow]) -> dict[int, ParsedRow]:
    items = [_feedback(run, row, FeedbackItem(created_by=run.created_by)) for row in rows]
    FeedbackItem.objects.bulk_create(items, batch_size=BATCH)
    through = FeedbackItem.themes.through
    through.objects.bulk_create([through(feedbackitem_id=item.pk, theme_id=theme)
                                 for item, row in zip(items, rows, strict=True)
                                 for theme in row.theme_ids], batch_size=1000)
    return {item.pk: row for item, row in zip(items, rows, strict=True)}


def _update(run, updates: list[tuple[ParsedRow, int]],
            creates: list[ParsedRow]) -> tuple[dict[int, ParsedRow], list[int]]:
    """Change the feedback items of changed rows (a row whose item has gone joins `creates`).
    Returns {item: row} of those changed, and the items newly flagged for safeguarding."""
    items = FeedbackItem.objects.in_bulk([item for _row, item in updates])
    changed, flagged, fields = {}, [], set()
    for row, pk in updates:
        item = items.get(pk)
        if item is None:
            creates.append(row)
            continue
        if row.safeguarding and not item.safeguarding:
            flagged.append(pk)
        changed[pk] = row
        before = [getattr(item, name) for name in FEEDBACK_FIELDS]
        _feedback(run, row, item)
        fields.update(name for name, old in zip(FEEDBACK_FIELDS, before, strict=True)
                      if getattr(item, name) != old)
    if fields:
        _upsert(FeedbackItem, [items[pk] for pk in changed], sorted(fields))
    through = FeedbackItem.themes.through
    through.objects.filter(feedbackitem_id__in=list(changed)).delete()
    through.objects.bulk_create([through(feedbackitem_id=pk, theme_id=theme)
                                 for pk, row in changed.items() for theme in row.theme_ids],
                                batch_size=1000)
    return changed, flagged


def _insight_values(run: ImportRun, row: ParsedRow, lookups: Lookups) -> dict:
    """What only insight keeps about a row's item (and who coded it, if the file did)."""
    coded = bool(row.theme_ids)
    return {"language": row.language, "equality": row.equality,
            "review_reason": row.review_reason,
            # as `sources.refresh` would: a coded item takes its origin's sentiment
            "sentiment": row.sentiment or (FeedbackItem.NEUTRAL if coded else ""),
            "coded_by": run.created_by if coded else None,
            "matrix": lookups.matrix if coded else None}


def _index_new(run: ImportRun, created: dict[int, ParsedRow], lookups: Lookups) -> dict:
    """Index rows for new items, made whole in one insert, so `sources.refresh` finds them up
    to date and only adds their themes. Returns {origin id: index row id}."""
    now = timezone.now()
    items = [InsightItem(origin=InsightItem.FEEDBACK, origin_id=pk, text=row.text,
                         received_on=row.received_on, source=run.source.channel,
                         source_label=row.source_detail, neighbourhood_id=row.neighbourhood_id,
                         people_count=row.people_count, safeguarding=row.safeguarding,
                         coded_at=now if row.theme_ids else None,
                         **_insight_values(run, row, lookups))
             for pk, row in created.items()]
    InsightItem.objects.bulk_create(items, batch_size=BATCH)
    return {item.origin_id: item.pk for item in items}


def _upsert(model, objects: list, fields: list[str]) -> None:
    """Write `fields` of existing rows: an INSERT … ON CONFLICT (pk) DO UPDATE of whole rows,
    far quicker than `bulk_update`'s CASE WHEN per row and field."""
    if objects:
        model.objects.bulk_create(objects, update_conflicts=True, unique_fields=["pk"],
                                  update_fields=fields, batch_size=BATCH)


def _index_changed(run: ImportRun, updated: dict[int, ParsedRow], lookups: Lookups) -> dict:
    """Bring changed items' index rows up to date, with what only insight keeps, so that
    `sources.refresh` finds nothing left to write. Returns {origin id: index row id}."""
    items = list(InsightItem.objects.filter(origin=InsightItem.FEEDBACK,
                                            origin_id__in=list(updated)))
    now = timezone.now()
    for item in items:
        row = updated[item.origin_id]
        item.text, item.received_on, item.source = row.text, row.received_on, run.source.channel
        item.source_label, item.neighbourhood_id = row.source_detail, row.neighbourhood_id
        item.people_count, item.safeguarding = row.people_count, row.safeguarding
        for name, value in _insight_values(run, row, lookups).items():
            setattr(item, name, value)
        if row.theme_ids and item.coded_at is None:
            item.coded_at = now
    _upsert(InsightItem, items, INDEX_FIELDS)
    return {item.origin_id: item.pk for item in items}


def _sub_themes_and_events(run: ImportRun, by_item: dict[int, ParsedRow], index: dict,
                           lookups: Lookups) -> None:
    """The rows' sub-themes, and a coding event for each item the file coded."""
    through = InsightItem.sub_themes.through
    through.objects.filter(insightitem_id__in=list(index.values())).delete()
    through.objects.bulk_create([through(insightitem_id=index[origin], matrixsubtheme_id=sub)
                                 for origin, row in by_item.items() if origin in index
                                 for sub in row.sub_theme_ids], batch_size=1000)
    CodingEvent.objects.bulk_create([
        CodingEvent(item_id=index[origin], action=CodingEvent.CODED, user=run.created_by,
                    matrix=lookups.matrix, codes={
                        "themes": [lookups.theme_slugs.get(t) for t in row.theme_ids],
                        "sub_themes": [lookups.sub_theme_keys.get(s) for s in row.sub_theme_ids],
                        "sentiment": row.sentiment, "import_run": run.pk})
        for origin, row in by_item.items() if row.theme_ids and origin in index],
        batch_size=BATCH)


def _remember(run: ImportRun, by_item: dict[int, ParsedRow], lookups: Lookups) -> None:
    """Record which item each external id became, and the hash of what its row said."""
    records = []
    for pk, row in by_item.items():
        records.append(ImportedRow(source=run.source, external_id=row.external_id,
                                   feedback_item_id=pk, row_hash=row.digest, run=run))
        lookups.existing[row.external_id] = (pk, row.digest)
    ImportedRow.objects.bulk_create(records, update_conflicts=True,
                                    unique_fields=["source", "external_id"],
                                    update_fields=["feedback_item_id", "row_hash", "run"],
                                    batch_size=BATCH)


def _tell_safeguarding(origin_ids: list[int], user) -> None:
    for item in InsightItem.objects.filter(origin=InsightItem.FEEDBACK, origin_id__in=origin_ids):
        try:
            flag_raised(item, user)
        except Exception:  # one failed notice must not stop the others, nor fail the import
            logger.exception("Safeguarding notice for insight item %s failed", item.pk)


def fail(run: ImportRun, error: Exception) -> None:
    """Mark the run FAILED with a message; what was imported before the failure stays."""
    run.refresh_from_db()
    run.state, run.finished_at = ImportRun.FAILED, timezone.now()
    run.message = _("The import stopped after %(done)s of %(total)s rows: %(error)s. The rows "
                    "imported before it are kept; importing the file again is safe (rows "
                    "already imported are left as they are).") % {
        "done": run.processed_rows, "total": run.total_rows, "error": error}
    run.save(update_fields=["state", "finished_at", "message"])
