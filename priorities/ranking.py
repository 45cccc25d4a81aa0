"""Live rankings: the officers' multipliers, the stored rankings, every neighbourhood's ranking.

Pages never compute: evidence changes mark the stored rankings stale (`evidence_changed`) and
queue `tasks.refresh_rankings`, which computes them (`compute_rankings`) off the request and
stores them (`store_rankings`: shared cache and a `RankingRun` row); pages serve the latest with
its time (`live_rankings`, `ranking_status`).

The scoring arithmetic is in `scoring`, the discovery of evidence sources in `registry`. A
**ranking** (live, or rebuilt from a snapshot by `snapshot_as_ranking`) is plain data::

    {"neighbourhood_id", "method", "multipliers", "weights", "need_weighting", "sensitivity",
     "totals", "since", "until", "participants",
     "priorities": [{"theme_id", "rank", "score", "interval", "tied", "too_close", "people",
                     "low_sample", "evidence"}]}

Live rankings use method v2 (``scoring.METHOD_VERSION``, "share-of-people/2"): ``score`` is
the share of the people heard from (0..1), ``interval`` its 95% interval ``[low, high]``
(None for v1 snapshots), ``tied`` and ``too_close`` compare it with its neighbours, and
``sensitivity`` says whether the top three would change (`scoring.sensitivity`; ``{}`` without
evidence or for v1). ``weights`` is the same dict as ``multipliers`` (its name before v2).
``evidence`` (also `SnapshotPriority.evidence`) maps a source group to ``{"count", "weight",
"share", "people", "pages"}`` (v2: ``share`` is the theme's people over the people the source
heard from; "forums" adds ``occasions``, the number of forums the votes came from; "assets" has
only ``count``), and ``totals`` (also `PrioritySnapshot.totals`) maps a source group to
``{"people", "count"}`` for the whole neighbourhood.
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import disclosure
from portal.neighbourhoods.content_cache import content_changed
from portal.themes.models import Theme

from . import registry, scoring
from .models import PrioritySnapshot, RankingRun, ScoringWeights

VERSION_KEY = "priorities:evidence-version"
STORE_KEY = "priorities:live-rankings"
STORE_TIMEOUT = 24 * 60 * 60  # after that the database row refills it


@dataclass(frozen=True)
class StoredRankings:
    """Rankings as the job computed them: {neighbourhood id: ranking}, for `version`."""

    version: int
    computed_at: datetime
    rankings: dict[int, dict]


@dataclass(frozen=True)
class RankingStatus:
    """What the pages say: computed at (None: never yet), stale (an update is coming)."""

    computed_at: datetime | None
    stale: bool


def low_sample_people() -> int:
    """A priority resting on fewer people than this carries a caution."""
    return getattr(settings, "PRIORITIES_LOW_SAMPLE_PEOPLE", 30)


def group_labels() -> dict[str, str]:
    """The source groups' names, in the active language."""
    return {"surveys": _("Surveys"), "forums": _("Forums"),
            "feedback": _("Community feedback"), "assets": _("Community assets")}


# Weights ----------------------------------------------------------------------------------


def default_weights() -> dict[str, float]:
    """The default row's weights, or 1 for every source when officers have set none."""
    row = ScoringWeights.objects.filter(neighbourhood__isnull=True).first()
    return row.as_dict() if row else {source: 1.0 for source in ScoringWeights.SOURCES}


def all_weights() -> dict[int | None, dict[str, float]]:
    """{neighbourhood id or None (the default): {source group: weight}} in one query."""
    weights: dict[int | None, dict[str, float]] = {
        None: {source: 1.0 for source in ScoringWeights.SOURCES}}
    for row in ScoringWeights.objects.all():
        weights[row.neighbourhood_id] = row.as_dict()
    return weights


def need_weighting_settings() -> dict[int | None, bool]:
    """{neighbourhood id or None (the default): need weighting on?} in one query."""
    found: dict[int | None, bool] = {None: False}
    for neighbourhood_id, on in ScoringWeights.objects.values_list("neighbourhood_id",
                                                                   "need_weighting"):
        found[neighbourhood_id] = on
    return found


