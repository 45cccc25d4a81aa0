"""Rankings ready for templates: rows with sentences, the comparison heat map, bar charts."""

from __future__ import annotations

from portal.themes.models import Theme

from . import scoring
from .disclosure import hidden_groups, hidden_scores
from .wording import evidence_sentences

TOP = 3  # priorities shown per neighbourhood in summaries


def present(ranking: dict, themes: dict | None = None, limit: int | None = None,
            public: bool = True) -> list[dict]:
    """A ranking's priorities ready for templates: theme, percentage, sentences, caution.

    For the public (the default) a share resting on a hidden number is None with ``hidden``
    set, and so is a score resting on one (`hidden_groups`, `hidden_scores`); officers'
    pages pass ``public=False`` for exact shares and scores (sentences stay suppressed).
    """
    if themes is None:
        themes = Theme.objects.in_bulk([p["theme_id"] for p in ranking["priorities"]])
    hidden = hidden_groups(ranking) if public else {}
    no_score = hidden_scores(ranking, hidden) if public else set()
    rows = []
    for priority in ranking["priorities"][:limit]:
        theme = themes.get(priority["theme_id"])
        if theme is None:
            continue
        withheld = hidden.get(priority["theme_id"], set())
        score_hidden = priority["theme_id"] in no_score
        rows.append({
            **priority, "theme": theme, "label": theme.name,
            "percent": None if score_hidden else round(100 * priority["score"], 1),
            "score_hidden": score_hidden,
            "sentences": evidence_sentences(priority["evidence"], ranking["totals"],
                                            withheld if public else None),
            "assets": (priority["evidence"].get("assets") or {}).get("count", 0),
            "shares": [{"value": None if group in withheld else
                        round(100 * priority["evidence"][group]["share"], 1),
                        "hidden": group in withheld}
                       if group in priority["evidence"] else {"value": None, "hidden": False}
                       for group in scoring.SCORED_GROUPS],
        })
    return rows


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
            "percent": round(100 * score, 1) if priority and not hidden else None,
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
        bars.append({"label": row["label"], "text_y": y + 16, "bar_y": y + 2, "width": length,
                     "value": row.get(value), "value_x": label + length + 6,
                     "low_sample": row.get("low_sample", False)})
    return {"bars": bars, "label_width": label, "bar_height": bar,
            "width": label + width + 70, "height": max(len(rows) * (bar + gap), 40)}
