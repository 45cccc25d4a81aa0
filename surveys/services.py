"""Survey logic: the question registry, answering, submission, results and exports.

Views, page routes, admin views and commands call these functions and stay thin.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import ratelimit
from portal.ratelimit import ip_hash  # noqa: F401  (stored on responses; kept here for callers)

from .blocks import LIKERT_LABELS
from .equality import equality_questions
from .models import Answer, Option, Question, Response, SurveyPage

# The registry -------------------------------------------------------------------------------


@dataclass
class QuestionSpec:
    key: str
    kind: str
    label: str
    section: int
    section_title: str
    help_text: str = ""
    required: bool = False
    config: dict = field(default_factory=dict)
    theme_id: int | None = None
    options: list = field(default_factory=list)  # (key, label, theme_id)
    show_if: tuple | None = None  # (question label, option label)


def _theme_id(theme):
    return getattr(theme, "pk", None) if theme else None


def question_specs(page) -> list[QuestionSpec]:
    """The questions of a page's StreamField, in order, as plain specs keyed by block id."""
    specs = []
    for section_index, section in enumerate(page.sections):
        title = section.value["title"]
        for child in section.value["questions"]:
            if not child.id:
                continue  # a block not saved yet has no identity; it is synced on publish
            value = child.value
            if child.block_type == Question.EQUALITY:
                for code, label, options in equality_questions():
                    specs.append(QuestionSpec(
                        key=f"{child.id}_{code}", kind=Question.EQUALITY, label=str(label),
                        section=section_index, section_title=title,
                        options=[(o_code, str(o_label), None) for o_code, o_label in options],
                    ))
                continue
            spec = QuestionSpec(
                key=child.id, kind=child.block_type, label=value["question"],
                section=section_index, section_title=title,
                help_text=value.get("help_text") or "", required=bool(value.get("required")),
                theme_id=_theme_id(value.get("theme")),
            )
            if value.get("show_if_question") and value.get("show_if_answer"):
                spec.show_if = (value["show_if_question"].strip(), value["show_if_answer"].strip())
            if "options" in value:
                spec.options = [
                    (item.id, item.value["label"], _theme_id(item.value.get("theme")))
                    for item in value["options"].bound_blocks if item.id
                ]
            if child.block_type == Question.MULTIPLE:
                spec.config = {"min": value.get("min_choices"), "max": value.get("max_choices")}
            elif child.block_type == Question.RANKING:
                spec.config = {"rank_count": min(value.get("rank_count") or 1,
                                                 max(len(spec.options), 1))}
            elif child.block_type == Question.TEXT:
                spec.config = {"long": bool(value.get("long")),
                               "max_length": value.get("max_length") or 500}
            elif child.block_type == Question.NUMBER:
                spec.config = {"min": value.get("min_value"), "max": value.get("max_value")}
            elif child.block_type == Question.MAP_PIN:
                places = [item for item in value["places"].bound_blocks if item.id]
                spec.options = [(item.id, item.value["name"], None) for item in places]
                spec.config = {
                    "postcode": bool(value.get("allow_postcode")),
                    "places": {item.id: [item.value["latitude"], item.value["longitude"]]
                               for item in places},
                }
            specs.append(spec)
    return specs


def _previous_conditions(page) -> dict:
    """Conditions as last published: key -> (question key, option key, wording then)."""
    if not page.pk:
        return {}
    return {
        key: (question_key, option_key, tuple((config or {}).get("show_if") or ()))
        for key, question_key, option_key, config in
        Question.objects.filter(survey_id=page.pk, show_if_option__isnull=False).values_list(
            "key", "show_if_option__question__key", "show_if_option__key", "config")
    }


def _resolve_show_if(spec, earlier: list[QuestionSpec], previous: dict | None = None):
    """(question key, option key) a condition names, or an error message.

    Conditions name the earlier question and option by their wording. A condition the officer
    has not touched since it was last published stays linked by id, so rewording the earlier
    question or option does not break it.
    """
    question_label, option_label = spec.show_if
    linked = (previous or {}).get(spec.key)
    if linked and linked[2] == tuple(spec.show_if):
        for candidate in earlier:
            if candidate.key == linked[0] and candidate.section < spec.section and any(
                    key == linked[1] for key, _label, _theme in candidate.options):
                return linked[:2], None
    for candidate in earlier:
        if (candidate.label.strip().casefold() == question_label.casefold()
                and candidate.kind in (Question.SINGLE, Question.MULTIPLE)
                and candidate.section < spec.section):
            for key, label, _theme in candidate.options:
                if label.strip().casefold() == option_label.casefold():
                    return (candidate.key, key), None
            return None, _("“%(question)s”: the earlier question has no option “%(option)s”.") % {
                "question": spec.label, "option": option_label}
    return None, _("“%(question)s” depends on “%(earlier)s”, which is not a single or multiple "
                   "choice question in an earlier section.") % {
        "question": spec.label, "earlier": question_label}


