"""Which numbers of a ranking the public may see: priorities' tables for `portal.disclosure`.

A ranking's evidence is one table per source group (surveys, forums, community feedback), a
cell per theme, and the public sees each group's total ("People and evidence behind the
ranking"). The core's `suppress_group` decides which cells to hide, so that no small number
can be worked out from the total and the numbers shown; a share or score resting on a hidden
cell is hidden too. The same rules apply to a snapshot (what plans and adopted priorities
show). Officers' admin pages show exact figures.
"""

from __future__ import annotations

from collections import defaultdict

from portal import disclosure
from portal.disclosure import threshold

from . import scoring
from .ranking import group_labels

__all__ = ["group_suppressed", "hidden_groups", "hidden_scores", "public_totals",
           "snapshot_ranking", "threshold"]


def _people(group: str, item: dict) -> int:
    """The number of people a cell counts: survey respondents choosing the theme where
    known, else answers, votes or items."""
    return (item.get("people") if group == "surveys" else None) or item.get("count", 0)


def _group_total(group: str, entries: list[tuple[int, dict]], totals: dict) -> int | None:
    """The group's total as the public sees it: survey respondents where the cells count
    people, else the count of answers, votes or items."""
    values = totals.get(group) or {}
    if group == "surveys" and any(item.get("people") for _theme, item in entries):
        return values.get("people") or values.get("count")
    return values.get("count")


def group_suppressed(group: str, item: dict, totals: dict, limit: int | None = None) -> bool:
    """Whether this one cell is small on its own (or its group's total is), without the rest
    of its table; `hidden_groups` also hides the cells that would give a small one away."""
    limit = limit or threshold()
    total = _group_total(group, [(0, item)], totals)
    return (total is not None and 0 < total < limit) or 0 < _people(group, item) < limit


def hidden_groups(ranking: dict) -> dict[int, set[str]]:
    """Per theme, the scored groups whose numbers (and share) the public may not see."""
    totals = ranking.get("totals", {})
    hidden: dict[int, set[str]] = defaultdict(set)
    for group in scoring.SCORED_GROUPS:
        entries = [(p["theme_id"], p["evidence"][group]) for p in ranking["priorities"]
                   if group in p["evidence"]]
        if not entries:
            continue
        cells = disclosure.suppress_group({theme: _people(group, item) for theme, item in entries},
                                          total=_group_total(group, entries, totals))
        for theme in disclosure.hidden_keys(cells):
            hidden[theme].add(group)
    return dict(hidden)


def hidden_scores(ranking: dict, hidden: dict[int, set[str]] | None = None) -> set[int]:
    """Themes whose score the public may not see: it rests on a hidden number.

    A score is the weighted average of the theme's shares, and all themes' scores add up to 1,
    so a lone hidden score is hidden with the next smallest (`portal.disclosure.complement`).
    """
    hidden = hidden_groups(ranking) if hidden is None else hidden
    weights = ranking.get("weights", {})
    themes = {p["theme_id"] for p in ranking["priorities"]
              if any(float(weights.get(g, 0)) > 0 for g in hidden.get(p["theme_id"], ()))}
    return disclosure.complement({p["theme_id"]: p["score"] for p in ranking["priorities"]},
                                 themes)


def snapshot_ranking(snapshot) -> dict:
    """A snapshot as a ranking (its totals, weights and priorities' evidence and scores), to
    ask `hidden_groups` and `hidden_scores` what adopted priorities and plans may show."""
    return {"totals": snapshot.totals or {}, "weights": snapshot.weights or {},
            "method": snapshot.method,
            "priorities": [{"theme_id": p.theme_id, "score": p.score,
                            "evidence": p.evidence or {}} for p in snapshot.priorities.all()]}


def public_totals(totals: dict) -> list[dict]:
    """Sample sizes per source for the public: people and counts, small numbers hidden."""
    labels, rows = group_labels(), []
    for group in scoring.SCORED_GROUPS:
        values = totals.get(group)
        if not values:
            continue
        people = values.get("people")
        rows.append({"group": group, "label": labels[group],
                     "people": None if people is None else disclosure.count(people).value,
                     "people_known": people is not None,
                     "count": disclosure.count(values.get("count", 0)).value})
    return rows
