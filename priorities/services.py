"""Priorities: live rankings from the evidence sources, snapshots, adoption, who took part.

Views, pages, commands and the plans app call these functions; the scoring arithmetic itself is
in `scoring`, the discovery of evidence sources in `registry`.

A **ranking** (live or frozen) is plain data::

    {"neighbourhood_id", "method", "weights", "totals", "since", "until",
     "priorities": [{"theme_id", "rank", "score", "people", "low_sample", "evidence"}]}

where ``evidence`` (also `SnapshotPriority.evidence`) maps a source group to
``{"count", "weight", "share", "people", "pages"}`` ("forums" adds ``occasions``, the number of
forums the votes came from; "assets" has only ``count``), and ``totals`` (also
`PrioritySnapshot.totals`) maps a source group to ``{"people", "count"}`` for the whole
neighbourhood.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.errors import InputError
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

from . import registry, scoring
from .models import (
    FeedbackItem,
    PopulationFigure,
    PrioritySnapshot,
    ScoringWeights,
    SnapshotPriority,
)

VERSION_KEY = "priorities:evidence-version"
CACHE_TIMEOUT = 60 * 60  # a safety net: bulk loads that send no signals call evidence_changed()
TOP = 3


def threshold() -> int:
    """Counts about people below this are shown as "fewer than N"."""
    return getattr(settings, "PORTAL_SUPPRESSION_THRESHOLD", 5) or 5


def low_sample_people() -> int:
    """A priority resting on fewer people than this carries a caution."""
    return getattr(settings, "PRIORITIES_LOW_SAMPLE_PEOPLE", 30)


def group_labels() -> dict[str, str]:
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
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def evidence_changed(**kwargs) -> None:
    """Invalidate every cached live ranking (new evidence, weights or themes)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(timezone.now().timestamp() * 1000), None)


# Live rankings ----------------------------------------------------------------------------


def _empty_ranking(neighbourhood_id, weights) -> dict:
    return {"neighbourhood_id": neighbourhood_id, "method": scoring.METHOD_VERSION,
            "weights": weights, "totals": {}, "since": None, "until": None,
            "priorities": [], "participants": {}}


def compute_rankings(since: date | None = None, until: date | None = None) -> dict[int, dict]:
    """Every neighbourhood's ranking from the evidence, uncached (see `live_rankings`)."""
    evidence = registry.collect(since, until)
    weights = all_weights()
    names = dict(Theme.objects.values_list("pk", "name"))
    ranked = scoring.rank(evidence.rows, weights, names)
    scored = set(weights[None])

    totals: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: {"people": None,
                                                                       "count": 0}))
    dates: dict[int, list] = defaultdict(list)
    occasions: dict[tuple, set] = defaultdict(set)
    context: dict[tuple, int] = defaultdict(int)
    for neighbourhood_id, theme_id, group, _weight, count, day, _source in evidence.rows:
        if group in evidence.context_groups:
            context[(neighbourhood_id, theme_id)] += count
            totals[neighbourhood_id][group]["count"] += count
            continue
        totals[neighbourhood_id][group]["count"] += count
        if day:
            dates[neighbourhood_id].append(day)
    for (group, neighbourhood_id, theme_id), people in evidence.people.items():
        if theme_id is None:
            totals[neighbourhood_id][group]["people"] = people
    for (group, neighbourhood_id, theme_id), page_ids in evidence.pages.items():
        occasions[(group, neighbourhood_id, theme_id)] = set(page_ids)

    result = {}
    for neighbourhood_id in set(ranked) | set(totals) | set(evidence.participants):
        ranking = _empty_ranking(neighbourhood_id,
                                 weights.get(neighbourhood_id) or weights[None])
        ranking["totals"] = {group: dict(values)
                             for group, values in totals.get(neighbourhood_id, {}).items()}
        if dates.get(neighbourhood_id):
            ranking["since"] = min(dates[neighbourhood_id]).isoformat()
            ranking["until"] = max(dates[neighbourhood_id]).isoformat()
        ranking["participants"] = {f"{c}|{k}": n for (c, k), n in
                                   evidence.participants.get(neighbourhood_id, {}).items()}
        for score in ranked.get(neighbourhood_id, []):
            entry = {"theme_id": score.theme_id, "rank": score.rank, "score": score.score,
                     "evidence": {}}
            people = 0
            for group, grouped in sorted(score.groups.items()):
                if group not in scored:
                    continue
                theme_people = evidence.people.get((group, neighbourhood_id, score.theme_id))
                pages = sorted(occasions.get((group, neighbourhood_id, score.theme_id), ()))
                item = {"count": grouped.count, "weight": round(grouped.weight, 3),
                        "share": round(grouped.share, 4), "people": theme_people,
                        "pages": pages}
                if group == "forums":
                    item["occasions"] = len(pages)
                    people += grouped.count  # each vote is one person's choice
                else:
                    people += theme_people if theme_people is not None else grouped.count
                entry["evidence"][group] = item
            assets = context.get((neighbourhood_id, score.theme_id))
            if assets:
                entry["evidence"]["assets"] = {"count": assets}
            entry["people"] = people
            entry["low_sample"] = people < low_sample_people()
            ranking["priorities"].append(entry)
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
    return ranking or _empty_ranking(neighbourhood_id, weights_for(neighbourhood_id))


