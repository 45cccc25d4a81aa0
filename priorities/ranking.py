"""Live rankings: the officers' weights, the evidence cache, and every neighbourhood's ranking.

The scoring arithmetic is in `scoring`, the discovery of evidence sources in `registry`. A
**ranking** (live, or frozen in a snapshot) is plain data::

    {"neighbourhood_id", "method", "weights", "totals", "since", "until", "participants",
     "priorities": [{"theme_id", "rank", "score", "people", "low_sample", "evidence"}]}

where ``evidence`` (also `SnapshotPriority.evidence`) maps a source group to
``{"count", "weight", "share", "people", "pages"}`` ("forums" adds ``occasions``, the number of
forums the votes came from; "assets" has only ``count``), and ``totals`` (also
`PrioritySnapshot.totals`) maps a source group to ``{"people", "count"}`` for the whole
neighbourhood.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.themes.models import Theme

from . import registry, scoring
from .models import ScoringWeights

VERSION_KEY = "priorities:evidence-version"
CACHE_TIMEOUT = 60 * 60  # a safety net: bulk loads that send no signals call evidence_changed()


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


def weights_for(neighbourhood) -> dict[str, float]:
    """The weights that apply to a neighbourhood (its own, else the default)."""
    weights = all_weights()
    return weights.get(getattr(neighbourhood, "pk", neighbourhood)) or weights[None]


def weights_instance(neighbourhood=None) -> ScoringWeights:
    """The row officers edit for a neighbourhood (or the default), unsaved if new."""
    row = ScoringWeights.objects.filter(neighbourhood=neighbourhood).first()
    if row is None:
        row = ScoringWeights(neighbourhood=neighbourhood, **default_weights())
    return row


# Cache ------------------------------------------------------------------------------------


def evidence_version() -> int:
    """The number in the live rankings' cache key; `evidence_changed` moves it on."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def evidence_changed(**kwargs) -> None:
    """Invalidate every cached live ranking (new evidence, weights or themes).

    A fresh random number, not `incr`: the database cache's incr is a read then a write, so two
    processes changing evidence at once could both write the same number.
    """
    cache.set(VERSION_KEY, secrets.randbits(62), None)


# Live rankings ----------------------------------------------------------------------------


def empty_ranking(neighbourhood_id, weights) -> dict:
    """A ranking without evidence (what a neighbourhood nobody has spoken about gets)."""
    return {"neighbourhood_id": neighbourhood_id, "method": scoring.METHOD_VERSION,
            "weights": weights, "totals": {}, "since": None, "until": None,
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


def _priority(score: scoring.ThemeScore, neighbourhood_id: int, evidence: registry.Evidence,
              scored: set[str], assets: int | None, low_sample: int) -> dict:
    """One ranked theme: its evidence per scored group and the people behind it."""
    entry = {"theme_id": score.theme_id, "rank": score.rank, "score": score.score,
             "evidence": {}}
    people = 0
    for group, grouped in sorted(score.groups.items()):
        if group not in scored:
            continue
        key = (group, neighbourhood_id, score.theme_id)
        theme_people = evidence.people.get(key)
        pages = sorted(evidence.pages.get(key, ()))
        item = {"count": grouped.count, "weight": round(grouped.weight, 3),
                "share": round(grouped.share, 4), "people": theme_people, "pages": pages}
        if group == "forums":
            item["occasions"] = len(pages)
            people += grouped.count  # each vote is one person's choice
        else:
            people += theme_people if theme_people is not None else grouped.count
        entry["evidence"][group] = item
    if assets:
        entry["evidence"]["assets"] = {"count": assets}
    entry["people"] = people
    entry["low_sample"] = people < low_sample
    return entry


def compute_rankings(since: date | None = None, until: date | None = None) -> dict[int, dict]:
    """Every neighbourhood's ranking from the evidence, uncached (see `live_rankings`)."""
    evidence = registry.collect(since, until)
    weights = all_weights()
    ranked = scoring.rank(evidence.rows, weights,
                          dict(Theme.objects.values_list("pk", "name")))
    totals, dates, context = _tally(evidence)
    scored, low_sample = set(weights[None]), low_sample_people()
    result = {}
    for neighbourhood_id in set(ranked) | set(totals) | set(evidence.participants):
        ranking = empty_ranking(neighbourhood_id, weights.get(neighbourhood_id) or weights[None])
        ranking["totals"] = {group: dict(values)
                             for group, values in totals.get(neighbourhood_id, {}).items()}
        if dates.get(neighbourhood_id):
            ranking["since"] = min(dates[neighbourhood_id]).isoformat()
            ranking["until"] = max(dates[neighbourhood_id]).isoformat()
        ranking["participants"] = {f"{c}|{k}": n for (c, k), n in
                                   evidence.participants.get(neighbourhood_id, {}).items()}
        ranking["priorities"] = [
            _priority(score, neighbourhood_id, evidence, scored,
                      context.get((neighbourhood_id, score.theme_id)), low_sample)
            for score in ranked.get(neighbourhood_id, [])]
        result[neighbourhood_id] = ranking
    return result


def live_rankings() -> dict[int, dict]:
    """Every neighbourhood's live ranking, cached until the evidence changes."""
    key = f"priorities:live:{evidence_version()}"
    rankings = cache.get(key)
    if rankings is None:
        rankings = compute_rankings()
        cache.set(key, rankings, CACHE_TIMEOUT)
    return rankings


def live_ranking(neighbourhood) -> dict:
    """One neighbourhood's live ranking (an empty one when there is no evidence)."""
    neighbourhood_id = getattr(neighbourhood, "pk", neighbourhood)
    ranking = live_rankings().get(neighbourhood_id)
    return ranking or empty_ranking(neighbourhood_id, weights_for(neighbourhood_id))
