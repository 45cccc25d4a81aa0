"""The small-number rules: which counts, shares and scores the public may not see.

A count about people below the threshold is shown as "fewer than N"; a share or score resting
on such a count is hidden too; and when exactly one number in a set is hidden, the next
smallest is hidden as well (secondary suppression), because the public total minus the numbers
shown would otherwise give it away. Officers' admin pages show exact figures.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings

from . import scoring
from .ranking import group_labels


def threshold() -> int:
    """Counts about people below this are shown as "fewer than N"."""
    return getattr(settings, "PORTAL_SUPPRESSION_THRESHOLD", 5) or 5


def group_suppressed(group: str, item: dict, totals: dict, limit: int | None = None) -> bool:
    """Whether `wording.evidence_sentences` shows this group's number as "fewer than N"."""
    limit = limit or threshold()
    if group == "surveys":
        respondents = (totals.get("surveys") or {}).get("people")
        chose = item.get("people")
        if chose and respondents:
            return respondents < limit or chose < limit
    return item.get("count", 0) < limit


def hidden_groups(ranking: dict) -> dict[int, set[str]]:
    """Per theme, the scored groups whose numbers the public may not see.

    Primary: counts below the threshold. Secondary: when exactly one theme's count in a group
    is hidden, the group's total (shown publicly) minus the other themes' counts would give it
    away, so the next smallest count in that group is hidden too.
    """
    limit, totals = threshold(), ranking.get("totals", {})
    hidden: dict[int, set[str]] = defaultdict(set)
    for group in scoring.SCORED_GROUPS:
        entries = [(p["theme_id"], p["evidence"][group]) for p in ranking["priorities"]
                   if group in p["evidence"]]
        primary = [theme for theme, item in entries
                   if group_suppressed(group, item, totals, limit)]
        for theme in primary:
            hidden[theme].add(group)
        shown = [(item.get("people") or item.get("count", 0), theme) for theme, item in entries
                 if theme not in primary]
        if len(primary) == 1 and shown:
            hidden[min(shown, key=lambda pair: pair[0])[1]].add(group)
    return dict(hidden)


def hidden_scores(ranking: dict, hidden: dict[int, set[str]] | None = None) -> set[int]:
    """Themes whose score the public may not see: it rests on a hidden number.

    A score is the weighted average of the theme's shares, and all themes' scores add up to 1,
    so a lone hidden score is complemented by the next smallest one.
    """
    hidden = hidden_groups(ranking) if hidden is None else hidden
    weights = ranking.get("weights", {})
    themes = {p["theme_id"] for p in ranking["priorities"]
              if any(float(weights.get(g, 0)) > 0 for g in hidden.get(p["theme_id"], ()))}
    if len(themes) == 1:
        rest = [(p["score"], p["theme_id"]) for p in ranking["priorities"]
                if p["theme_id"] not in themes]
        if rest:
            themes.add(min(rest)[1])
    return themes


def public_totals(totals: dict) -> list[dict]:
    """Sample sizes per source for the public: people and counts, small numbers hidden."""
    limit, labels, rows = threshold(), group_labels(), []
    for group in scoring.SCORED_GROUPS:
        values = totals.get(group)
        if not values:
            continue
        people, count = values.get("people"), values.get("count", 0)
        rows.append({"group": group, "label": labels[group],
                     "people": None if people is None or people < limit else people,
                     "people_known": people is not None,
                     "count": count if count >= limit else None})
    return rows
