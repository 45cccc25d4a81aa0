"""Survey results: counts from GROUP BYs, the public suppressed copy, and caching between requests.

`compute_results` runs a constant number of queries whatever the number of questions or
responses; `officer_results` and `public_results` are what the two results pages show, cached
until the survey's answers change.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from portal import disclosure
from portal.neighbourhoods.models import Neighbourhood

from .blocks import LIKERT_LABELS
from .charts import chart, dot_map
from .models import Answer, Question, Response

# The officers' dot map draws at most this many distinct positions.
MAX_POINTS = 5000


@dataclass
class Filters:
    neighbourhood: int | None = None
    channel: str | None = None
    since: object = None
    until: object = None
    equality_option: int | None = None  # responses giving this equality-monitoring answer
    language: str | None = None  # responses given in this language (a translation's code)


@dataclass
class _Counts:
    """What the scans of a survey's answers found, for building each question's entry."""

    options: dict  # (question id, option id) -> {"n": rows, "rank_sum": sum of ranks}
    numbers: dict  # (question id, value) -> rows
    number_stats: dict  # question id -> {"n", "total", "low", "high"}
    respondents: dict  # question id -> people who answered it
    where: dict = field(default_factory=dict)  # neighbourhood name -> responses
    map_areas: dict = field(default_factory=dict)  # question id -> {neighbourhood name: n}
    map_points: dict = field(default_factory=dict)  # question id -> [(lat, lng, n)]
    place_areas: dict = field(default_factory=dict)  # (question id, option id) -> area name
    texts: dict = field(default_factory=dict)  # question id -> [{"text", "reference"}]


def compute_results(survey, filters: Filters | None = None, include_text=False,
                    include_points=False) -> dict:
    """Counts, percentages, Borda scores, Likert distributions and number summaries.

    A constant number of queries whatever the number of questions or responses: one GROUP BY
    over all answer rows, plus one for multiple-choice respondents, one for neighbourhoods and
    one for "show us where" neighbourhoods. `include_points` (officers only) adds the marked
    points of "show us where" questions, grouped by position (one more query).
    """
    filters = filters or Filters()
    shown, survey = survey, survey.pooled_survey  # every translation's answers, together
    responses = _responses(survey, filters)
    total = responses.count()
    answers = Answer.objects.filter(survey=survey)
    if filters != Filters():
        answers = answers.filter(response__in=responses.values("pk"))
    questions = list(survey.questions.select_related("theme").prefetch_related("options"))
    if shown.pk != survey.pk:
        _use_wording_of(shown, questions)
    counts = _count_answers(answers, questions)
    counts.where = _where_counts(responses, answers, questions)
    _count_places(counts, answers, questions, include_points)
    if include_text:
        counts.texts = _texts(answers)
    entries = [_entry(question, counts, include_points) for question in questions]
    if getattr(survey, "scale_order", None) == "disagree_first":  # the survey's one order
        for entry in entries:
            if entry["kind"] == Question.LIKERT:
                entry["rows"].reverse()
    return {"total": total, "questions": entries}


def _use_wording_of(translation, questions) -> None:
    """Show the pooled questions and options in the translation's words, matched by key."""
    wording = {q.key: q for q in translation.questions.prefetch_related("options")}
    for question in questions:
        theirs = wording.get(question.key)
        if theirs is None:
            continue
        question.label, question.help_text = theirs.label, theirs.help_text
        question.section_title = theirs.section_title
        grid = {k: v for k, v in (theirs.config or {}).items() if k in ("grid_label", "grid_help")}
        question.config = {**(question.config or {}), **grid}
        option_labels = {o.key: o.label for o in theirs.options.all()}
        for option in question.options.all():
            option.label = option_labels.get(option.key, option.label)


def _responses(survey, filters):
    responses = Response.objects.filter(survey=survey).filtered(
        filters.neighbourhood, filters.channel, filters.since, filters.until, filters.language)
    if filters.equality_option:
        responses = responses.filter(answers__option_id=filters.equality_option,
                                     answers__question__kind=Question.EQUALITY)
    return responses


