"""The scoring methods: v2 "share-of-people/2" (live rankings) and v1 (old snapshots).

Pure Python over plain numbers, so it can be checked by hand.

Method v2, ``share-of-people/2``
================================

Evidence counts **people**, not rows. For one neighbourhood and each scored source group
``s`` (surveys, forums, community feedback):

- ``T[s]``, the people the source heard from there: survey respondents; forum attendance
  (the recorded attendance of its forums, or at least the votes for the most-voted theme);
  the people counted in community feedback items (the sum of their ``people_count``);
- ``P[s][t]``, the people behind theme ``t``: respondents who chose, ranked or agreed with it;
  votes for it (each vote one person's choice); the ``people_count`` of the items coded to it.
  Where a source gives no people for a theme, the count of its evidence stands in.

With the officers' **multipliers** ``m[s]`` (1 unless set)::

    score(t) = sum(m[s] * P[s][t]) / sum(m[s] * T[s])

over the sources with ``T[s] > 0`` and ``m[s] > 0``. It is a fraction 0..1, shown as a
percentage: "41% of the people we heard from raised it". The **95% interval** is the Wilson
score interval for that fraction with ``n`` the effective number of people (Kish)
``sum(m*T)**2 / sum(m*m*T)``, which is the number of people when every multiplier is 1.

Themes are ranked by score (6 decimal places), ties by people (more first) then name. A theme
is ``tied`` when its score equals a neighbour's, and ``too_close`` (to call) when its interval
overlaps the next-ranked theme's.

**Need weighting** (proportionate universalism; off unless an officer turns it on): a person
whose home area is in England's most deprived fifth (IMD quintile 1) counts 1.5, the next fifth
1.25, everyone else and unknown areas 1, in ``P`` and ``T`` of the sources that give
``people_by_need`` (surveys).

Worked example (a small neighbourhood, all multipliers 1; `tests/priorities/
test_scoring_v2.py` repeats it)::

    source     T    Housing  Safety  Air quality
    surveys    40   18       10      6
    forums     10   2        7       0      (10 attended; votes)
    feedback   10   4        2       6      (people in the items coded to each)
    all        60   24       19      12
    score           24/60    19/60   12/60
                    = 40%    = 32%   = 20%
    95% interval    29%-53%  21%-44% 12%-32%   (Wilson, n = 60)

Housing is first and Safety second, but their intervals overlap: "too close to call".
With surveys' multiplier 2 the denominator is 2x40 + 10 + 10 = 100: Housing (36 + 2 + 4) /
100 = 42%, Safety 29%, Air quality 18%, with n = 100**2 / (4x40 + 10 + 10) = 55.6.

`sensitivity` reruns the ranking with each source left out, and each multiplier halved and
raised by half, and reports whether the top three change.

Method v1, ``share-of-attention/1`` (kept for snapshots frozen with it)
========================================================================

1. Rows are grouped by source group (surveys, forums, feedback). Within a group, a theme's
   **share of attention** is the weight of its evidence divided by the weight of all the
   group's evidence in that neighbourhood (so each group's shares add up to 1, however many
   responses, votes or items it has; a big survey cannot drown out a forum by size alone).
2. The **score** of a theme is the weighted average of its shares:
   ``sum(weight[g] * share[g]) / sum(weight[g] for groups g that have evidence here)``.
   A group without evidence in the neighbourhood, or with weight 0, is left out of both sums,
   so missing evidence neither helps nor hurts. Scores lie between 0 and 1.
3. Themes are **ranked** by score (rounded to 6 decimal places, so floating-point noise cannot
   reorder equal scores), ties broken by the total count of evidence behind them (more first),
   then by theme name (A to Z), so the ranking is fully deterministic.

Groups not in `weights` (assets, which are context) are ignored here.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

METHOD_VERSION_V1 = "share-of-attention/1"
METHOD_VERSION_V2 = "share-of-people/2"
METHOD_VERSION = METHOD_VERSION_V2  # what live rankings use
SCORED_GROUPS = ("surveys", "forums", "feedback")


@dataclass
class GroupEvidence:
    weight: float = 0.0  # the evidence's summed weight (points, votes, items)
    count: int = 0  # answers, votes or items behind it
    share: float = 0.0  # weight / the group's total weight in the neighbourhood


@dataclass
class ThemeScore:
    theme_id: int
    score: float
    rank: int = 0
    count: int = 0
    groups: dict[str, GroupEvidence] = field(default_factory=dict)
    # v2 only: the people behind it, its 95% interval, and how it stands against neighbours.
    people: float = 0.0
    interval: tuple[float, float] | None = None
    tied: bool = False
    too_close: bool = False


def rank(rows: Iterable[tuple], weights: Mapping[int | None, Mapping[str, float]],
         theme_names: Mapping[int, str]) -> dict[int, list[ThemeScore]]:
    """Ranked themes per neighbourhood by method v1 (share of attention).

    `rows` are ``(neighbourhood_id, theme_id, group, weight, count)`` (extra items ignored);
    `weights` maps a neighbourhood id to ``{group: weight}``, with ``None`` as the default for
    neighbourhoods without their own; `theme_names` gives the names ties are broken by.
    """
    evidence: dict[int, dict[str, dict[int, GroupEvidence]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(GroupEvidence)))
    default = weights.get(None, {})
    for row in rows:
        neighbourhood_id, theme_id, group, weight, count = row[:5]
        if group not in default and group not in weights.get(neighbourhood_id, {}):
            continue
        entry = evidence[neighbourhood_id][group][theme_id]
        entry.weight += weight
        entry.count += count

    result = {}
    for neighbourhood_id, groups in evidence.items():
        group_weights = weights.get(neighbourhood_id) or default
        themes: dict[int, ThemeScore] = {}
        total_weight = 0.0
        for group, by_theme in groups.items():
            group_total = sum(entry.weight for entry in by_theme.values())
            weight = float(group_weights.get(group, 0))
            if group_total > 0 and weight > 0:
                total_weight += weight
            for theme_id, entry in by_theme.items():
                entry.share = entry.weight / group_total if group_total > 0 else 0.0
                score = themes.setdefault(theme_id, ThemeScore(theme_id, 0.0))
                score.groups[group] = entry
                score.count += entry.count
                if group_total > 0 and weight > 0:
                    score.score += weight * entry.share
        ranked = []
        for score in themes.values():
            score.score = round(score.score / total_weight, 6) if total_weight else 0.0
            ranked.append(score)
        ranked.sort(key=lambda s: (-s.score, -s.count, theme_names.get(s.theme_id, "")))
        for position, score in enumerate(ranked, start=1):
            score.rank = position
        result[neighbourhood_id] = ranked
    return result


# Method v2: share of people --------------------------------------------------------------

# A person whose home area is in this national IMD quintile counts this much when need
# weighting is on (1 = the most deprived fifth of England); other quintiles and unknown count 1.
NEED_FACTORS = {1: 1.5, 2: 1.25}
Z_95 = 1.959964  # the normal distribution's 97.5th percentile
TOP = 3  # the top themes `sensitivity` watches
HALF, MORE = 0.5, 1.5  # how far `sensitivity` moves one multiplier


@dataclass
class SourcePeople:
    """One source group in one neighbourhood: ``T`` (people it heard from), ``P`` per theme
    (need-weighted when that is on), the unweighted people per theme, and its rows' evidence."""

    total: float = 0.0
    by_theme: dict[int, float] = field(default_factory=dict)
    raw: dict[int, float] = field(default_factory=dict)
    evidence: dict[int, GroupEvidence] = field(default_factory=dict)