# Plain language ---------------------------------------------------------------------------


def _fmt(number) -> str:
    return number_format(number, force_grouping=True)


def group_suppressed(group: str, item: dict, totals: dict, limit: int | None = None) -> bool:
    """Whether `evidence_sentences` shows this group's number as "fewer than N"."""
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


def evidence_sentences(evidence: dict, totals: dict, withheld=()) -> list[str]:
    """The evidence behind one priority as plain-language sentences, small numbers hidden.

    `withheld` names groups whose numbers are not shown although not small themselves
    (secondary suppression, see `hidden_groups`).
    """
    limit = threshold()
    sentences = []
    surveys = evidence.get("surveys")
    if surveys and "surveys" in withheld and not group_suppressed("surveys", surveys, totals):
        sentences.append(_("Survey figures for this theme are not shown, to protect a smaller "
                           "group."))
    elif surveys:
        respondents = (totals.get("surveys") or {}).get("people")
        chose = surveys.get("people")
        if chose and respondents:
            if respondents < limit:
                sentences.append(_("Chosen, ranked or agreed with by fewer than %(limit)s "
                                   "survey respondents.") % {"limit": limit})
            elif chose < limit:
                sentences.append(_("Chosen, ranked or agreed with by fewer than %(limit)s of "
                                   "%(total)s survey respondents.")
                                 % {"limit": limit, "total": _fmt(respondents)})
            else:
                sentences.append(ngettext(
                    "Chosen, ranked or agreed with by %(percent)s%% of %(total)s survey "
                    "respondent.",
                    "Chosen, ranked or agreed with by %(percent)s%% of %(total)s survey "
                    "respondents.", respondents)
                    % {"percent": round(100 * chose / respondents), "total": _fmt(respondents)})
        else:
            count = surveys.get("count", 0)
            if count < limit:
                sentences.append(_("Fewer than %(limit)s survey answers or comments.")
                                 % {"limit": limit})
            else:
                sentences.append(ngettext("%(count)s survey answer or comment.",
                                          "%(count)s survey answers or comments.", count)
                                 % {"count": _fmt(count)})
    forums = evidence.get("forums")
    if forums:
        votes, held = forums.get("count", 0), forums.get("occasions") or 0
        if "forums" in withheld and votes >= limit:
            sentences.append(_("The number of forum votes is not shown, to protect a smaller "
                               "group."))
        elif votes < limit:
            sentences.append(_("Fewer than %(limit)s votes at neighbourhood forums.")
                             % {"limit": limit})
        elif held == 1:
            sentences.append(ngettext("%(votes)s vote at one forum.",
                                      "%(votes)s votes at one forum.", votes)
                             % {"votes": _fmt(votes)})
        elif held > 1:
            sentences.append(ngettext("%(votes)s vote at %(forums)s forums.",
                                      "%(votes)s votes at %(forums)s forums.", votes)
                             % {"votes": _fmt(votes), "forums": held})
        else:
            sentences.append(ngettext("%(votes)s vote at neighbourhood forums.",
                                      "%(votes)s votes at neighbourhood forums.", votes)
                             % {"votes": _fmt(votes)})
    feedback = evidence.get("feedback")
    if feedback:
        items = feedback.get("count", 0)
        if "feedback" in withheld and items >= limit:
            sentences.append(_("The number of community feedback items is not shown, to "
                               "protect a smaller group."))
        elif items < limit:
            sentences.append(_("Fewer than %(limit)s items of community feedback.")
                             % {"limit": limit})
        else:
            sentences.append(ngettext("%(count)s item of community feedback.",
                                      "%(count)s items of community feedback.", items)
                             % {"count": _fmt(items)})
    return sentences