def registry_errors(page) -> list[str]:
    """Why the page's questions cannot be published: refused type changes, broken conditions."""
    errors = []
    specs = question_specs(page)
    answered = dict(
        Question.objects.filter(survey_id=page.pk, answers__isnull=False)
        .values_list("key", "kind").distinct()
    )
    previous = _previous_conditions(page)
    for index, spec in enumerate(specs):
        old_kind = answered.get(spec.key)
        if old_kind and old_kind != spec.kind:
            errors.append(_(
                "“%(question)s” already has answers, so its type cannot change from %(old)s to "
                "%(new)s. Add a new question instead and remove this one (its answers are kept)."
            ) % {"question": spec.label, "old": dict(Question.KINDS)[old_kind],
                 "new": dict(Question.KINDS)[spec.kind]})
        if spec.show_if:
            _resolved, error = _resolve_show_if(spec, specs[:index], previous)
            if error:
                errors.append(error)
    return errors


@transaction.atomic
def sync_registry(page) -> None:
    """Upsert Question and Option rows from the page's blocks; retire what was removed."""
    errors = registry_errors(page)
    if errors:
        raise ValidationError(errors)
    specs = question_specs(page)
    previous = _previous_conditions(page)
    existing = {q.key: q for q in Question.objects.filter(survey_id=page.pk)}
    options = {}
    for o in Option.objects.filter(question__survey_id=page.pk):
        options[(o.question_id, o.key)] = o
    seen_questions, keys_to_question = set(), {}
    for position, spec in enumerate(specs):
        question = existing.get(spec.key) or Question(survey_id=page.pk, key=spec.key)
        question.kind, question.label, question.help_text = spec.kind, spec.label, spec.help_text
        question.required, question.section = spec.required, spec.section
        question.section_title, question.position = spec.section_title, position
        question.config, question.theme_id, question.retired = spec.config, spec.theme_id, False
        question.show_if_option = None
        question.save()
        seen_questions.add(question.pk)
        keys_to_question[spec.key] = question
        seen_options = set()
        for option_position, (key, label, theme_id) in enumerate(spec.options):
            option = options.get((question.pk, key)) or Option(question=question, key=key)
            option.label, option.position, option.theme_id = label, option_position, theme_id
            option.retired = False
            option.save()
            options[(question.pk, key)] = option
            seen_options.add(option.pk)
        Option.objects.filter(question=question).exclude(pk__in=seen_options).update(retired=True)
    Question.objects.filter(survey_id=page.pk).exclude(pk__in=seen_questions).update(retired=True)
    for index, spec in enumerate(specs):
        if spec.show_if:
            (question_key, option_key), _error = _resolve_show_if(spec, specs[:index], previous)
            question = keys_to_question[spec.key]
            question.show_if_option = options[(keys_to_question[question_key].pk, option_key)]
            question.config = {**question.config, "show_if": list(spec.show_if)}
            question.save(update_fields=["show_if_option", "config"])
    results_changed(page.pk)


# Answering ----------------------------------------------------------------------------------


def active_questions(survey) -> list[Question]:
    """The live questions with their current options (two queries)."""
    from django.db.models import Prefetch

    return list(
        survey.questions.filter(retired=False).select_related("show_if_option")
        .prefetch_related(Prefetch("options", queryset=Option.objects.filter(retired=False)))
    )


def is_visible(question, data: dict) -> bool:
    """Skip logic: shown unless it depends on an earlier answer that was not given."""
    option = question.show_if_option
    if option is None:
        return True
    return str(option.pk) in data.get(f"q{option.question_id}", [])


def plan(survey, data: dict, questions=None) -> list[tuple[int, str, list]]:
    """The steps a person sees given their answers so far: (section, title, visible questions)."""
    steps: dict[int, tuple[str, list]] = {}
    for question in questions if questions is not None else active_questions(survey):
        if is_visible(question, data):
            steps.setdefault(question.section, (question.section_title, []))[1].append(question)
    return [(section, title, qs) for section, (title, qs) in sorted(steps.items())]


