"""Survey answers as evidence for neighbourhood priorities.

`rows()` yields plain `EvidenceRow`s, one per (neighbourhood, theme, source, day), from
theme-tagged answers. Priorities read surveys only through this module.

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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate

from .models import Answer, Question


class EvidenceRow(NamedTuple):
    neighbourhood_id: int
    theme_id: int
    source: str
    weight: float
    count: int
    date: date


def rows(since: date | None = None, until: date | None = None) -> Iterator[EvidenceRow]:
    """Evidence rows from theme-tagged survey answers (four GROUP BY queries)."""
    answers = Answer.objects.filter(response__neighbourhood__isnull=False)
    if since:
        answers = answers.filter(response__submitted_at__date__gte=since)
    if until:
        answers = answers.filter(response__submitted_at__date__lte=until)
    answers = answers.annotate(day=TruncDate("response__submitted_at"))

    choices = (answers.filter(option__theme__isnull=False,
                              question__kind__in=[Question.SINGLE, Question.MULTIPLE])
               .values("response__neighbourhood_id", "option__theme_id", "day")
               .annotate(n=Count("id")).order_by())
    for row in choices:
        yield EvidenceRow(row["response__neighbourhood_id"], row["option__theme_id"],
                          "survey_choice", float(row["n"]), row["n"], row["day"])

    ranked: dict[tuple, list] = defaultdict(lambda: [0.0, 0])
    rankings = (answers.filter(option__theme__isnull=False, question__kind=Question.RANKING,
                               rank__isnull=False)
                .values("response__neighbourhood_id", "option__theme_id", "day",
                        "question__config", "rank")
                .annotate(n=Count("id")).order_by())
    for row in rankings:
        rank_count = (row["question__config"] or {}).get("rank_count") or row["rank"]
        key = (row["response__neighbourhood_id"], row["option__theme_id"], row["day"])
        ranked[key][0] += row["n"] * max(rank_count - row["rank"] + 1, 0) / rank_count
        ranked[key][1] += row["n"]
    for (neighbourhood_id, theme_id, day), (weight, count) in ranked.items():
        yield EvidenceRow(neighbourhood_id, theme_id, "survey_ranking", round(weight, 3), count,
                          day)

    ratings = (answers.filter(question__theme__isnull=False, question__kind=Question.LIKERT,
                              number__gte=4)
               .values("response__neighbourhood_id", "question__theme_id", "day")
               .annotate(n=Count("id"), points=Sum(F("number") - 3)).order_by())
    for row in ratings:
        yield EvidenceRow(row["response__neighbourhood_id"], row["question__theme_id"],
                          "survey_rating", row["points"] / 2, row["n"], row["day"])

    comments = (answers.filter(coding__themes__isnull=False)
                .values("response__neighbourhood_id", "coding__themes", "day")
                .annotate(n=Count("id")).order_by())
    for row in comments:
        yield EvidenceRow(row["response__neighbourhood_id"], row["coding__themes"],
                          "survey_comment", float(row["n"]), row["n"], row["day"])
