"""Where insight items come from, and keeping them in step with their origins.

Two kinds of source: community feedback (`priorities.FeedbackItem`, read here directly, since
insight sits above priorities) and whatever feature apps offer through the `INSIGHT_SOURCES`
extension point (survey comments). `refresh()` upserts the index rows of some origin items in
bulk; the signal receiver calls it after each commit when an origin is saved or deleted, and
`refresh_all()` rebuilds everything (the `insight_sync` command).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal import extension_points
from priorities.models import FeedbackItem

from .models import InsightItem

BATCH = 2000
# Fields copied from the origin on every refresh; the coding fields are the officers'.
COPIED = ("text", "received_on", "source", "source_label", "neighbourhood_id", "language",
          "people_count")


class FeedbackSource:
    """Community feedback, typed in the admin or imported from a file."""

    origin = InsightItem.FEEDBACK
    label = FeedbackItem._meta.verbose_name
    watched_models = {"priorities.feedbackitem", "priorities.feedbackitem_themes"}

    def rows(self, origin_ids=None):
        items = FeedbackItem.objects.order_by("pk")
        if origin_ids is not None:
            items = items.filter(pk__in=list(origin_ids))
        themes: dict[int, list[int]] = {}
        through = FeedbackItem.themes.through.objects.filter(feedbackitem__in=items)
        for item_id, theme_id in through.values_list("feedbackitem_id", "theme_id"):
            themes.setdefault(item_id, []).append(theme_id)
        fields = ("pk", "text", "received_on", "source", "source_detail", "neighbourhood_id",
                  "people_count", "safeguarding", "sentiment")
        for row in items.values(*fields).iterator(chunk_size=BATCH):
            yield {"origin_id": row["pk"], "text": row["text"],
                   "received_on": row["received_on"], "source": row["source"],
                   "source_label": row["source_detail"],
                   "neighbourhood_id": row["neighbourhood_id"],  # language: insight's own
                   "people_count": row["people_count"], "theme_ids": themes.get(row["pk"], []),
                   "safeguarding": row["safeguarding"], "sentiment": row["sentiment"]}

    def origin_ids_for(self, instance):
        return [instance.pk] if isinstance(instance, FeedbackItem) else []

    def apply(self, origin_id, *, theme_ids, sentiment, safeguarding, user):
        item = FeedbackItem.objects.filter(pk=origin_id).first()
        if item is None:
            return
        item.safeguarding = safeguarding
        if sentiment in dict(FeedbackItem.SENTIMENT_CHOICES):
            item.sentiment = sentiment
        item.save(update_fields=["safeguarding", "sentiment"])
        item.themes.set(theme_ids)

    def link(self, origin_id):
        return reverse(FeedbackItem.snippet_viewset.get_url_name("edit"), args=[origin_id])


feedback_source = FeedbackSource()


def all_sources() -> list:
    """Community feedback first, then every feature app's source."""
    return [feedback_source, *extension_points.insight_sources()]


def source_for(origin: str):
    """The source of `origin` items, or None if no app offers it any more."""
    return next((source for source in all_sources() if source.origin == origin), None)


def refresh(source, origin_ids: Iterable[int] | None = None) -> int:
    """Bring the index rows of `source`'s items (all, or those ids) up to date: new items are
    added uncoded (or coded, when the origin already carries themes), changed ones updated, and
    rows whose origin has gone or lost its text are deleted. Returns the rows written."""
    wanted = None if origin_ids is None else {int(i) for i in origin_ids if i}
    if wanted is not None and not wanted:
        return 0
    seen: set[int] = set()
    written = 0
    batch: list[dict] = []
    for row in source.rows(wanted):
        seen.add(row["origin_id"])
        batch.append(row)
        if len(batch) >= BATCH:
            written += _upsert(source.origin, batch)
            batch = []
    written += _upsert(source.origin, batch)
    gone = InsightItem.objects.filter(origin=source.origin)
    if wanted is not None:
        gone = gone.filter(origin_id__in=wanted - seen)
    else:
        gone = gone.exclude(origin_id__in=seen) if len(seen) < 30_000 else _not_seen(
            source.origin, seen)
    gone.delete()
    return written


def _not_seen(origin, seen):
    present = set(InsightItem.objects.filter(origin=origin).values_list("origin_id", flat=True))
    return InsightItem.objects.filter(origin=origin, origin_id__in=list(present - seen))