def new_reference() -> str:
    """A short reference people can quote: 'HYS-' and 8 unambiguous characters."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "HYS-" + "".join(secrets.choice(alphabet) for _ in range(8))


# A workshop on shared wifi (say a forum of 150 people) submits from one address within the
# hour; this limit only stops a machine posting hundreds of responses from one address.
SUBMISSIONS_PER_HOUR = 300


def rate_limited(ip: str) -> bool:
    """True when this address has stored more responses this hour than allowed.

    Counts this attempt. `SURVEYS_SUBMISSIONS_PER_HOUR` (default 300) is generous on purpose:
    a room full of people answering on one connection must get through.
    """
    limit = getattr(settings, "SURVEYS_SUBMISSIONS_PER_HOUR", SUBMISSIONS_PER_HOUR)
    return ratelimit.hit("surveys", ip, limit)


def already_answered(survey, user) -> bool:
    return bool(user and user.is_authenticated
                and Response.objects.filter(survey=survey, user=user).exists())


def browser_hash(user_agent: str, languages: str = "", token: str = "") -> str:
    """A keyed hash of a browser: its user agent, languages and session token.

    The token (random, kept in the person's session) tells apart two phones of the same model
    in one room; without a user agent there is no fingerprint at all.
    """
    if not (user_agent or "").strip():
        return ""
    return ip_hash(f"browser|{user_agent.strip()}|{(languages or '').strip()}|{token}")


# Near-identical: at least this share of the answer values is the same (all of them in a short
# survey). Same browser: this many minutes apart at most.
DUPLICATE_SIMILARITY = 0.9
DUPLICATE_WINDOW_MINUTES = 15
_DUPLICATE_CANDIDATES = 200


def _answer_key(answer: dict) -> tuple:
    text = " ".join(str(answer.get("text") or "").casefold().split())
    return (answer.get("question_id"), answer.get("option_id"), answer.get("rank"),
            answer.get("number"), text, answer.get("latitude"), answer.get("longitude"),
            answer.get("neighbourhood_id"))


def _similarity(first: set, second: set) -> float:
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def likely_duplicate(survey, answers: list[dict], *, channel, hashed_ip, hashed_browser,
                     now) -> tuple[str, Response | None]:
    """(reason, earlier response) when this online response is likely a duplicate, else ("", None).

    Likely duplicate only when an earlier online response came from the same address (keyed
    hash) AND either its answers are near-identical, or it came from the same browser (user
    agent, languages and session token) within `SURVEYS_DUPLICATE_WINDOW_MINUTES`. So a room
    answering on one wifi with their own answers is not flagged, and paper, forum and phone
    entries never are. Two queries at most, however many responses share the address.
    """
    if channel != Response.ONLINE or not hashed_ip:
        return "", None
    window = getattr(settings, "SURVEYS_DUPLICATE_WINDOW_MINUTES", DUPLICATE_WINDOW_MINUTES)
    earlier = list(Response.objects.filter(survey=survey, ip_hash=hashed_ip,
                                           channel=Response.ONLINE)
                   .order_by("-submitted_at")[:_DUPLICATE_CANDIDATES])
    if not earlier:
        return "", None
    mine = {_answer_key(answer) for answer in answers}
    theirs: dict[int, set] = defaultdict(set)
    for row in (Answer.objects.filter(response__in=[r.pk for r in earlier])
                .values("response_id", "question_id", "option_id", "rank", "number", "text",
                        "latitude", "longitude", "neighbourhood_id")):
        theirs[row.pop("response_id")].add(_answer_key(row))
    for response in earlier:
        if _similarity(mine, theirs.get(response.pk, set())) >= DUPLICATE_SIMILARITY:
            return Response.SAME_ANSWERS, response
    for response in earlier:
        if (hashed_browser and response.browser_hash == hashed_browser
                and abs(now - response.submitted_at) <= timedelta(minutes=window)):
            return Response.SAME_BROWSER, response
    return "", None


@transaction.atomic
def submit_response(survey, answers: list[dict], *, channel=Response.ONLINE, neighbourhood_id=None,
                    user=None, ip="", user_agent="", languages="", browser="",
                    entered_by=None, submitted_at=None) -> Response:
    """Store one response and its answer rows; flags a likely duplicate (see likely_duplicate).

    `answers` are Answer field values by id (question_id, option_id, rank, number, text,
    latitude, longitude, neighbourhood_id).
    """
    online = channel == Response.ONLINE
    hashed = ip_hash(ip) if ip and online else ""
    hashed_browser = browser_hash(user_agent, languages, browser) if online else ""
    when = submitted_at or timezone.now()
    reason, earlier = likely_duplicate(survey, answers, channel=channel, hashed_ip=hashed,
                                       hashed_browser=hashed_browser, now=when)
    response = Response.objects.create(
        survey=survey, reference=new_reference(), channel=channel,
        neighbourhood_id=neighbourhood_id,
        user=user if user and user.is_authenticated else None, entered_by=entered_by,
        ip_hash=hashed, browser_hash=hashed_browser, duplicate_suspect=bool(reason),
        duplicate_reason=reason, duplicate_of=earlier, submitted_at=when,
    )
    Answer.objects.bulk_create([Answer(response=response, survey_id=survey.pk, **answer)
                                for answer in answers])
    results_changed(survey.pk)
    return response


def send_receipt(survey, reference, email, request=None) -> None:
    """Email a person their reference number; the address is not stored."""
    from django.core.mail import send_mail

    url = survey.get_full_url(request) if request is not None else survey.url
    send_mail(
        _("Your answers to “%(survey)s”: reference %(reference)s")
        % {"survey": survey.title, "reference": reference},
        _("Thank you for answering “%(survey)s”.\n\nYour reference number is %(reference)s. "
          "Quote it if you contact us about your answers.\n\nThe survey closes on %(date)s; "
          "we will then publish what we heard and what we decided: %(url)s\n")
        % {"survey": survey.title, "reference": reference, "url": url,
           "date": timezone.localtime(survey.closes_at).strftime("%d %B %Y")},
        None, [email],
    )


# Results ------------------------------------------------------------------------------------


@dataclass
class Filters:
    neighbourhood: int | None = None
    channel: str | None = None
    since: object = None
    until: object = None
    equality_option: int | None = None  # responses giving this equality-monitoring answer


def compute_results(survey, filters: Filters | None = None, include_text=False,
                    include_points=False) -> dict:
    """Counts, percentages, Borda scores, Likert distributions and number summaries.

    A constant number of queries whatever the number of questions or responses: one GROUP BY
    over all answer rows, plus one for multiple-choice respondents, one for neighbourhoods and
    one for "show us where" neighbourhoods. `include_points` (officers only) adds the marked
    points of "show us where" questions, grouped by position (one more query).
    """
    filters = filters or Filters()
    responses = Response.objects.filter(survey=survey).filtered(
        filters.neighbourhood, filters.channel, filters.since, filters.until)
    if filters.equality_option:
        responses = responses.filter(answers__option_id=filters.equality_option,
                                     answers__question__kind=Question.EQUALITY)
    total = responses.count()
    answers = Answer.objects.filter(survey=survey)
    if filters != Filters():
        answers = answers.filter(response__in=responses.values("pk"))
    questions = list(survey.questions.select_related("theme").prefetch_related("options"))

    # One scan groups every answer row by (question, option, rank, number). Single-valued
    # questions have one row per respondent, so their respondents are a sum; a ranking has
    # exactly one rank 1 per respondent; only multiple choice needs COUNT(DISTINCT).
    option_counts: dict = defaultdict(lambda: {"n": 0, "rank_sum": 0})
    numbers: dict = defaultdict(dict)
    rows_per_question: dict = defaultdict(int)
    first_ranks: dict = defaultdict(int)
    grouped = (answers.values_list("question_id", "option_id", "rank", "number")
               .annotate(n=Count("id")).order_by())
    for question_id, option_id, rank, number, n in grouped:
        rows_per_question[question_id] += n
        if option_id is not None:
            counts = option_counts[(question_id, option_id)]
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
    number_rows = {(question_id, value): n for question_id, values in numbers.items()
                   for value, n in values.items()}
    number_stats = {
        question_id: {"n": sum(values.values()),
                      "total": sum(value * n for value, n in values.items()),
                      "low": min(values), "high": max(values)}
        for question_id, values in numbers.items()
    }
    where = {}
    where_ids = [q.pk for q in questions if q.kind == Question.WHERE]
    if where_ids:
        where = dict(
            responses.filter(pk__in=answers.filter(question_id__in=where_ids)
                             .values("response_id"))
            .values_list("neighbourhood__name").annotate(n=Count("id")).order_by()
        )
    map_areas: dict = defaultdict(dict)
    map_points: dict = defaultdict(list)
    map_ids = [q.pk for q in questions if q.kind == Question.MAP_PIN]
    if map_ids:
        for question_id, name, n in (answers.filter(question_id__in=map_ids)
                                     .values_list("question_id", "neighbourhood__name")
                                     .annotate(n=Count("id")).order_by()):
            map_areas[question_id][name] = n
        if include_points:
            for question_id, lat, lng, n in (
                    answers.filter(question_id__in=map_ids, latitude__isnull=False,
                                   longitude__isnull=False)
                    .values_list("question_id", "latitude", "longitude")
                    .annotate(n=Count("id")).order_by()[:MAX_POINTS]):
                map_points[question_id].append((lat, lng, n))
    texts: dict[int, list] = {}
    if include_text:
        for question_id, text, reference in answers.filter(
                question__kind=Question.TEXT).exclude(text="").values_list(
                "question_id", "text", "response__reference").order_by("-response__submitted_at"):
            texts.setdefault(question_id, []).append({"text": text, "reference": reference})

    results = []
    for question in questions:
        answered = respondents.get(question.pk, 0)
        entry = {"question": question, "kind": question.kind, "respondents": answered,
                 "rows": [], "retired": question.retired}
        if question.kind in Question.CHOICE_KINDS:
            rank_count = question.config.get("rank_count") or 0
            for option in question.options.all():
                row = option_counts.get((question.pk, option.pk)) or {"n": 0, "rank_sum": 0}
                if option.retired and not row["n"]:
                    continue
                data = {"label": option.label, "count": row["n"], "retired": option.retired,
                        "theme": option.theme_id,
                        "percent": _percent(row["n"], answered)}
                if question.kind == Question.RANKING:
                    data["borda"] = row["n"] * (rank_count + 1) - row["rank_sum"]
                    data["mean_rank"] = round(row["rank_sum"] / row["n"], 2) if row["n"] else None
                entry["rows"].append(data)
            if question.kind == Question.RANKING:
                entry["rows"].sort(key=lambda r: (-r["borda"], r["label"]))
        elif question.kind == Question.LIKERT:
            for point in range(5, 0, -1):
                n = number_rows.get((question.pk, point), 0)
                entry["rows"].append({"label": str(LIKERT_LABELS[point]), "count": n,
                                      "point": point, "percent": _percent(n, answered)})
            agree = sum(number_rows.get((question.pk, p), 0) for p in (4, 5))
            disagree = sum(number_rows.get((question.pk, p), 0) for p in (1, 2))
            entry["net_score"] = (round(100 * (agree - disagree) / answered) if answered
                                  else None)
        elif question.kind == Question.NUMBER:
            stats = number_stats.get(question.pk)
            if stats:
                entry["mean"] = round(stats["total"] / stats["n"], 1)
                entry["low"], entry["high"] = stats["low"], stats["high"]
        elif question.kind == Question.WHERE:
            for name, n in sorted(where.items(), key=lambda item: (-item[1], str(item[0]))):
                entry["rows"].append({"label": name or _("Outside the area or not given"),
                                      "count": n, "percent": _percent(n, answered)})
        elif question.kind == Question.TEXT:
            entry["comments"] = texts.get(question.pk, [])
        elif question.kind == Question.MAP_PIN:
            areas = map_areas.get(question.pk, {})
            for name, n in sorted(areas.items(),
                                  key=lambda item: (item[0] is None, -item[1], str(item[0]))):
                entry["rows"].append({"label": name or _("Outside the neighbourhoods"),
                                      "count": n, "percent": _percent(n, answered)})
            entry["places"] = []
            for option in question.options.all():
                row = option_counts.get((question.pk, option.pk)) or {"n": 0}
                if option.retired and not row["n"]:
                    continue
                entry["places"].append({"label": option.label, "count": row["n"],
                                        "retired": option.retired,
                                        "percent": _percent(row["n"], answered)})
            if include_points:
                entry["points"] = map_points.get(question.pk, [])
        results.append(entry)
    return {"total": total, "questions": results}


# The officers' dot map draws at most this many distinct positions.
MAX_POINTS = 5000


def _percent(count, of):
    return round(100 * count / of, 1) if of else 0


def suppressed(results: dict, threshold: int | None = None) -> dict:
    """A public copy of results: no equality or text answers, counts below threshold hidden."""
    threshold = settings.PORTAL_SUPPRESSION_THRESHOLD if threshold is None else threshold
    public = []
    for entry in results["questions"]:
        if entry["kind"] in (Question.EQUALITY, Question.TEXT) or entry["retired"]:
            continue
        entry = {**entry, "rows": [dict(row) for row in entry["rows"]]}
        entry.pop("comments", None)
        entry.pop("low", None)  # extremes single out one person
        entry.pop("high", None)
        entry.pop("points", None)  # "show us where": only counts per neighbourhood or place
        entry.pop("map", None)
        if "places" in entry:
            entry["places"] = [dict(row) for row in entry["places"] if not row.get("retired")]
        small_total = entry["respondents"] < threshold
        if small_total:
            entry["respondents_suppressed"] = True
            entry.pop("net_score", None)
            entry.pop("mean", None)
        for row in entry["rows"] + entry.get("places", []):
            if small_total or row["count"] < threshold:
                row.update(count=None, percent=None, suppressed=True)
                row.pop("borda", None)
                row.pop("mean_rank", None)
        public.append(entry)
    return {"total": results["total"] if results["total"] >= threshold else None,
            "questions": public, "threshold": threshold}


def chart(rows, value="count", width=400) -> dict:
    """Geometry of a horizontal bar chart drawn as SVG on the server."""
    bar_height, gap, label_width = 24, 12, 0
    values = [row.get(value) or 0 for row in rows]
    top = max(values) if values and max(values) > 0 else 1
    bars = []
    for index, (row, number) in enumerate(zip(rows, values, strict=True)):
        y = index * (bar_height + gap)
        length = round(width * number / top) if number else 0
        bars.append({"label": row["label"], "y": y, "text_y": y + bar_height + 14 - bar_height,
                     "bar_y": y + 16, "width": length, "value": row.get(value),
                     "suppressed": row.get("suppressed", False), "value_x": length + 6})
    return {"bars": bars, "width": width + 120 + label_width,
            "height": max(len(rows) * (bar_height + gap) + 16, 40), "bar_height": bar_height - 8}


def dot_map(points, neighbourhoods, width=600) -> dict | None:
    """Geometry of a server-drawn SVG map: neighbourhood outlines and a dot per marked position.

    For officers only (points are never published). `points` are (lat, lng, count); a dot's
    area grows with its count. Returns None when there is nothing to draw.
    """
    import math

    from shapely.geometry import shape

    shapes = []
    for neighbourhood in neighbourhoods:
        try:
            shapes.append((neighbourhood.name, shape(neighbourhood.boundary)))
        except (AttributeError, KeyError, TypeError, ValueError):
            continue  # no boundary to draw
    lngs = [lng for _lat, lng, _n in points]
    lats = [lat for lat, _lng, _n in points]
    for _name, geometry in shapes:
        min_x, min_y, max_x, max_y = geometry.bounds
        lngs += [min_x, max_x]
        lats += [min_y, max_y]
    if not lngs:
        return None
    min_lng, max_lng, min_lat, max_lat = min(lngs), max(lngs), min(lats), max(lats)
    squash = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lng - min_lng) * squash, 0.005)
    span_y = max(max_lat - min_lat, 0.005)
    pad = 12
    scale = (width - 2 * pad) / span_x
    height = round(span_y * scale + 2 * pad)

    def xy(lng, lat):
        return (round(pad + (lng - min_lng) * squash * scale, 1),
                round(pad + (max_lat - lat) * scale, 1))

    def rings(geometry):
        polygons = getattr(geometry, "geoms", [geometry])
        for polygon in polygons:
            yield polygon.exterior
            yield from polygon.interiors

    areas = []
    for name, geometry in shapes:
        simple = geometry.simplify(span_y / 400, preserve_topology=True)
        path = " ".join(
            "M" + " L".join("{},{}".format(*xy(x, y)) for x, y in ring.coords) + " Z"
            for ring in rings(simple))
        label = geometry.representative_point()
        label_x, label_y = xy(label.x, label.y)
        areas.append({"name": name, "path": path, "label_x": label_x, "label_y": label_y})
    dots = []
    for lat, lng, n in points:
        x, y = xy(lng, lat)
        dots.append({"x": x, "y": y, "count": n, "r": round(3 + 2 * math.sqrt(n - 1), 1)})
    return {"width": width, "height": height, "areas": areas, "dots": dots,
            "people": sum(n for _lat, _lng, n in points), "positions": len(points)}


# Caching results between requests -----------------------------------------------------------
#
# Results are cached per survey, audience (officers or public), filters and language, under a
# per-survey version that changes whenever a response, answer or comment coding of the survey
# changes (signals connected in SurveysConfig.ready) or the survey is published again. Repeated
# loads of a results page then cost a handful of queries whatever the number of responses.

RESULTS_CACHE_SECONDS = 60 * 60


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


def _results_key(survey_id, audience, filters: Filters | None) -> str:
    from django.utils.translation import get_language

    filters = filters or Filters()
    parts = [filters.neighbourhood, filters.channel,
             filters.since.isoformat() if filters.since else "",
             filters.until.isoformat() if filters.until else "", filters.equality_option]
    return (f"surveys:results:{survey_id}:{results_version(survey_id)}:{audience}:"
            f"{get_language()}:" + ":".join("" if p is None else str(p) for p in parts))


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
    return results


def officer_results(survey, filters: Filters | None = None) -> dict:
    """What the officers' results page shows, cached until the survey's answers change.

    `results` (with charts, the latest 50 comments per question and, for "show us where",
    the dot map), `channels` [(label, count)], `duplicates` (count) and `flagged` (the latest
    50 likely duplicates with why).
    """
    def compute():
        from portal.neighbourhoods.models import Neighbourhood

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
        channel_counts = dict(Response.objects.for_survey(survey).values_list("channel")
                              .annotate(n=Count("id")).order_by())
        flagged = list(Response.objects.for_survey(survey).flagged().order_by("-submitted_at")
                       .values("reference", "submitted_at", "duplicate_reason",
                               "duplicate_of__reference")[:50])
        reasons = dict(Response.DUPLICATE_REASONS)
        for row in flagged:
            row["reason"] = str(reasons.get(row["duplicate_reason"], _("Same connection")))
        return {
            "results": results,
            "channels": [(str(label), channel_counts.get(code, 0))
                         for code, label in Response.CHANNELS],
            "duplicates": Response.objects.for_survey(survey).flagged().count(),
            "flagged": flagged,
        }

    return _cached(_results_key(survey.pk, "officers", filters), compute)


def public_results(survey) -> dict:
    """The published, suppressed summary with charts, cached until the answers change."""
    return _cached(_results_key(survey.pk, "public", None),
                   lambda: _with_charts(suppressed(compute_results(survey))))


# Exports ------------------------------------------------------------------------------------

EXPORT_FIXED = ["reference", "submitted_at", "channel", "neighbourhood", "possible_duplicate",
                "duplicate_reason"]


def _answer_text(question, answers):
    if question.kind in (Question.SINGLE, Question.MULTIPLE, Question.EQUALITY):
        return "; ".join(a["option__label"] for a in answers)
    if question.kind == Question.RANKING:
        ordered = sorted(answers, key=lambda a: a["rank"] or 0)
        return "; ".join(f"{a['rank']}. {a['option__label']}" for a in ordered)
    if question.kind == Question.LIKERT:
        return "; ".join(str(LIKERT_LABELS.get(a["number"], "")) for a in answers)
    if question.kind == Question.NUMBER:
        return "; ".join(str(a["number"]) for a in answers)
    if question.kind == Question.MAP_PIN:
        return "; ".join(a["option__label"] or a["neighbourhood__name"] or
                         (_("Marked on the map") if a["latitude"] is not None else "")
                         for a in answers)
    return "; ".join(a["text"] for a in answers)


def _coordinates(answers):
    point = next((a for a in answers if a["latitude"] is not None), None)
    return [point["latitude"], point["longitude"]] if point else ["", ""]


def export_rows(survey, equality=False, points=False):
    """Rows of the responses export: a fixed schema, one column per question (retired too).

    Equality answers only appear in the equality export, which has no reference numbers and
    is not in submission order, so it cannot be joined back to people's other answers.
    `points` (officers' exports only) adds latitude and longitude columns after each "show us
    where" question.
    """
    questions = [q for q in survey.questions.all()
                 if (q.kind == Question.EQUALITY) == equality]
    with_points = {q.pk for q in questions if points and q.kind == Question.MAP_PIN}
    if equality:
        yield ["channel", "neighbourhood"] + [q.label for q in questions]
    else:
        header = list(EXPORT_FIXED)
        for q in questions:
            label = f"{q.label}{' (retired)' if q.retired else ''}"
            header.append(label)
            if q.pk in with_points:
                header += [f"{label} (latitude)", f"{label} (longitude)"]
        yield header
    by_id = {q.pk: q for q in questions}
    reasons = dict(Response.DUPLICATE_REASONS)
    rows = (Answer.objects.filter(survey=survey, question_id__in=list(by_id))
            .values("response_id", "question_id", "option__label", "rank", "number", "text",
                    "latitude", "longitude", "neighbourhood__name",
                    "response__reference", "response__submitted_at", "response__channel",
                    "response__neighbourhood__name", "response__duplicate_suspect",
                    "response__duplicate_reason")
            .order_by("response_id", "id"))

    def emit(head, grouped):
        cells = []
        for q in questions:
            cells.append(_answer_text(q, grouped.get(q.pk, [])))
            if q.pk in with_points:
                cells += _coordinates(grouped.get(q.pk, []))
        if equality:
            return [head["response__channel"], head["response__neighbourhood__name"] or ""] + cells
        reason = head["response__duplicate_reason"]
        return [head["response__reference"], head["response__submitted_at"].isoformat(),
                head["response__channel"], head["response__neighbourhood__name"] or "",
                "yes" if head["response__duplicate_suspect"] else "",
                str(reasons.get(reason, reason))] + cells

    records = (emit(head, grouped) for head, grouped in _by_response(rows.iterator(2000)))
    if equality:
        records = list(records)
        secrets.SystemRandom().shuffle(records)
    yield from records


def _by_response(rows):
    """(first row, {question id: [rows]}) for each response of answer rows sorted by response."""
    current, grouped = None, {}
    for row in rows:
        if current is not None and row["response_id"] != current["response_id"]:
            yield current, grouped
            grouped = {}
        current = row
        grouped.setdefault(row["question_id"], []).append(row)
    if current is not None:
        yield current, grouped


def aggregate_rows(results: dict):
    """Rows of the aggregate export: one per question option (or Likert point)."""
    yield ["question", "type", "respondents", "answer", "count", "percent", "borda_score",
           "mean_rank", "retired"]
    for entry in results["questions"]:
        question = entry["question"]
        if not entry["rows"]:
            yield [question.label, question.kind, entry["respondents"], "", "", "", "", "",
                   "yes" if entry["retired"] else ""]
        for row in entry["rows"] + entry.get("places", []):
            yield [question.label, question.kind, entry["respondents"], row["label"],
                   row["count"], row["percent"], row.get("borda", ""), row.get("mean_rank", ""),
                   "yes" if row.get("retired") or entry["retired"] else ""]


def csv_text(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


# Listings and extension points ---------------------------------------------------------------


def live_surveys():
    return SurveyPage.objects.live().public().order_by("closes_at")


def surveys_by_status(index_page) -> dict:
    """Open, upcoming and closed surveys under an index page."""
    now = timezone.now()
    surveys = list(SurveyPage.objects.child_of(index_page).live().public()
                   .order_by("closes_at").prefetch_related("neighbourhoods"))
    return {
        "open_surveys": [s for s in surveys if s.status(now) == "open"],
        "upcoming_surveys": [s for s in surveys if s.status(now) == "not_open"],
        "closed_surveys": sorted([s for s in surveys if s.status(now) == "closed"],
                                 key=lambda s: s.closes_at, reverse=True),
    }


def open_surveys(neighbourhood=None):
    now = timezone.now()
    qs = live_surveys().filter(opens_at__lte=now, closes_at__gt=now)
    if neighbourhood is not None:
        qs = qs.filter(Q(neighbourhoods=neighbourhood) | Q(neighbourhoods__isnull=True)).distinct()
    return qs.prefetch_related("neighbourhoods")


def whats_on(request) -> list[dict]:
    """Open surveys for the home page's "what's on"."""
    from django.utils.formats import date_format

    items = []
    for survey in open_surveys():
        names = ", ".join(n.name for n in survey.neighbourhoods.all())
        items.append({
            "title": survey.title, "url": survey.get_url(request), "kind": _("Survey"),
            "when": _("Open until %(date)s") % {"date": date_format(
                timezone.localtime(survey.closes_at), "j F Y")},
            "neighbourhood": names or _("Whole area"),
            "sort_key": survey.closes_at.isoformat(),
        })
    return items


def neighbourhood_section(neighbourhood, request):
    """The 'have your say' section of a neighbourhood page, or None without open surveys."""
    surveys = list(open_surveys(neighbourhood))
    if not surveys:
        return None
    return {"title": gettext_lazy("Have your say"),
            "template": "surveys/includes/neighbourhood_section.html",
            "context": {"surveys": surveys, "request": request}}


def personal_data(user) -> list[dict]:
    """A person's own survey responses with their answers, for 'download your data'."""
    answers = (Answer.objects.filter(response__user=user)
               .select_related("response", "response__survey", "question", "option",
                               "neighbourhood")
               .order_by("response_id", "question__position", "rank"))
    responses: dict[int, dict] = {}
    for answer in answers:
        response = responses.setdefault(answer.response_id, {
            "survey": answer.response.survey.title, "reference": answer.response.reference,
            "submitted_at": answer.response.submitted_at.isoformat(), "answers": []})
        value = (answer.option.label if answer.option else
                 str(LIKERT_LABELS.get(answer.number, answer.number))
                 if answer.question.kind == Question.LIKERT else
                 answer.neighbourhood.name if answer.neighbourhood
                 and answer.question.kind == Question.MAP_PIN else
                 answer.number if answer.number is not None else answer.text)
        item = {"question": answer.question.label, "answer": value, "rank": answer.rank}
        if answer.latitude is not None:
            item.update(latitude=answer.latitude, longitude=answer.longitude)
        response["answers"].append(item)
    for response in Response.objects.filter(user=user).exclude(pk__in=list(responses)):
        responses[response.pk] = {"survey": str(response.survey_id),
                                  "reference": response.reference,
                                  "submitted_at": response.submitted_at.isoformat(),
                                  "answers": []}
    return list(responses.values())


# Coding comments ----------------------------------------------------------------------------


def comments(survey, search=""):
    """Free-text answers of a survey, newest first, with their coding, optionally searched."""
    qs = (Answer.objects.filter(survey=survey, question__kind=Question.TEXT)
          .exclude(text="").select_related("response", "question", "coding")
          .prefetch_related("coding__themes").order_by("-response__submitted_at", "-pk"))
    if search:
        qs = qs.filter(text__icontains=search)
    return qs


@transaction.atomic
def code_comment(answer, theme_ids, safeguarding, user, request=None):
    """Tag a comment with themes and set its safeguarding flag; a new flag notifies the contact."""
    from .models import CommentCoding

    coding, _created = CommentCoding.objects.get_or_create(answer=answer)
    newly_flagged = safeguarding and not coding.safeguarding
    coding.safeguarding, coding.coded_by = safeguarding, user
    coding.save()
    coding.themes.set(theme_ids)
    if newly_flagged:
        transaction.on_commit(lambda: notify_safeguarding(answer, user, request))
    return coding


def safeguarding_contact(request=None) -> str:
    """`SURVEYS_SAFEGUARDING_EMAIL`, else the site's contact email."""
    configured = getattr(settings, "SURVEYS_SAFEGUARDING_EMAIL", "")
    if configured:
        return configured
    from portal.pages.models import PortalSettings

    try:
        return PortalSettings.for_request(request).contact_email if request else ""
    except Exception:  # no site for this request: nobody configured to tell
        return ""


def notify_safeguarding(answer, user, request=None) -> bool:
    """Email the safeguarding contact: the reference and where to read it, not the comment."""
    from django.core.mail import send_mail
    from django.urls import reverse

    contact = safeguarding_contact(request)
    if not contact:
        return False
    link = reverse("surveys_admin:comments", args=[answer.response.survey_id])
    if request is not None:
        link = request.build_absolute_uri(link)
    send_mail(
        _("Safeguarding concern flagged in survey response %(reference)s")
        % {"reference": answer.response.reference},
        _("%(officer)s flagged a comment in response %(reference)s to “%(survey)s” as a "
          "safeguarding concern.\n\nRead it here (sign-in needed): %(link)s\n")
        % {"officer": getattr(user, "email", ""), "reference": answer.response.reference,
           "survey": answer.response.survey.title, "link": link},
        None, [contact],
    )
    return True