def need_factor(quintile) -> float:
    """How much a person from an area in this national IMD quintile counts (need weighting)."""
    return NEED_FACTORS.get(quintile, 1.0)


def gather(rows: Iterable[tuple], people: Mapping[tuple, float], groups: Iterable[str],
           need: Mapping[tuple, float] | None = None,
           need_weighted: Iterable[int] = ()) -> dict[int, dict[str, SourcePeople]]:
    """`SourcePeople` per neighbourhood and scored group, from plain evidence.

    `rows` are ``(neighbourhood_id, theme_id, group, weight, count, ...)``; `people` maps
    ``(group, neighbourhood_id, theme_id or None)`` to people (None: everyone it heard from);
    `need` maps ``(group, neighbourhood_id, theme_id or None, quintile)`` to the people among
    those from areas of that quintile, used for the neighbourhoods in `need_weighted`. Where
    no people are given for a theme its rows' count stands in; ``T`` is at least the largest
    ``P``, so no share exceeds 1. Groups not in `groups` (assets) are left out.
    """
    groups, weighted = set(groups), set(need_weighted)
    found: dict[int, dict[str, SourcePeople]] = defaultdict(lambda: defaultdict(SourcePeople))
    for row in rows:
        neighbourhood_id, theme_id, group, weight, count = row[:5]
        if group in groups:
            entry = found[neighbourhood_id][group].evidence.setdefault(theme_id,
                                                                       GroupEvidence())
            entry.weight += weight
            entry.count += count
    extra: dict[tuple, float] = defaultdict(float)  # what need weighting adds
    for (group, neighbourhood_id, theme_id, quintile), count in (need or {}).items():
        if neighbourhood_id in weighted and group in groups:
            extra[(group, neighbourhood_id, theme_id)] += (need_factor(quintile) - 1) * count
    for neighbourhood_id, by_group in found.items():
        for group, source in by_group.items():
            for theme_id, entry in source.evidence.items():
                known = people.get((group, neighbourhood_id, theme_id))
                source.raw[theme_id] = float(entry.count if known is None else known)
                source.by_theme[theme_id] = (source.raw[theme_id]
                                             + extra.get((group, neighbourhood_id, theme_id), 0))
            known = people.get((group, neighbourhood_id, None))
            total = float(sum(e.count for e in source.evidence.values())
                          if known is None else known)
            total += extra.get((group, neighbourhood_id, None), 0)
            source.total = max(total, max(source.by_theme.values(), default=0.0))
    return {n: dict(by_group) for n, by_group in found.items()}