def evidence_summary(evidence: dict, totals: dict) -> str:
    """`evidence_sentences` as one paragraph ("" when there is no evidence)."""
    return " ".join(evidence_sentences(evidence, totals))


def snapshot_priority_summary(priority: SnapshotPriority) -> str:
    """A snapshot priority's evidence in plain language, in the active language (for plans)."""
    return evidence_summary(priority.evidence or {}, priority.snapshot.totals or {})


def caution_text() -> str:
    return _("Caution: this rests on fewer than %(people)s people, so treat it as a signal to "
             "look into, not a settled view.") % {"people": low_sample_people()}


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
            "sentences": evidence_sentences(priority["evidence"], ranking["totals"], withheld),
            "assets": (priority["evidence"].get("assets") or {}).get("count", 0),
            "shares": [{"value": None if group in withheld else
                        round(100 * priority["evidence"][group]["share"], 1),
                        "hidden": group in withheld}
                       if group in priority["evidence"] else {"value": None, "hidden": False}
                       for group in scoring.SCORED_GROUPS],
        })
    return rows


def public_totals(totals: dict) -> list[dict]:
    """Sample sizes per source for the public: people and counts, small numbers hidden."""
    limit, labels, rows = threshold(), group_labels(), []
    for group in ("surveys", "forums", "feedback"):
        values = totals.get(group)
        if not values:
            continue
        people, count = values.get("people"), values.get("count", 0)
        rows.append({"group": group, "label": labels[group],
                     "people": None if people is None or people < limit else people,
                     "people_known": people is not None,
                     "count": count if count >= limit else None})
    return rows


# Snapshots and decisions ------------------------------------------------------------------


@transaction.atomic
def take_snapshot(neighbourhood, user=None, title: str = "") -> PrioritySnapshot:
    """Freeze a neighbourhood's live ranking (allowed, and clearly empty, without evidence)."""
    ranking = compute_rankings().get(neighbourhood.pk) or _empty_ranking(
        neighbourhood.pk, weights_for(neighbourhood))
    snapshot = PrioritySnapshot.objects.create(
        neighbourhood=neighbourhood, title=title.strip(), taken_by=user,
        method=ranking["method"], weights=ranking["weights"], totals=ranking["totals"],
        evidence_since=ranking["since"], evidence_until=ranking["until"],
    )
    SnapshotPriority.objects.bulk_create([
        SnapshotPriority(
            snapshot=snapshot, theme_id=p["theme_id"], rank=p["rank"], score=p["score"],
            evidence=p["evidence"], low_sample=p["low_sample"],
            summary=evidence_summary(p["evidence"], ranking["totals"]),
        ) for p in ranking["priorities"]
    ])
    return snapshot


def can_adopt(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("priorities.adopt_priority"))


def decide(priority: SnapshotPriority, decision: str, rationale: str, user) -> SnapshotPriority:
    """Adopt or set aside a snapshot priority, with the reason, who and when.

    An adopted priority that something cites (see `registry.register_citation_source`, e.g. a
    live plan) cannot be set aside or given a new rationale: the citing plan changes first.
    """
    if not can_adopt(user):
        raise PermissionDenied
    if decision not in (SnapshotPriority.ADOPTED, SnapshotPriority.SET_ASIDE):
        raise InputError(_("Choose whether to adopt this priority or set it aside."),
                         code="decision_required")
    rationale = (rationale or "").strip()
    if not rationale:
        message = (_("Enter the reason for adopting this priority.")
                   if decision == SnapshotPriority.ADOPTED else
                   _("Enter the reason for setting this priority aside."))
        raise InputError(message, code="rationale_required")
    changed = decision != priority.decision or rationale != priority.rationale
    if priority.decision == SnapshotPriority.ADOPTED and changed:
        cited = registry.citations(priority)
        if cited:
            titles = ", ".join(item["title"] for item in cited)
            raise InputError(ngettext(
                "%(titles)s cites this priority: change the plan first.",
                "%(titles)s cite this priority: change the plans first.", len(cited))
                % {"titles": titles}, code="cited_by_plan")
    priority.decision, priority.rationale = decision, rationale
    priority.decided_by, priority.decided_at = user, timezone.now()
    priority.save(update_fields=["decision", "rationale", "decided_by", "decided_at"])
    return priority