def weights_for(neighbourhood) -> dict[str, float]:
    """The weights that apply to a neighbourhood (its own, else the default)."""
    weights = all_weights()
    return weights.get(getattr(neighbourhood, "pk", neighbourhood)) or weights[None]


def weights_instance(neighbourhood=None) -> ScoringWeights:
    """The row officers edit for a neighbourhood (or the default), unsaved if new."""
    row = ScoringWeights.objects.filter(neighbourhood=neighbourhood).first()
    if row is None:
        default = ScoringWeights.objects.filter(neighbourhood__isnull=True).first()
        row = ScoringWeights(neighbourhood=neighbourhood, **default_weights(),
                             need_weighting=bool(default and default.need_weighting))
    return row


# Cache ------------------------------------------------------------------------------------


def evidence_version() -> int:
    """The evidence's current version; `evidence_changed` moves it on, and stored rankings
    computed for another version are stale."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def evidence_changed(queue: bool = True, **kwargs) -> None:
    """Mark the stored rankings stale (new evidence, weights or themes) and, unless `queue` is
    False, queue their refresh once the current transaction commits (so it sees the change).

    A fresh random number, not `incr`: the database cache's incr is a read then a write, so two
    processes changing evidence at once could both write the same number.
    """
    cache.set(VERSION_KEY, secrets.randbits(62), None)
    content_changed()  # pages cached against the content version show the ranking's status
    if queue:
        from .tasks import request_refresh  # tasks imports this module

        transaction.on_commit(request_refresh)


# Live rankings ----------------------------------------------------------------------------


def empty_ranking(neighbourhood_id, weights, need_weighting: bool = False) -> dict:
    """A ranking without evidence (what a neighbourhood nobody has spoken about gets)."""
    return {"neighbourhood_id": neighbourhood_id, "method": scoring.METHOD_VERSION,
            "multipliers": weights, "weights": weights, "need_weighting": need_weighting,
            "sensitivity": {}, "totals": {}, "since": None, "until": None,
            "priorities": [], "participants": {}}


def _tally(evidence: registry.Evidence):
    """Per neighbourhood: the totals per group, the evidence's dates, and the context counts
    (assets) per theme, which `scoring.rank` does not keep."""
    totals: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: {"people": None,
                                                                       "count": 0}))
    dates: dict[int, list] = defaultdict(list)
    context: dict[tuple, int] = defaultdict(int)
    for neighbourhood_id, theme_id, group, _weight, count, day, _source in evidence.rows:
        totals[neighbourhood_id][group]["count"] += count
        if group in evidence.context_groups:
            context[(neighbourhood_id, theme_id)] += count
        elif day:
            dates[neighbourhood_id].append(day)
    for (group, neighbourhood_id, theme_id), people in evidence.people.items():
        if theme_id is None:
            totals[neighbourhood_id][group]["people"] = people
    return totals, dates, context


def people_behind(evidence: dict) -> int:
    """The people behind a priority's evidence: survey respondents and feedback people where
    known, else answers or items, plus forum votes (each vote one person's choice)."""
    people = 0
    for group, item in evidence.items():
        if group not in scoring.SCORED_GROUPS:
            continue
        known = item.get("people")
        people += item.get("count", 0) if group == "forums" or known is None else known
    return people


def _priority(score: scoring.ThemeScore, neighbourhood_id: int, evidence: registry.Evidence,
              assets: int | None, low_sample: int) -> dict:
    """One ranked theme: score, interval, its evidence per scored group, the people behind."""
    entry = {"theme_id": score.theme_id, "rank": score.rank, "score": score.score,
             "interval": list(score.interval) if score.interval else None,
             "tied": score.tied, "too_close": score.too_close, "evidence": {}}
    for group, grouped in sorted(score.groups.items()):
        key = (group, neighbourhood_id, score.theme_id)
        pages = sorted(evidence.pages.get(key, ()))
        item = {"count": grouped.count, "weight": round(grouped.weight, 3),
                "share": round(grouped.share, 4), "people": evidence.people.get(key),
                "pages": pages}
        if group == "forums":
            item["occasions"] = len(pages)
        entry["evidence"][group] = item
    if assets:
        entry["evidence"]["assets"] = {"count": assets}
    entry["people"] = people_behind(entry["evidence"])
    entry["low_sample"] = entry["people"] < low_sample
    return entry


def _frame(neighbourhood_id, evidence, weights, need, totals, dates) -> dict:
    """A neighbourhood's ranking without its priorities: settings, totals, dates, who."""
    ranking = empty_ranking(neighbourhood_id, weights.get(neighbourhood_id) or weights[None],
                            need.get(neighbourhood_id, need[None]))
    ranking["totals"] = {group: dict(values)
                         for group, values in totals.get(neighbourhood_id, {}).items()}
    if dates.get(neighbourhood_id):
        ranking["since"] = min(dates[neighbourhood_id]).isoformat()
        ranking["until"] = max(dates[neighbourhood_id]).isoformat()
    ranking["participants"] = {f"{c}|{k}": n for (c, k), n in
                               evidence.participants.get(neighbourhood_id, {}).items()}
    return ranking


def need_weighting_disclosable(need: dict[tuple, int], neighbourhood_id) -> bool:
    """Whether need weighting may apply in a neighbourhood without giving a small number away.

    Weighted scores and the public multipliers and factors let anyone work out the weighted
    count of respondents (for example 1.5 x those from the most deprived fifth + 1.25 x the
    next fifth). So weighting applies only where each quintile it weights holds no respondents
    or at least the disclosure threshold; elsewhere the ranking says it was withheld.
    """
    limit = disclosure.threshold()
    for (_group, found_id, theme_id, quintile), people in need.items():
        if (found_id == neighbourhood_id and theme_id is None
                and scoring.need_factor(quintile) != 1 and 0 < people < limit):
            return False
    return True


def compute_rankings(since: date | None = None, until: date | None = None) -> dict[int, dict]:
    """Every neighbourhood's ranking by method v2 from the evidence, uncached: scores,
    intervals, neighbours' flags and the top three's sensitivity. Called by the refresh job
    (`tasks.refresh_rankings`) and officers' snapshots, never by a page (see `live_rankings`)."""
    evidence = registry.collect(since, until)
    weights, need = all_weights(), need_weighting_settings()
    totals, dates, context = _tally(evidence)
    neighbourhood_ids = set(totals) | set(evidence.participants)
    asked = {n for n in neighbourhood_ids if need.get(n, need[None])}
    need_on = {n for n in asked if need_weighting_disclosable(evidence.need, n)}
    sources = scoring.gather(evidence.rows, evidence.people, weights[None], evidence.need,
                             need_on)
    names, low_sample = dict(Theme.objects.values_list("pk", "name")), low_sample_people()
    result = {}
    for neighbourhood_id in neighbourhood_ids | set(sources):
        ranking = _frame(neighbourhood_id, evidence, weights, need, totals, dates)
        ranking["need_weighting"] = neighbourhood_id in need_on
        ranking["need_weighting_withheld"] = neighbourhood_id in asked - need_on
        found = sources.get(neighbourhood_id, {})
        ranking["priorities"] = [
            _priority(score, neighbourhood_id, evidence,
                      context.get((neighbourhood_id, score.theme_id)), low_sample)
            for score in scoring.rank_people(found, ranking["multipliers"], names)]
        ranking["sensitivity"] = scoring.sensitivity(found, ranking["multipliers"], names)
        result[neighbourhood_id] = ranking
    return result


def stored_rankings() -> StoredRankings | None:
    """The latest rankings the job computed, from the cache, else from the database (a cold
    cache never makes a request compute); None when none has been computed yet."""
    entry = cache.get(STORE_KEY)
    if entry is None:
        run = RankingRun.objects.order_by("-computed_at").first()
        if run is None:
            return None
        entry = _entry(run.evidence_version, run.computed_at, run.rankings)
        cache.add(STORE_KEY, entry, STORE_TIMEOUT)  # add: never over a newer one just stored
    return StoredRankings(**entry)


def store_rankings(version: int, rankings: dict[int, dict]) -> StoredRankings:
    """Keep freshly computed rankings (for `version` of the evidence) in the database, as the
    only `RankingRun`, and in the shared cache. Called by the job, never by a request."""
    plain = json.loads(json.dumps({str(k): v for k, v in rankings.items()},
                                  cls=DjangoJSONEncoder))
    fields = {"computed_at": timezone.now(), "evidence_version": version, "rankings": plain}
    if not RankingRun.objects.update(**fields):  # one row, kept up to date (the job's lock
        RankingRun.objects.create(**fields)  # stops two workers writing at once)
    entry = _entry(version, fields["computed_at"], plain)
    cache.set(STORE_KEY, entry, STORE_TIMEOUT)
    content_changed()  # pages cached against the content version show these rankings
    return StoredRankings(**entry)


def _entry(version, computed_at, rankings: dict) -> dict:
    return {"version": int(version), "computed_at": computed_at,
            "rankings": {int(key): value for key, value in rankings.items()}}


def current_rankings() -> tuple[dict[int, dict], RankingStatus]:
    """Every neighbourhood's latest computed ranking and its status, never computed here.

    When nothing is stored yet, or the evidence has moved on since, a refresh is queued
    (debounced, see `tasks.request_refresh`) and the stored rankings are served meanwhile
    ({} when there are none yet; pages then say the ranking is being worked out).
    """
    stored = stored_rankings()
    version = evidence_version()
    if stored is None or stored.version != version:
        from .tasks import request_refresh  # tasks imports this module

        if request_refresh():  # an immediate task backend (tests) has run the job already
            stored, version = stored_rankings(), evidence_version()
    if stored is None:
        return {}, RankingStatus(computed_at=None, stale=True)
    return stored.rankings, RankingStatus(stored.computed_at, stored.version != version)


def ranking_status() -> RankingStatus:
    """The served rankings' status (see `current_rankings`), without queueing anything."""
    stored = stored_rankings()
    if stored is None:
        return RankingStatus(computed_at=None, stale=True)
    return RankingStatus(stored.computed_at, stored.version != evidence_version())


def live_rankings() -> dict[int, dict]:
    """Every neighbourhood's latest computed ranking (see `current_rankings`)."""
    return current_rankings()[0]


def live_ranking(neighbourhood, rankings: dict[int, dict] | None = None) -> dict:
    """One neighbourhood's live ranking (an empty one when there is no evidence), from
    `rankings` when given (what `live_rankings` returned), else from `live_rankings`."""
    neighbourhood_id = getattr(neighbourhood, "pk", neighbourhood)
    ranking = (live_rankings() if rankings is None else rankings).get(neighbourhood_id)
    if ranking:
        return ranking
    need = need_weighting_settings()
    return empty_ranking(neighbourhood_id, weights_for(neighbourhood_id),
                         need.get(neighbourhood_id, need[None]))


def snapshot_as_ranking(snapshot: PrioritySnapshot) -> dict:
    """A snapshot as a ranking (the shape of a live one), in its own method: v1 snapshots keep
    "share-of-attention/1", no intervals (None) and no sensitivity ({})."""
    ranking = empty_ranking(snapshot.neighbourhood_id, snapshot.weights or {},
                            snapshot.need_weighting)
    ranking.update(method=snapshot.method, sensitivity=snapshot.sensitivity or {},
                   totals=snapshot.totals or {},
                   since=str(snapshot.evidence_since) if snapshot.evidence_since else None,
                   until=str(snapshot.evidence_until) if snapshot.evidence_until else None)
    for priority in sorted(snapshot.priorities.all(), key=lambda p: p.rank):
        known = priority.interval_low is not None and priority.interval_high is not None
        people = people_behind(priority.evidence or {})
        ranking["priorities"].append({
            "theme_id": priority.theme_id, "rank": priority.rank, "score": priority.score,
            "interval": [priority.interval_low, priority.interval_high] if known else None,
            "people": people, "low_sample": priority.low_sample,
            "evidence": priority.evidence or {}})
    flags = scoring.neighbour_flags([p["score"] for p in ranking["priorities"]],
                                    [p["interval"] for p in ranking["priorities"]])
    for entry, (tied, close) in zip(ranking["priorities"], flags, strict=True):
        entry["tied"], entry["too_close"] = tied, close
    return ranking
