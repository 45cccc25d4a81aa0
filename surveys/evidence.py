"""Survey answers as evidence for neighbourhood priorities.

`rows()` yields plain `EvidenceRow`s, one per (neighbourhood, theme, source), from
theme-tagged answers, dated by the latest response behind the row. Priorities read surveys
only through this module.

Sources and weights:

- ``survey_choice``: a chosen single- or multiple-choice option tagged with a theme;
  weight 1 per choice.
- ``survey_ranking``: a ranked option tagged with a theme; weight is the Borda points the rank
  earns, normalised to 0..1: ``(rank_count - rank + 1) / rank_count`` (first place 1.0).
- ``survey_comment``: a free-text answer an officer has coded to a theme; weight 1 per theme.
- ``survey_rating``: an agree/disagree answer to a theme-tagged question, when the person
  agrees (4 or 5); weight 1 for "strongly agree", 0.5 for "agree".

``count`` is the number of answers behind the row and ``weight`` their summed weight.
Responses without a neighbourhood (no "where do you live" answer, whole-area survey) are left
out, because priorities are per neighbourhood. Retired themes are included: the evidence was
given when they were current.

For "who took part" and sample sizes the module also gives:

- `people()`: survey responses per neighbourhood (``theme_id`` None) and, per theme, the
  responses that chose, ranked or agreed with something tagged with it;
- `participants()`: equality-monitoring answers per neighbourhood, characteristic and category
  (counts of responses; the consumer suppresses small numbers before publishing them);
- `characteristics()`: the characteristics and categories with their labels;
- `pages()`: which survey pages the evidence of each neighbourhood and theme came from;
- `people_by_need()`: the same people as `people()`, split by the national IMD quintile of
  their home area (``Response.area_code``, from the postcode they gave). `participants()` also
  counts responses by that quintile as the characteristic "deprivation" (categories "q1".."q5",
  q1 the most deprived fifth of England). Responses without a known area are in neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.deprivation.services import quintiles_by_code
from portal.evidence_rows import EvidenceRow, PageRow, PeopleRow

from .equality import equality_questions
from .models import Answer, Option, Question, Response

# How priorities groups these rows (one officer-set weight per group).
SOURCE_GROUP = "surveys"
# Saving or deleting these models changes the rows (priorities' cache listens for them).
CHANGES_WITH = ("surveys.Response", "surveys.Answer", "surveys.CommentCoding",
                "surveys.Option", "surveys.Question")

CHARACTERISTIC_LABELS = {
    "age": _("Age"), "sex": _("Sex"), "gender_identity": _("Gender identity"),
    "ethnicity": _("Ethnic group"), "disability": _("Disability"), "carer": _("Unpaid carer"),
    "religion": _("Religion"), "sexual_orientation": _("Sexual orientation"),
}


DEPRIVATION = "deprivation"
DEPRIVATION_LABEL = _("Deprivation of home area")
QUINTILE_LABELS = [
    ("q1", _("Most deprived fifth of England")),
    ("q2", _("Second most deprived fifth")),
    ("q3", _("Middle fifth")),
    ("q4", _("Second least deprived fifth")),
    ("q5", _("Least deprived fifth")),
]


class NeedRow(NamedTuple):
    neighbourhood_id: int
    theme_id: int | None
    quintile: int
    people: int


class ParticipantRow(NamedTuple):
    neighbourhood_id: int
    characteristic: str
    category: str
    count: int


def _responses(since, until):
    return _bounds(Response.objects.filter(neighbourhood__isnull=False), since, until,
                   prefix="submitted_at")


def _answers(since, until):
    return _bounds(Answer.objects.filter(response__neighbourhood__isnull=False), since, until)


# A theme-tagged choice, ranking or agreement: the answers `people()` counts per theme.
_TAGGED = (Q(option__theme__isnull=False,
             question__kind__in=[Question.SINGLE, Question.MULTIPLE, Question.RANKING])
           | Q(question__kind=Question.LIKERT, question__theme__isnull=False, number__gte=4))


def people(since: date | None = None, until: date | None = None) -> Iterator[PeopleRow]:
    """Responses per neighbourhood (theme None), and per theme those that chose, ranked or
    agreed with something tagged with it (two GROUP BY queries). Coded comments are not
    counted here: they are in `rows()` as ``survey_comment``."""
    totals = (_responses(since, until).values_list("neighbourhood_id")
              .annotate(n=Count("id")).order_by())
    for neighbourhood_id, n in totals:
        yield PeopleRow(neighbourhood_id, None, n)
    per_theme = (_answers(since, until).filter(_TAGGED)
                 .annotate(theme=Coalesce("option__theme_id", "question__theme_id"))
                 .values_list("response__neighbourhood_id", "theme")
                 .annotate(n=Count("response_id", distinct=True)).order_by())
    for neighbourhood_id, theme_id, n in per_theme:
        yield PeopleRow(neighbourhood_id, theme_id, n)


def characteristics() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(code, label, [(category code, label), ...]) of the equality-monitoring questions."""
    return [*((code, CHARACTERISTIC_LABELS.get(code, label), options)
              for code, label, options in equality_questions()),
            (DEPRIVATION, DEPRIVATION_LABEL, QUINTILE_LABELS)]


