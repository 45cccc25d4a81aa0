"""Rankings ready for templates: rows with sentences, the comparison heat map, bar charts."""

from __future__ import annotations

from django.utils.translation import gettext

from portal.themes.models import Theme
from portal.themes.names import theme_name

from . import scoring
from .disclosure import hidden_groups, hidden_scores, snapshot_ranking
from .models import ScoringWeights
from .ranking import group_labels
from .wording import (
    evidence_sentences,
    hidden_score_text,
    method_name,
    multiplier_text,
    scenario_changes,
    scenario_effect,
    scenario_label,
    score_text,
    sensitivity_sentence,
)

TOP = 3  # priorities shown per neighbourhood in summaries


def percent(score: float) -> int:
    """A score (a fraction, 0 to 1, in every method) as a whole percentage."""
    return round(100 * score)


def interval_percent(interval) -> tuple[int, int] | None:
    """A 95% interval ([low, high] fractions) as whole percentages, None without one."""
    if not interval or len(interval) != 2 or None in interval:
        return None
    return percent(interval[0]), percent(interval[1])


def _tied(priority: dict, priorities: list[dict]) -> bool:
    """The ranking's own flag, else whether another theme has exactly the same score."""
    if "tied" in priority:
        return bool(priority["tied"])
    return any(other is not priority and other["score"] == priority["score"]
               for other in priorities)


def _closeness(priorities: list[dict], no_score: set[int]) -> dict[int, dict]:
    """Per theme, "too close to call" and "tied" as the public may see them: a flag that
    compares a score with a hidden one would say something about it, so it is dropped."""
    flags = {}
    for index, priority in enumerate(priorities):
        theme_id = priority["theme_id"]
        following = priorities[index + 1] if index + 1 < len(priorities) else None
        shown = theme_id not in no_score
        equal = [other["theme_id"] for other in priorities
                 if other is not priority and other["score"] == priority["score"]]
        flags[theme_id] = {
            "too_close": bool(priority.get("too_close")) and shown and following is not None
            and following["theme_id"] not in no_score,
            "tied": _tied(priority, priorities) and shown and not no_score.intersection(equal),
        }
    return flags


def score_fields(priority: dict, hidden: bool) -> dict:
    """A priority's score for templates: whole percentage, 95% interval and the words."""
    if hidden:
        return {"percent": None, "interval": None, "score_text": hidden_score_text()}
    value, interval = percent(priority["score"]), interval_percent(priority.get("interval"))
    return {"percent": value, "interval": interval, "score_text": score_text(value, interval)}


def present(ranking: dict, themes: dict | None = None, limit: int | None = None,
            public: bool = True) -> list[dict]:
    """A ranking's priorities ready for templates: theme, score, sentences, caution.

    Each row has ``percent`` (whole, or None when hidden), ``interval`` ((low, high) whole
    percentages, None for method v1), ``score_text`` ("41% (37% to 45%)"), ``too_close``
    and ``tied``. For the public (the default) a share resting on a hidden number is None
    with ``hidden`` set, and so is a score resting on one (`hidden_groups`,
    `hidden_scores`); officers' pages pass ``public=False`` for exact shares and scores
    (sentences stay suppressed).
    """
    if themes is None:
        themes = Theme.objects.in_bulk([p["theme_id"] for p in ranking["priorities"]])
    hidden = hidden_groups(ranking) if public else {}
    no_score = hidden_scores(ranking, hidden) if public else set()
    flags = _closeness(ranking["priorities"], no_score)
    rows = []
    for priority in ranking["priorities"][:limit]:
        theme = themes.get(priority["theme_id"])
        if theme is None:
            continue
        withheld = hidden.get(priority["theme_id"], set())
        score_hidden = priority["theme_id"] in no_score
        rows.append({
            **priority, "theme": theme, "label": theme_name(theme) if public else theme.name,
            **score_fields(priority, score_hidden), **flags[priority["theme_id"]],
            "score_hidden": score_hidden,
            "sentences": evidence_sentences(priority["evidence"], ranking["totals"],
                                            withheld if public else None),
            "assets": (priority["evidence"].get("assets") or {}).get("count", 0),
            "shares": [{"value": None if group in withheld else
                        percent(priority["evidence"][group]["share"]),
                        "hidden": group in withheld}
                       if group in priority["evidence"] else {"value": None, "hidden": False}
                       for group in scoring.SCORED_GROUPS],
        })
    return rows