def _count_answers(answers, questions) -> _Counts:
    """One scan groups every answer row by (question, option, rank, number).

    Single-valued questions have one row per respondent, so their respondents are a sum; a
    ranking has exactly one rank 1 per respondent; only multiple choice needs COUNT(DISTINCT).
    """
    options: dict = defaultdict(lambda: {"n": 0, "rank_sum": 0})
    numbers: dict = defaultdict(dict)
    rows_per_question: dict = defaultdict(int)
    first_ranks: dict = defaultdict(int)
    grouped = (answers.values_list("question_id", "option_id", "rank", "number")
               .annotate(n=Count("id")).order_by())
    for question_id, option_id, rank, number, n in grouped:
        rows_per_question[question_id] += n
        if option_id is not None:
            counts = options[(question_id, option_id)]
            counts["n"] += n
            counts["rank_sum"] += (rank or 0) * n
            if rank == 1:
                first_ranks[question_id] += n
        elif number is not None:
            numbers[question_id][number] = numbers[question_id].get(number, 0) + n
    multiple = [q.pk for q in questions if q.kind == Question.MULTIPLE]
    distinct = dict(
        answers.filter(question_id__in=multiple).values_list("question_id")
        .annotate(n=Count("response_id", distinct=True)).order_by()
    ) if multiple else {}
    respondents = {
        q.pk: (distinct.get(q.pk, 0) if q.kind == Question.MULTIPLE
               else first_ranks[q.pk] if q.kind == Question.RANKING
               else rows_per_question[q.pk])
        for q in questions
    }
    return _Counts(
        options=options, respondents=respondents,
        numbers={(question_id, value): n for question_id, values in numbers.items()
                 for value, n in values.items()},
        number_stats={question_id: {"n": sum(values.values()),
                                    "total": sum(value * n for value, n in values.items()),
                                    "low": min(values), "high": max(values)}
                      for question_id, values in numbers.items()},
    )


def _where_counts(responses, answers, questions) -> dict:
    """Responses per neighbourhood name among those answering "where do you live"."""
    where_ids = [q.pk for q in questions if q.kind == Question.WHERE]
    if not where_ids:
        return {}
    return dict(
        responses.filter(pk__in=answers.filter(question_id__in=where_ids).values("response_id"))
        .values_list("neighbourhood__name").annotate(n=Count("id")).order_by()
    )


def _count_places(counts, answers, questions, include_points) -> None:
    """"Show us where": answers per neighbourhood and, for officers, per marked position."""
    map_ids = [q.pk for q in questions if q.kind == Question.MAP_PIN]
    if not map_ids:
        return
    areas: dict = defaultdict(dict)
    for question_id, name, option_id, n in (
            answers.filter(question_id__in=map_ids)
            .values_list("question_id", "neighbourhood__name", "option_id")
            .annotate(n=Count("id")).order_by()):
        areas[question_id][name] = areas[question_id].get(name, 0) + n
        if option_id is not None:
            counts.place_areas[(question_id, option_id)] = name
    counts.map_areas = areas
    if include_points:
        points: dict = defaultdict(list)
        for question_id, lat, lng, n in (
                answers.filter(question_id__in=map_ids, latitude__isnull=False,
                               longitude__isnull=False)
                .values_list("question_id", "latitude", "longitude")
                .annotate(n=Count("id")).order_by()[:MAX_POINTS]):
            points[question_id].append((lat, lng, n))
        counts.map_points = points


def _texts(answers) -> dict:
    """Free-text answers per question, newest first, with their response's reference."""
    texts: dict[int, list] = {}
    for question_id, text, reference in answers.filter(
            question__kind=Question.TEXT).exclude(text="").values_list(
            "question_id", "text", "response__reference").order_by("-response__submitted_at"):
        texts.setdefault(question_id, []).append({"text": text, "reference": reference})
    return texts


def _percent(count, of):
    return round(100 * count / of, 1) if of else 0