def latest_decided_snapshots(neighbourhood_ids=None) -> dict[int, PrioritySnapshot]:
    """Per neighbourhood, the newest snapshot with a decision, priorities and themes loaded."""
    decided = PrioritySnapshot.objects.filter(
        neighbourhood=OuterRef("neighbourhood"),
        priorities__decision__in=[SnapshotPriority.ADOPTED, SnapshotPriority.SET_ASIDE],
    ).order_by("-taken_at", "-id").values("pk")[:1]
    snapshots = PrioritySnapshot.objects.filter(pk=Subquery(decided))
    if neighbourhood_ids is not None:
        snapshots = snapshots.filter(neighbourhood_id__in=neighbourhood_ids)
    snapshots = snapshots.prefetch_related("priorities__theme")
    return {snapshot.neighbourhood_id: snapshot for snapshot in snapshots}


def adopted_priorities(neighbourhood):
    """The adopted priorities of the neighbourhood's newest decided snapshot, by rank."""
    snapshot = latest_decided_snapshots([neighbourhood.pk]).get(neighbourhood.pk)
    if snapshot is None:
        return SnapshotPriority.objects.none()
    return snapshot.priorities.adopted().select_related("theme", "snapshot").order_by("rank")


# Comparison and charts --------------------------------------------------------------------