def wilson_interval(p: float, n: float, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval (95% by default) of a proportion `p` of `n` people, rounded
    to 6 decimal places; None without people."""
    if n <= 0:
        return None
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(max(p * (1 - p) / n + z2 / (4 * n * n), 0.0))
    return round(max(centre - half, 0.0), 6), round(min(centre + half, 1.0), 6)


def effective_people(sources: Mapping[str, SourcePeople],
                     multipliers: Mapping[str, float]) -> float:
    """Kish's effective sample size ``sum(m*T)**2 / sum(m*m*T)`` over the counted sources
    (the number of people when every multiplier is 1)."""
    counted = _counted(sources, multipliers)
    weighted = sum(m * s.total for m, s in counted)
    squared = sum(m * m * s.total for m, s in counted)
    return weighted * weighted / squared if squared else 0.0


def _counted(sources, multipliers) -> list[tuple[float, SourcePeople]]:
    """(multiplier, source) for the sources that count: people heard from and multiplier > 0."""
    counted = []
    for group, source in sorted(sources.items()):
        multiplier = float(multipliers.get(group, 0) or 0)
        if source.total > 0 and multiplier > 0:
            counted.append((multiplier, source))
    return counted


def _scores(sources, multipliers) -> dict[int, float]:
    """score(t) = sum(m * P[t]) / sum(m * T), rounded to 6 places, for every theme."""
    counted = _counted(sources, multipliers)
    denominator = sum(m * s.total for m, s in counted)
    themes = set().union(*(s.evidence for s in sources.values())) if sources else set()
    return {theme_id: round(sum(m * s.by_theme.get(theme_id, 0.0) for m, s in counted)
                            / denominator, 6) if denominator else 0.0
            for theme_id in themes}


def _order(scores: Mapping[int, float], sources, theme_names) -> list[int]:
    """Theme ids by score, then people (more first), then name."""
    people = {theme_id: sum(s.raw.get(theme_id, 0.0) for s in sources.values())
              for theme_id in scores}
    return sorted(scores, key=lambda t: (-scores[t], -people[t], theme_names.get(t, ""), t))


def neighbour_flags(scores: list[float],
                    intervals: list[tuple[float, float] | None]) -> list[tuple[bool, bool]]:
    """(tied, too_close) for each of a ranking's themes, best first: tied when its score
    equals a neighbour's, too close when its interval overlaps the next-ranked one's."""
    flags = []
    for i, score in enumerate(scores):
        tied = any(0 <= j < len(scores) and scores[j] == score for j in (i - 1, i + 1))
        here, after = intervals[i], intervals[i + 1] if i + 1 < len(scores) else None
        close = bool(here and after and here[0] <= after[1] and after[0] <= here[1])
        flags.append((tied, close))
    return flags


def rank_people(sources: Mapping[str, SourcePeople], multipliers: Mapping[str, float],
                theme_names: Mapping[int, str]) -> list[ThemeScore]:
    """One neighbourhood's themes ranked by method v2 (share of people), with intervals.

    `sources` come from `gather`; `multipliers` are the officers' ``{group: multiplier}``.
    """
    scores = _scores(sources, multipliers)
    people = effective_people(sources, multipliers)
    ranked = []
    for position, theme_id in enumerate(_order(scores, sources, theme_names), start=1):
        score = ThemeScore(theme_id, scores[theme_id], rank=position,
                           interval=wilson_interval(scores[theme_id], people))
        for group, source in sorted(sources.items()):
            entry = source.evidence.get(theme_id)
            if entry is None:
                continue
            entry.share = source.by_theme[theme_id] / source.total if source.total else 0.0
            score.groups[group] = entry
            score.count += entry.count
            score.people += source.raw[theme_id]
        ranked.append(score)
    flags = neighbour_flags([s.score for s in ranked], [s.interval for s in ranked])
    for score, (tied, close) in zip(ranked, flags, strict=True):
        score.tied, score.too_close = tied, close
    return ranked


def top_themes(sources: Mapping[str, SourcePeople], multipliers: Mapping[str, float],
               theme_names: Mapping[int, str], top: int = TOP) -> list[int]:
    """The ids of the `top` best-scoring themes with a score above 0, best first."""
    scores = _scores(sources, multipliers)
    return [t for t in _order(scores, sources, theme_names) if scores[t] > 0][:top]


def sensitivity(sources: Mapping[str, SourcePeople], multipliers: Mapping[str, float],
                theme_names: Mapping[int, str]) -> dict:
    """Would the top three change if one source were left out, or one multiplier halved or
    raised by half? ``{}`` without evidence, else ``{"top", "stable", "scenarios"}``.

    A scenario is ``{"key", "top", "changes_members", "changes_order"}`` with key
    ``without:<group>`` (only when another source still counts), ``half:<group>`` or
    ``more:<group>`` (x1.5), for each source that counts here. ``stable`` means no scenario
    changes which themes are in the top three (their order may still change).
    """
    baseline = top_themes(sources, multipliers, theme_names)
    if not baseline:
        return {}
    counted = [g for g, s in sorted(sources.items())
               if s.total > 0 and float(multipliers.get(g, 0) or 0) > 0]
    scenarios = []
    for group in counted:
        current = float(multipliers[group])
        moves = ([("without", 0.0)] if len(counted) > 1 else []) + [
            ("half", current * HALF), ("more", current * MORE)]
        for name, value in moves:
            top = top_themes(sources, {**multipliers, group: value}, theme_names)
            scenarios.append({"key": f"{name}:{group}", "top": top,
                              "changes_members": set(top) != set(baseline),
                              "changes_order": top != baseline})
    return {"top": baseline, "scenarios": scenarios,
            "stable": not any(s["changes_members"] for s in scenarios)}