def _entry(question, counts, include_points) -> dict:
    """One question's results: respondents and rows, plus what its type adds."""
    answered = counts.respondents.get(question.pk, 0)
    entry = {"question": question, "kind": question.kind, "respondents": answered,
             "rows": [], "retired": question.retired}
    if question.kind in Question.CHOICE_KINDS:
        _add_choices(entry, question, counts, answered)
    elif question.kind == Question.LIKERT:
        _add_likert(entry, question, counts, answered)
    elif question.kind == Question.NUMBER:
        stats = counts.number_stats.get(question.pk)
        if stats:
            entry["mean"] = round(stats["total"] / stats["n"], 1)
            entry["low"], entry["high"] = stats["low"], stats["high"]
    elif question.kind == Question.WHERE:
        for name, n in sorted(counts.where.items(), key=lambda item: (-item[1], str(item[0]))):
            entry["rows"].append({"label": name or _("Outside the area or not given"),
                                  "count": n, "percent": _percent(n, answered)})
    elif question.kind == Question.TEXT:
        entry["comments"] = counts.texts.get(question.pk, [])
    elif question.kind == Question.MAP_PIN:
        _add_places(entry, question, counts, answered, include_points)
    return entry


def _add_choices(entry, question, counts, answered) -> None:
    """A row per option (retired ones only if chosen); rankings add Borda score and mean rank."""
    rank_count = question.config.get("rank_count") or 0
    for option in question.options.all():
        row = counts.options.get((question.pk, option.pk)) or {"n": 0, "rank_sum": 0}
        if option.retired and not row["n"]:
            continue
        data = {"label": option.label, "count": row["n"], "retired": option.retired,
                "theme": option.theme_id, "percent": _percent(row["n"], answered)}
        if question.kind == Question.RANKING:
            data["borda"] = row["n"] * (rank_count + 1) - row["rank_sum"]
            data["mean_rank"] = round(row["rank_sum"] / row["n"], 2) if row["n"] else None
        entry["rows"].append(data)
    if question.kind == Question.RANKING:
        entry["rows"].sort(key=lambda r: (-r["borda"], r["label"]))


def _add_likert(entry, question, counts, answered) -> None:
    """The five points, strongly agree first, and the net score (% agree - % disagree)."""
    for point in range(5, 0, -1):
        n = counts.numbers.get((question.pk, point), 0)
        entry["rows"].append({"label": str(LIKERT_LABELS[point]), "count": n,
                              "point": point, "percent": _percent(n, answered)})
    agree = sum(counts.numbers.get((question.pk, p), 0) for p in (4, 5))
    disagree = sum(counts.numbers.get((question.pk, p), 0) for p in (1, 2))
    entry["net_score"] = round(100 * (agree - disagree) / answered) if answered else None


def _add_places(entry, question, counts, answered, include_points) -> None:
    """Rows per neighbourhood, `places` per named place and, for officers, the `points`."""
    areas = counts.map_areas.get(question.pk, {})
    entry["row_areas"] = []
    for name, n in sorted(areas.items(),
                          key=lambda item: (item[0] is None, -item[1], str(item[0]))):
        entry["rows"].append({"label": name or _("Outside the neighbourhoods"),
                              "count": n, "percent": _percent(n, answered)})
        entry["row_areas"].append(name)
    entry["places"], entry["place_areas"] = [], []
    for option in question.options.all():
        row = counts.options.get((question.pk, option.pk)) or {"n": 0}
        if option.retired and not row["n"]:
            continue
        entry["places"].append({"label": option.label, "count": row["n"],
                                "retired": option.retired,
                                "percent": _percent(row["n"], answered)})
        # The neighbourhood row a place's answers are counted in (None: outside them all).
        entry["place_areas"].append(counts.place_areas.get((question.pk, option.pk), False))
    if include_points:
        entry["points"] = counts.map_points.get(question.pk, [])


def suppressed(results: dict, threshold: int | None = None) -> dict:
    """The public copy of results: no equality or text answers, no marked points, extremes
    or removed questions, and small numbers hidden by `portal.disclosure`.

    Each question's rows are a table whose total (the people who answered) the public sees,
    so hiding a small count hides enough others that none can be worked out; percentages,
    Borda scores, mean ranks, the net score and the mean are hidden with any count they rest
    on. Each hidden row keeps its `cell` (what to show instead).
    """
    limit = disclosure.threshold() if threshold is None else threshold
    public = [_public_entry(entry, limit) for entry in results["questions"]
              if entry["kind"] not in (Question.EQUALITY, Question.TEXT)
              and not entry["retired"]]
    return {"total": disclosure.count(results["total"], limit).value,
            "questions": public, "threshold": limit}