def _mix(score: float) -> tuple[str, str]:
    """Fill and text colour for a heat-map cell: white to GOV.UK blue, readable text."""
    light, dark = (255, 255, 255), (29, 112, 184)
    fill = tuple(round(a + (b - a) * score) for a, b in zip(light, dark, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*fill), ("#ffffff" if score > 0.55 else "#0b0c0c")


# A score resting on a hidden number: one flat fill, so the colour gives nothing away.
HIDDEN_FILL = ("#f3f2f1", "#0b0c0c")


def comparison(rankings: dict[int, dict], neighbourhoods, top: int = 5) -> dict:
    """A neighbourhoods x themes table and heat map of scores and ranks (public: scores resting
    on hidden numbers are left out, see `hidden_scores`)."""
    theme_ids = set()
    for neighbourhood in neighbourhoods:
        for priority in rankings.get(neighbourhood.pk, {}).get("priorities", [])[:top]:
            theme_ids.add(priority["theme_id"])
    themes = sorted(Theme.objects.filter(pk__in=theme_ids), key=lambda t: t.name)
    unscored = {n: hidden_scores(r) for n, r in rankings.items() if r["priorities"]}
    best = max((p["score"] for n, r in rankings.items() for p in r["priorities"]
                if p["theme_id"] not in unscored.get(n, ())), default=0) or 1
    rows = []
    label_width, cell_w, cell_h, head = 190, 60, 40, 170
    for row_index, neighbourhood in enumerate(neighbourhoods):
        ranking = rankings.get(neighbourhood.pk) or {"priorities": []}
        by_theme = {p["theme_id"]: p for p in ranking["priorities"]}
        no_score = unscored.get(neighbourhood.pk, set())
        cells = []
        for column, theme in enumerate(themes):
            priority = by_theme.get(theme.pk)
            hidden = theme.pk in no_score
            score = priority["score"] if priority and not hidden else 0
            fill, ink = HIDDEN_FILL if hidden else _mix(score / best)
            cells.append({"theme": theme, "score": score, "hidden": hidden,
                          "percent": round(100 * score, 1) if priority and not hidden
                          else None,
                          "rank": priority["rank"] if priority else None,
                          "x": label_width + column * cell_w, "y": head + row_index * cell_h,
                          "fill": fill, "ink": ink})
        rows.append({"neighbourhood": neighbourhood, "cells": cells,
                     "y": head + row_index * cell_h})
    return {"themes": [{"theme": t, "x": label_width + i * cell_w + cell_w // 2}
                       for i, t in enumerate(themes)],
            "rows": rows, "cell_w": cell_w, "cell_h": cell_h, "head": head,
            "width": label_width + max(len(themes), 1) * cell_w + 130,
            "height": head + max(len(rows), 1) * cell_h + 10}


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


# Who took part ----------------------------------------------------------------------------


def characteristics() -> list[tuple]:
    """The equality characteristics the evidence sources report, with their labels."""
    found = []
    for source in registry.sources():
        if hasattr(source.module, "characteristics"):
            found.extend(source.module.characteristics())
    return found


def participation(neighbourhood, ranking: dict | None = None) -> dict:
    """Who took part in a neighbourhood against who lives there, small numbers hidden.

    Per characteristic and category: survey responses giving it and their share of those who
    answered the question ("Prefer not to say" left out), next to the category's share of the
    population figures. A category is flagged as under-heard when its share of responses is
    below 80% of its share of the population (and it is at least 2% of the population).
    Counts below the threshold are hidden with their shares; when that leaves exactly one
    hidden category in a characteristic, the next smallest is hidden too (``withheld``), so
    no hidden count can be worked out by subtraction.
    """
    limit = threshold()
    ranking = ranking or live_ranking(neighbourhood)
    counts = {tuple(key.split("|", 1)): n for key, n in ranking.get("participants", {}).items()}
    figures = defaultdict(dict)
    for characteristic, category, people in PopulationFigure.objects.filter(
            neighbourhood=neighbourhood).values_list("characteristic", "category", "people"):
        figures[characteristic][category] = people
    population = figures.get(PopulationFigure.TOTAL, {}).get(PopulationFigure.ALL)
    result = []
    for code, label, options in characteristics():
        answered = sum(n for (c, k), n in counts.items() if c == code and k != "prefer_not")
        pop_total = sum(v for k, v in figures.get(code, {}).items() if k != "prefer_not")
        rows = []
        for category, category_label in options:
            count = counts.get((code, category), 0)
            pop = figures.get(code, {}).get(category)
            share = round(100 * count / answered, 1) if answered and category != "prefer_not" \
                else None
            pop_share = round(100 * pop / pop_total, 1) if pop and pop_total else None
            suppressed = count < limit
            under = bool(pop_share is not None and pop_share >= 2 and category != "prefer_not"
                         and (share or 0) < 0.8 * pop_share)
            rows.append({"category": category, "label": category_label,
                         "count": None if suppressed else count,
                         "share": None if suppressed else share,
                         "population_share": pop_share, "under": under,
                         "withheld": False, "_count": count})
        # Secondary suppression: the shown counts and shares give away how many answered, so a
        # lone hidden category would be that minus the rest; hide the next smallest as well.
        answering = [row for row in rows if row["category"] != "prefer_not"]
        if sum(1 for row in answering if row["count"] is None) == 1:
            shown = [row for row in answering if row["count"] is not None]
            if shown:
                smallest = min(shown, key=lambda row: row["_count"])
                smallest.update(count=None, share=None, withheld=True)
        for row in rows:
            del row["_count"]
        if answered or pop_total:
            result.append({"code": code, "label": label, "rows": rows,
                           "answered": answered if answered >= limit else None,
                           "under": [row["label"] for row in rows if row["under"]]})
    return {"population": population, "sources": public_totals(ranking.get("totals", {})),
            "characteristics": result, "threshold": limit}


# Community feedback -----------------------------------------------------------------------


def safeguarding_contact() -> str:
    """`PRIORITIES_SAFEGUARDING_EMAIL`, `SURVEYS_SAFEGUARDING_EMAIL`, else the site's contact."""
    for name in ("PRIORITIES_SAFEGUARDING_EMAIL", "SURVEYS_SAFEGUARDING_EMAIL"):
        if getattr(settings, name, ""):
            return getattr(settings, name)
    from wagtail.models import Site

    from portal.pages.models import PortalSettings

    site = Site.objects.filter(is_default_site=True).first()
    return PortalSettings.for_site(site).contact_email if site else ""


def notify_safeguarding(item: FeedbackItem, user=None, link: str = "") -> bool:
    """Email the safeguarding contact that feedback was flagged: where to read it, not the text."""
    from django.core.mail import send_mail

    contact = safeguarding_contact()
    if not contact:
        return False
    send_mail(
        _("Safeguarding concern flagged in community feedback from %(neighbourhood)s")
        % {"neighbourhood": item.neighbourhood},
        _("%(officer)s flagged community feedback (%(source)s, %(date)s, %(neighbourhood)s) as "
          "a safeguarding concern.\n\nRead it here (sign-in needed): %(link)s\n")
        % {"officer": getattr(user, "email", "") or _("An officer"),
           "source": item.get_source_display(), "date": item.received_on.isoformat(),
           "neighbourhood": item.neighbourhood, "link": link},
        None, [contact],
    )
    return True


TREND_GROUPS = {"source": gettext_lazy("Source"), "neighbourhood": gettext_lazy("Neighbourhood"),
                "theme": gettext_lazy("Theme")}


def feedback_trends(group_by: str = "source", since=None, until=None) -> dict:
    """Community feedback counted by month and by source, neighbourhood or theme (one query)."""
    items = FeedbackItem.objects.all()
    if since:
        items = items.filter(received_on__gte=since)
    if until:
        items = items.filter(received_on__lte=until)
    if group_by == "theme":
        grouped = (FeedbackItem.themes.through.objects.filter(feedbackitem__in=items)
                   .annotate(month=TruncMonth("feedbackitem__received_on"))
                   .values_list("month", "theme__name").annotate(n=Count("feedbackitem_id")))
    elif group_by == "neighbourhood":
        grouped = (items.annotate(month=TruncMonth("received_on"))
                   .values_list("month", "neighbourhood__name").annotate(n=Count("id")))
    else:
        labels = dict(FeedbackItem.SOURCE_CHOICES)
        grouped = [(month, str(labels.get(source, source)), n) for month, source, n in
                   items.annotate(month=TruncMonth("received_on"))
                   .values_list("month", "source").annotate(n=Count("id")).order_by()]
    table: dict = defaultdict(lambda: defaultdict(int))
    categories = set()
    for month, category, n in (grouped if isinstance(grouped, list) else grouped.order_by()):
        table[month][category] += n
        categories.add(category)
    categories = sorted(categories)
    months = sorted(table)
    rows = [{"month": month, "cells": [table[month].get(c, 0) for c in categories],
             "total": sum(table[month].values())} for month in months]
    top = max((row["total"] for row in rows), default=0) or 1
    bar_w, height = 36, 160
    for index, row in enumerate(rows):
        bar = round(height * row["total"] / top)
        row.update(x=40 + index * (bar_w + 10), bar_h=bar, bar_y=20 + height - bar,
                   bar_w=bar_w)
    return {"categories": categories, "rows": rows, "group_by": group_by,
            "chart": {"width": 60 + len(rows) * (bar_w + 10), "height": height + 60,
                      "base": 20 + height, "label_y": 40 + height}}


# Population figures -----------------------------------------------------------------------


# No neighbourhood has more people; larger numbers would also overflow the database column.
MAX_PEOPLE = 10_000_000


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False


def import_population(text: str, dry_run: bool = False) -> ImportReport:
    """Import population figures from CSV (neighbourhood, characteristic, category, people,
    optional source). Every row is checked first; with any error nothing is saved."""
    report = ImportReport(dry_run=dry_run)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    required = {"neighbourhood", "characteristic", "category", "people"}
    missing = required - set(reader.fieldnames or [])
    if missing:
        report.errors.append((1, _("The file needs the columns %(columns)s.")
                              % {"columns": ", ".join(sorted(missing))}))
        return report
    neighbourhoods = {}
    for neighbourhood in Neighbourhood.objects.all():
        neighbourhoods[neighbourhood.code.lower()] = neighbourhood
        neighbourhoods[neighbourhood.name.lower()] = neighbourhood
    known = {code: {c for c, _label in options} for code, _l, options in characteristics()}
    known[PopulationFigure.TOTAL] = {PopulationFigure.ALL}
    valid, seen = [], set()
    for number, row in enumerate(reader, start=2):
        name = (row.get("neighbourhood") or "").strip()
        characteristic = (row.get("characteristic") or "").strip()
        category = (row.get("category") or "").strip()
        people = (row.get("people") or "").strip().replace(",", "")
        neighbourhood = neighbourhoods.get(name.lower())
        if neighbourhood is None:
            report.errors.append((number, _("No neighbourhood has the name or code “%(name)s”.")
                                  % {"name": name}))
            continue
        if characteristic not in known:
            report.errors.append((number, _("“%(value)s” is not a characteristic. Use one of: "
                                            "%(choices)s.")
                                  % {"value": characteristic,
                                     "choices": ", ".join(sorted(known))}))
            continue
        if category not in known[characteristic]:
            report.errors.append((number, _("“%(value)s” is not a category of %(characteristic)s."
                                            " Use one of: %(choices)s.")
                                  % {"value": category, "characteristic": characteristic,
                                     "choices": ", ".join(sorted(known[characteristic]))}))
            continue
        if not (people.isascii() and people.isdigit()) or int(people) > MAX_PEOPLE:
            report.errors.append((number, _("People must be a whole number from 0 to "
                                            "%(max)s, not “%(value)s”.")
                                  % {"max": _fmt(MAX_PEOPLE),
                                     "value": Truncator(people).chars(30)}))
            continue
        key = (neighbourhood.pk, characteristic, category)
        if key in seen:
            report.errors.append((number, _("This neighbourhood, characteristic and category "
                                            "are already on an earlier row.")))
            continue
        seen.add(key)
        valid.append((neighbourhood, characteristic, category, int(people),
                      (row.get("source") or "").strip()[:200]))
    existing = set(PopulationFigure.objects.values_list("neighbourhood_id", "characteristic",
                                                        "category"))
    for neighbourhood, characteristic, category, _people, _source in valid:
        if (neighbourhood.pk, characteristic, category) in existing:
            report.updated += 1
        else:
            report.created += 1
    if dry_run or report.errors:
        return report
    with transaction.atomic():
        for neighbourhood, characteristic, category, people, source in valid:
            PopulationFigure.objects.update_or_create(
                neighbourhood=neighbourhood, characteristic=characteristic, category=category,
                defaults={"people": people, "source": source})
    return report


def population_totals() -> dict[int, int]:
    return dict(PopulationFigure.objects.totals().values_list("neighbourhood_id", "people"))


def feedback_people(neighbourhood) -> int:
    return FeedbackItem.objects.filter(neighbourhood=neighbourhood).aggregate(
        n=Sum("people_count"))["n"] or 0


# Public pages -----------------------------------------------------------------------------


def priorities_page(site=None):
    """The live priorities page (of the site, when given), or None."""
    from wagtail.models import Locale

    from .models import PrioritiesPage

    pages = PrioritiesPage.objects.live().public()
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    localized = pages.filter(locale=Locale.get_active()).first()
    return localized or pages.first()


def evidence_pages(ranking: dict, request=None) -> dict[int, list[dict]]:
    """Per theme, the live public pages (surveys, forums) its evidence came from (one query)."""
    from wagtail.models import Page

    wanted = {page_id for p in ranking["priorities"] for group in p["evidence"].values()
              for page_id in group.get("pages", [])}
    pages = {page.pk: page for page in Page.objects.live().public().filter(pk__in=wanted)}
    found = {}
    for priority in ranking["priorities"]:
        links = []
        for group in ("surveys", "forums"):
            for page_id in (priority["evidence"].get(group) or {}).get("pages", []):
                page = pages.get(page_id)
                if page is not None:
                    links.append({"title": page.title, "url": page.get_url(request),
                                  "group": group})
        found[priority["theme_id"]] = links
    return found


def neighbourhood_section(neighbourhood, request):
    """The 'priorities' section of a neighbourhood page: top priorities and a link."""
    page = priorities_page(getattr(request, "site", None) if request else None)
    if page is None:
        return None
    ranking = live_ranking(neighbourhood)
    adopted = list(adopted_priorities(neighbourhood))
    if not ranking["priorities"] and not adopted:
        return None
    return {"title": gettext_lazy("Priorities"),
            "template": "priorities/includes/neighbourhood_section.html",
            "context": {"live": present(ranking, limit=TOP), "adopted": adopted,
                        "url": page.get_url(request) + page.reverse_subpage(
                            "neighbourhood_route", kwargs={"slug": neighbourhood.slug})}}