def _by_quintile(grouped) -> dict[tuple, int]:
    """Sum (neighbourhood, theme, area code, n) rows into {(neighbourhood, theme, quintile): n},
    leaving out areas whose quintile is unknown."""
    grouped = list(grouped)
    quintiles = quintiles_by_code(code for _n, _t, code, _count in grouped)
    merged: dict[tuple, int] = defaultdict(int)
    for neighbourhood_id, theme_id, code, n in grouped:
        quintile = quintiles.get(code)
        if quintile is not None:
            merged[(neighbourhood_id, theme_id, quintile)] += n
    return merged


def people_by_need(since: date | None = None,
                   until: date | None = None) -> Iterator[NeedRow]:
    """`people()` split by the national IMD quintile (1..5) of each respondent's home area
    (two GROUP BY queries and one look-up of the areas); unknown areas are left out."""
    with_area = _responses(since, until).exclude(area_code="")
    totals = (with_area.values_list("neighbourhood_id", "area_code")
              .annotate(n=Count("id")).order_by())
    per_theme = (_answers(since, until).exclude(response__area_code="").filter(_TAGGED)
                 .annotate(theme=Coalesce("option__theme_id", "question__theme_id"))
                 .values_list("response__neighbourhood_id", "theme", "response__area_code")
                 .annotate(n=Count("response_id", distinct=True)).order_by())
    rows = [(n, None, code, count) for n, code, count in totals] + list(per_theme)
    for (neighbourhood_id, theme_id, quintile), n in sorted(
            _by_quintile(rows).items(), key=lambda item: (item[0][0], item[0][1] or 0,
                                                          item[0][2])):
        yield NeedRow(neighbourhood_id, theme_id, quintile, n)


def _deprivation_participants(since, until) -> dict[tuple, int]:
    totals = (_responses(since, until).exclude(area_code="")
              .values_list("neighbourhood_id", "area_code").annotate(n=Count("id")).order_by())
    merged = _by_quintile((n, None, code, count) for n, code, count in totals)
    return {(neighbourhood_id, DEPRIVATION, f"q{quintile}"): n
            for (neighbourhood_id, _theme, quintile), n in merged.items()}


def participants(since: date | None = None,
                 until: date | None = None) -> Iterator[ParticipantRow]:
    """Equality-monitoring answers per neighbourhood, characteristic and category (one query),
    and responses by the deprivation quintile of their home area (characteristic
    "deprivation", categories "q1".."q5"; one more query).

    Counts are of responses, and unsuppressed: whoever publishes them must hide small numbers.
    """
    grouped = (_answers(since, until).filter(question__kind=Question.EQUALITY,
                                             option__isnull=False)
               .values_list("response__neighbourhood_id", "question__key", "option__key")
               .annotate(n=Count("response_id", distinct=True)).order_by())
    merged: dict[tuple, int] = defaultdict(int)
    for neighbourhood_id, key, category, n in grouped:
        # Equality question keys are "<block id>_<characteristic>"; block ids have no "_".
        characteristic = key.split("_", 1)[1] if "_" in key else key
        merged[(neighbourhood_id, characteristic, category)] += n
    merged.update(_deprivation_participants(since, until))
    for (neighbourhood_id, characteristic, category), n in sorted(merged.items()):
        yield ParticipantRow(neighbourhood_id, characteristic, category, n)