# Never published: comments, extremes (they single out one person), marked points and the
# links between places and neighbourhoods.
PRIVATE_KEYS = ("comments", "low", "high", "points", "map", "row_areas", "place_areas")


ORDERED_BY_COUNT = (Question.RANKING, Question.WHERE, Question.MAP_PIN)


def _public_entry(entry: dict, limit: int) -> dict:
    """One question's public results (see `suppressed`)."""
    public = {key: value for key, value in entry.items() if key not in PRIVATE_KEYS}
    respondents = disclosure.count(entry["respondents"], limit)
    public["respondents_suppressed"] = respondents.hidden
    public["rows"] = _public_rows(entry["rows"], entry["respondents"], limit)
    cells = [row["cell"] for row in public["rows"]]
    for key, inputs in (("net_score", cells), ("mean", ())):
        if entry.get(key) is not None:
            figure = disclosure.derived(entry[key], respondents, *inputs)
            public[key], public[f"{key}_hidden"] = figure.value, figure.hidden
    if "places" in entry:
        # A place's answers are also counted in its neighbourhood's row: when that row is
        # hidden, so is the place, or the place's count would say how small the row is.
        hidden_areas = {area for area, row in zip(entry["row_areas"], public["rows"],
                                                  strict=True) if row["cell"].hidden}
        linked = {index for index, area in enumerate(entry["place_areas"])
                  if area is not False and area in hidden_areas}
        places = _public_rows(entry["places"], entry["respondents"], limit, linked)
        public["places"] = [row for row in places if not row.get("retired")]
    if entry["kind"] in ORDERED_BY_COUNT:
        # These rows run largest first: the order of hidden rows would rank hidden numbers.
        public["rows"] = ([row for row in public["rows"] if not row["cell"].hidden]
                          + sorted((row for row in public["rows"] if row["cell"].hidden),
                                   key=lambda row: str(row["label"])))
    return public


def _public_rows(rows: list[dict], respondents: int, limit: int, hidden=()) -> list[dict]:
    """Rows with small counts (and what rests on them) hidden; each row gets its `cell`."""
    cells = disclosure.suppress_group({index: row["count"] for index, row in enumerate(rows)},
                                      total=respondents, hidden=hidden, limit=limit)
    public = []
    for index, row in enumerate(rows):
        row, cell = dict(row), cells[index]
        row["cell"] = cell
        if cell.hidden:
            row.update(count=None, percent=None, suppressed=True)
            row.pop("borda", None)
            row.pop("mean_rank", None)
        public.append(row)
    return public


# Caching results between requests -----------------------------------------------------------
#
# Results are cached per survey, audience (officers or public), filters and language, under a
# per-survey version that changes whenever a response, answer or comment coding of the survey
# changes (surveys.signals) or the survey is published again. Repeated loads of a results page
# then cost a handful of queries whatever the number of responses.

RESULTS_CACHE_SECONDS = 60 * 60
# Part of every key: bump it when what is cached changes shape or rules, so that a deploy
# never serves results cached by the code before it (2: secondary suppression, issue 16).
RESULTS_FORMAT = 4  # 3: statement grids (issue 17); 4: languages pooled (issue 13)


def _version_key(survey_id) -> str:
    return f"surveys:results-version:{survey_id}"


def results_version(survey_id) -> str:
    """The survey's current results version (a random token, made on first use)."""
    key = _version_key(survey_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(8), None)
        version = cache.get(key) or "0"
    return version


def results_changed(survey_id) -> None:
    """Make cached results of a survey stale: now, and again when the transaction commits.

    Again on commit because another request may compute and cache results between the change
    and the commit, from data that does not include it yet.
    """
    def bump():
        cache.set(_version_key(survey_id), secrets.token_hex(8), None)

    bump()
    transaction.on_commit(bump)