def method_info(method: str | None) -> dict:
    """The method a ranking or snapshot used: its code and its name in words."""
    return {"code": method, "name": method_name(method),
            "is_current": method == scoring.METHOD_VERSION}


def any_hidden(rows: list[dict]) -> bool:
    """Whether a ranking's rows hide a score (then the page explains the gaps once)."""
    return any(row.get("score_hidden") for row in rows)


# Comparison and charts --------------------------------------------------------------------


def _mix(score: float) -> tuple[str, str]:
    """Fill and text colour for a heat-map cell: white to GOV.UK blue, readable text."""
    light, dark = (255, 255, 255), (29, 112, 184)
    fill = tuple(round(a + (b - a) * score) for a, b in zip(light, dark, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*fill), ("#ffffff" if score > 0.55 else "#0b0c0c")


# A score resting on a hidden number: one flat fill, so the colour gives nothing away.
HIDDEN_FILL = ("#f3f2f1", "#0b0c0c")
LABEL_WIDTH, CELL_W, CELL_H, HEAD = 190, 60, 40, 170


def _cell(priority: dict | None, hidden: bool, best: float) -> dict:
    """One heat-map cell's score, percentage, rank and colours."""
    score = priority["score"] if priority and not hidden else 0
    fill, ink = HIDDEN_FILL if hidden else _mix(score / best)
    return {"score": score, "hidden": hidden,
            "percent": percent(score) if priority and not hidden else None,
            "rank": priority["rank"] if priority else None, "fill": fill, "ink": ink}


def comparison(rankings: dict[int, dict], neighbourhoods, top: int = 5) -> dict:
    """A neighbourhoods x themes table and heat map of scores and ranks (public: scores resting
    on hidden numbers are left out, see `disclosure.hidden_scores`)."""
    theme_ids = {priority["theme_id"] for neighbourhood in neighbourhoods
                 for priority in rankings.get(neighbourhood.pk, {}).get("priorities", [])[:top]}
    themes = sorted(Theme.objects.filter(pk__in=theme_ids), key=lambda t: t.name)
    unscored = {n: hidden_scores(r) for n, r in rankings.items() if r["priorities"]}
    best = max((p["score"] for n, r in rankings.items() for p in r["priorities"]
                if p["theme_id"] not in unscored.get(n, ())), default=0) or 1
    rows = []
    for row_index, neighbourhood in enumerate(neighbourhoods):
        ranking = rankings.get(neighbourhood.pk) or {"priorities": []}
        by_theme = {p["theme_id"]: p for p in ranking["priorities"]}
        no_score = unscored.get(neighbourhood.pk, set())
        y = HEAD + row_index * CELL_H
        cells = [{"theme": theme, **_cell(by_theme.get(theme.pk), theme.pk in no_score, best),
                  "x": LABEL_WIDTH + column * CELL_W, "y": y}
                 for column, theme in enumerate(themes)]
        rows.append({"neighbourhood": neighbourhood, "cells": cells, "y": y})
    return {"themes": [{"theme": t, "x": LABEL_WIDTH + i * CELL_W + CELL_W // 2}
                       for i, t in enumerate(themes)],
            "rows": rows, "cell_w": CELL_W, "cell_h": CELL_H, "head": HEAD,
            "width": LABEL_WIDTH + max(len(themes), 1) * CELL_W + 130,
            "height": HEAD + max(len(rows), 1) * CELL_H + 10}


def bar_chart(rows: list[dict], value: str = "percent", width: int = 360) -> dict:
    """Geometry of a horizontal bar chart drawn as SVG on the server."""
    bar, gap, label = 22, 14, 220
    top = max((row.get(value) or 0 for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        y = index * (bar + gap)
        length = round(width * (row.get(value) or 0) / top)
        shown = row.get(value)
        bars.append({"label": row["label"], "text_y": y + 16, "bar_y": y + 2, "width": length,
                     "value": shown, "value_x": label + length + 6,
                     "value_text": hidden_score_text() if shown is None else
                     score_text(shown),
                     "low_sample": row.get("low_sample", False)})
    return {"bars": bars, "label_width": label, "bar_height": bar,
            "width": label + width + 70, "height": max(len(rows) * (bar + gap), 40)}


# Sensitivity ------------------------------------------------------------------------------


def sensitivity(checked: dict | None, themes: dict | None = None) -> dict | None:
    """A ranking's (or snapshot's) sensitivity check for templates, None without one.

    ``sentence`` is the one plain sentence the public reads; ``scenarios`` list, for
    officers, each scenario in words with the top three it would give.
    """
    if not checked or not checked.get("scenarios"):
        return None
    wanted = set(checked.get("top") or [])
    for scenario in checked["scenarios"]:
        wanted.update(scenario.get("top") or [])
    if themes is None or not wanted.issubset(themes):
        themes = {**(themes or {}), **Theme.objects.in_bulk(wanted)}

    def names(theme_ids):
        return [themes[pk].name if pk in themes else str(pk) for pk in theme_ids or []]

    return {"sentence": sensitivity_sentence(checked),
            "stable": not any(scenario_changes(s) for s in checked["scenarios"]),
            "top": names(checked.get("top")),
            "scenarios": [{"key": s.get("key", ""), "label": scenario_label(s.get("key", "")),
                           "top": names(s.get("top")), "changes": scenario_changes(s),
                           "effect": scenario_effect(s)} for s in checked["scenarios"]]}


# Snapshots --------------------------------------------------------------------------------


def snapshot_interval(priority) -> list[float] | None:
    """A snapshot priority's 95% interval as [low, high] fractions (None for method v1)."""
    low, high = priority.interval_low, priority.interval_high
    return None if low is None or high is None else [low, high]


def snapshot_scores(snapshot, public: bool = True) -> dict[int, dict]:
    """Per snapshot priority id, its score for templates (`score_fields`) plus ``method``
    (the snapshot's method in words); for the public, hidden as the live ranking hides."""
    no_score = hidden_scores(snapshot_ranking(snapshot)) if public else set()
    method = method_name(snapshot.method)
    return {priority.pk: {**score_fields({"score": priority.score,
                                          "interval": snapshot_interval(priority)},
                                         priority.theme_id in no_score),
                          "score_hidden": priority.theme_id in no_score, "method": method}
            for priority in snapshot.priorities.all()}


# The method page ----------------------------------------------------------------------------


def multiplier_table() -> dict:
    """The officer-set multipliers in effect: the default row, then each neighbourhood
    with its own, with whether need weighting is on."""
    labels = group_labels()
    saved = list(ScoringWeights.objects.select_related("neighbourhood"))
    default = next((row for row in saved if row.neighbourhood_id is None),
                   ScoringWeights(neighbourhood=None))
    rows = [default, *sorted((row for row in saved if row.neighbourhood_id),
                             key=lambda row: row.neighbourhood.name)]
    return {"sources": [labels[source] for source in ScoringWeights.SOURCES],
            "rows": [{"name": row.neighbourhood.name if row.neighbourhood else
                      gettext("Default (every neighbourhood without its own)"),
                      "default": row.neighbourhood is None,
                      "values": [multiplier_text(getattr(row, source))
                                 for source in ScoringWeights.SOURCES],
                      "need_weighting": row.need_weighting}
                     for row in rows]}