def pages(since: date | None = None, until: date | None = None) -> Iterator[PageRow]:
    """Which survey pages each neighbourhood's evidence on a theme came from (two queries).

    A page counts for a neighbourhood and theme when it asks about the theme (a tagged option
    or agree/disagree question) and has responses from the neighbourhood. Working it out from
    the questions and the responses, rather than from every answer, keeps it off the answers
    table, the largest in the portal.
    """
    tagged: dict[int, set[int]] = defaultdict(set)
    for survey_id, theme_id in (Option.objects.filter(
            theme__isnull=False,
            question__kind__in=[Question.SINGLE, Question.MULTIPLE, Question.RANKING])
            .values_list("question__survey_id", "theme_id").distinct()):
        tagged[survey_id].add(theme_id)
    for survey_id, theme_id in (Question.objects.filter(kind=Question.LIKERT,
                                                        theme__isnull=False)
                                .values_list("survey_id", "theme_id").distinct()):
        tagged[survey_id].add(theme_id)
    if not tagged:
        return
    answered = (_responses(since, until).filter(survey_id__in=tagged)
                .values_list("neighbourhood_id", "survey_id").distinct().order_by())
    for neighbourhood_id, survey_id in answered:
        for theme_id in sorted(tagged[survey_id]):
            yield PageRow(neighbourhood_id, theme_id, survey_id)


def _bounds(answers, since, until, prefix="response__submitted_at"):
    """Filter by local calendar days as a datetime range (index-friendly, no per-row casts)."""
    zone = timezone.get_current_timezone()
    if since:
        start = datetime.combine(since, time.min, tzinfo=zone)
        answers = answers.filter(**{f"{prefix}__gte": start})
    if until:
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        answers = answers.filter(**{f"{prefix}__lt": end})
    return answers


def _day(value) -> date | None:
    return timezone.localdate(value) if value else None


def rows(since: date | None = None, until: date | None = None) -> Iterator[EvidenceRow]:
    """Evidence rows from theme-tagged survey answers (four GROUP BY queries).

    One row per (neighbourhood, theme, source), dated by the latest response behind it:
    grouping by day would cast every answer's timestamp, which is slow on SQLite.
    """
    answers = _bounds(Answer.objects.filter(response__neighbourhood__isnull=False), since, until)

    choices = (answers.filter(option__theme__isnull=False,
                              question__kind__in=[Question.SINGLE, Question.MULTIPLE])
               .values("response__neighbourhood_id", "option__theme_id")
               .annotate(n=Count("id"), last=Max("response__submitted_at")).order_by())
    for row in choices:
        yield EvidenceRow(row["response__neighbourhood_id"], row["option__theme_id"],
                          "survey_choice", float(row["n"]), row["n"], _day(row["last"]))

    ranked: dict[tuple, list] = defaultdict(lambda: [0.0, 0, None])
    rankings = (answers.filter(option__theme__isnull=False, question__kind=Question.RANKING,
                               rank__isnull=False)
                .values("response__neighbourhood_id", "option__theme_id",
                        "question__config", "rank")
                .annotate(n=Count("id"), last=Max("response__submitted_at")).order_by())
    for row in rankings:
        rank_count = (row["question__config"] or {}).get("rank_count") or row["rank"]
        key = (row["response__neighbourhood_id"], row["option__theme_id"])
        ranked[key][0] += row["n"] * max(rank_count - row["rank"] + 1, 0) / rank_count
        ranked[key][1] += row["n"]
        ranked[key][2] = max(filter(None, [ranked[key][2], row["last"]]), default=None)
    for (neighbourhood_id, theme_id), (weight, count, last) in ranked.items():
        yield EvidenceRow(neighbourhood_id, theme_id, "survey_ranking", round(weight, 3), count,
                          _day(last))

    ratings = (answers.filter(question__theme__isnull=False, question__kind=Question.LIKERT,
                              number__gte=4)
               .values("response__neighbourhood_id", "question__theme_id")
               .annotate(n=Count("id"), points=Sum(F("number") - 3),
                         last=Max("response__submitted_at")).order_by())
    for row in ratings:
        yield EvidenceRow(row["response__neighbourhood_id"], row["question__theme_id"],
                          "survey_rating", row["points"] / 2, row["n"], _day(row["last"]))

    comments = (answers.filter(coding__themes__isnull=False)
                .values("response__neighbourhood_id", "coding__themes")
                .annotate(n=Count("id"), last=Max("response__submitted_at")).order_by())
    for row in comments:
        yield EvidenceRow(row["response__neighbourhood_id"], row["coding__themes"],
                          "survey_comment", float(row["n"]), row["n"], _day(row["last"]))