@transaction.atomic
def _upsert(origin: str, rows: list[dict]) -> int:
    if not rows:
        return 0
    existing = {item.origin_id: item for item in InsightItem.objects.filter(
        origin=origin, origin_id__in=[row["origin_id"] for row in rows])}
    now = timezone.now()
    new, changed, fields = [], [], set()
    names = (*COPIED, "safeguarding", "sentiment", "coded_at")
    for row in rows:
        item = existing.get(row["origin_id"])
        if item is None:
            item = InsightItem(origin=origin, origin_id=row["origin_id"])
            new.append(item)
        before = [getattr(item, field) for field in (*COPIED, "safeguarding", "sentiment",
                                                     "coded_at")]
        for field in COPIED:
            if field not in row:  # not the origin's (a feedback item's language): kept here
                continue
            setattr(item, field, row.get(field, "") if field != "people_count"
                    else row.get(field) or 1)
        item.safeguarding = row["safeguarding"]
        if row.get("sentiment") and not item.sentiment and row["theme_ids"]:
            item.sentiment = row["sentiment"]
        if row["theme_ids"] and item.coded_at is None:
            item.coded_at = now
        after = [getattr(item, field) for field in (*COPIED, "safeguarding", "sentiment",
                                                    "coded_at")]
        if item.pk is not None and before != after:
            changed.append(item)
            fields.update(name for name, was, now_is in zip(names, before, after, strict=True)
                          if was != now_is)
    InsightItem.objects.bulk_create(new, batch_size=500)
    if changed:  # only the fields that changed: bulk_update's SQL grows with each one
        InsightItem.objects.bulk_update(changed, sorted(fields), batch_size=500)
    return len(new) + len(changed) + _sync_themes(origin, rows)


def _sync_themes(origin: str, rows: list[dict]) -> int:
    """Make each item's themes those of its origin (the origin is where priorities read them)."""
    ids = dict(InsightItem.objects.filter(origin=origin, origin_id__in=[
        row["origin_id"] for row in rows]).values_list("origin_id", "pk"))
    through = InsightItem.themes.through
    current: dict[int, set[int]] = {}
    for item_id, theme_id in through.objects.filter(
            insightitem_id__in=ids.values()).values_list("insightitem_id", "theme_id"):
        current.setdefault(item_id, set()).add(theme_id)
    add, remove = [], []
    for row in rows:
        pk = ids[row["origin_id"]]
        want, have = set(row["theme_ids"]), current.get(pk, set())
        add += [through(insightitem_id=pk, theme_id=t) for t in want - have]
        remove += [(pk, t) for t in have - want]
    through.objects.bulk_create(add, batch_size=1000, ignore_conflicts=True)
    for pk, theme_id in remove:
        through.objects.filter(insightitem_id=pk, theme_id=theme_id).delete()
    return len({link.insightitem_id for link in add} | {pk for pk, _theme in remove})


def refresh_all() -> int:
    """Rebuild the index from every source (after an upgrade, or by `manage.py insight_sync`)."""
    return sum(refresh(source) for source in all_sources())


# Keeping in step ----------------------------------------------------------------------------

_state = threading.local()


class muted:
    """Within this block (in this thread) origin saves do not refresh rows one by one: a bulk
    import refreshes its own items at the end."""

    def __enter__(self):
        _state.muted = getattr(_state, "muted", 0) + 1

    def __exit__(self, *exc):
        _state.muted -= 1


def origin_changed(sender, instance=None, **kwargs):
    """Signal receiver: an origin item was saved or deleted; refresh its row after the commit.

    Each change registers its own on-commit refresh, so a transaction that rolls back drops
    exactly its own refreshes and nothing is left waiting."""
    if getattr(_state, "muted", 0) or kwargs.get("raw") or kwargs.get(
            "action", "post_").startswith("pre_"):
        return
    label = getattr(getattr(sender, "_meta", None), "label_lower", None)
    if label is None or label.startswith("insight."):
        return
    for source in all_sources():
        if label not in source.watched_models:
            continue
        ids = set(source.origin_ids_for(instance)) if instance is not None else set()
        if kwargs.get("reverse"):  # theme.feedback_items.add(...): pk_set are the origins
            ids = set(kwargs.get("pk_set") or ())
        ids.discard(None)
        if ids:
            transaction.on_commit(partial(_flush, source.origin, frozenset(ids)))


def _flush(origin: str, ids: frozenset) -> None:
    source = source_for(origin)
    if source is not None:
        refresh(source, ids)