def _results_key(survey, audience, filters: Filters | None) -> str:
    """The cache key of a page's results: the pooled survey's version, and the page shown (a
    translation shows the same counts in its own words)."""
    filters = filters or Filters()
    parts = [filters.neighbourhood, filters.channel,
             filters.since.isoformat() if filters.since else "",
             filters.until.isoformat() if filters.until else "", filters.equality_option,
             filters.language]
    pooled = survey.pooled_survey.pk
    return (f"surveys:results:{RESULTS_FORMAT}:{pooled}:{results_version(pooled)}:{survey.pk}:"
            f"{audience}:{get_language()}:" + ":".join("" if p is None else str(p) for p in parts))


def _cached(key, compute):
    data = cache.get(key)
    if data is None:
        data = compute()
        cache.set(key, data, getattr(settings, "SURVEYS_RESULTS_CACHE_SECONDS",
                                     RESULTS_CACHE_SECONDS))
    return data


def _with_charts(results):
    for entry in results["questions"]:
        entry["chart"] = chart(entry["rows"], "borda" if entry["kind"] == Question.RANKING
                               else "count")
    return with_grids(results)


def with_grids(results: dict) -> dict:
    """Mark a statement grid's rows so the results draw them as one table.

    The first row of each grid gets `grid` (its question, help text and row entries), the
    others `in_grid`; each row keeps its own (disclosure-controlled) counts.
    """
    current = None
    for entry in results["questions"]:
        grid_id = (entry["question"].config or {}).get("grid")
        if not grid_id:
            current = None
        elif current is not None and current["id"] == grid_id:
            current["rows"].append(entry)
            entry["in_grid"] = True
        else:
            config = entry["question"].config
            current = {"id": grid_id, "label": config.get("grid_label", ""),
                       "help": config.get("grid_help", ""), "rows": [entry],
                       "points": [str(LIKERT_LABELS[point]) for point in range(5, 0, -1)]}
            entry["grid"] = current
    return results


def officer_results(survey, filters: Filters | None = None) -> dict:
    """What the officers' results page shows, cached until the survey's answers change.

    `results` (with charts, the latest 50 comments per question and, for "show us where",
    the dot map), `channels` [(label, count)], `duplicates` (count) and `flagged` (the latest
    50 likely duplicates with why).
    """
    return _cached(_results_key(survey, "officers", filters),
                   lambda: _officer_summary(survey, filters))


def _officer_summary(survey, filters) -> dict:
    results = _with_charts(compute_results(survey, filters, include_text=True,
                                           include_points=True))
    areas = None
    for entry in results["questions"]:
        entry["comments"] = entry.get("comments", [])[:50]
        if "points" in entry:
            if areas is None:
                areas = (list(survey.neighbourhoods.all())
                         or list(Neighbourhood.objects.order_by("name")))
            entry["map"] = dot_map(entry["points"], areas)
    responses = Response.objects.for_survey(survey.pooled_survey)
    channel_counts = dict(responses.values_list("channel").annotate(n=Count("id")).order_by())
    language_counts = dict(responses.values_list("language").annotate(n=Count("id"))
                           .order_by())
    flagged = list(responses.flagged().order_by("-submitted_at")
                   .values("reference", "submitted_at", "duplicate_reason",
                           "duplicate_of__reference")[:50])
    reasons = dict(Response.DUPLICATE_REASONS)
    for row in flagged:
        row["reason"] = str(reasons.get(row["duplicate_reason"], _("Same connection")))
    return {
        "results": results,
        "channels": [(str(label), channel_counts.get(code, 0))
                     for code, label in Response.CHANNELS],
        "languages": [(language_name(code), n) for code, n in sorted(language_counts.items())],
        "duplicates": responses.flagged().count(),
        "flagged": flagged,
    }


def language_name(code: str) -> str:
    """A response language's name in the reader's language ("Not recorded" for old ones)."""
    if not code:
        return str(_("Not recorded"))
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def public_results(survey) -> dict:
    """The published, suppressed summary with charts, cached until the answers change."""
    return _cached(_results_key(survey, "public", None),
                   lambda: _with_charts(suppressed(compute_results(survey))))
