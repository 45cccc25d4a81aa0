"""The scoring method: each source's share of attention per theme, weighted and combined.

Pure Python over plain rows, so it can be checked by hand. For one neighbourhood:

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

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

METHOD_VERSION = "share-of-attention/1"
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


def rank(rows: Iterable[tuple], weights: Mapping[int | None, Mapping[str, float]],
         theme_names: Mapping[int, str]) -> dict[int, list[ThemeScore]]:
    """Ranked themes per neighbourhood.

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
