"""Benchmark: a survey's full results against one raw SQL GROUP BY over the same answers.

Builds, in a throwaway test database, a survey of 20 questions (8 single choice, 4 multiple
choice, 4 agree/disagree, 2 rankings of 3 from 8, 2 numbers) with N responses (default 50,000,
about 1.3 million answer rows, fixed seed), then times:

- `raw GROUP BY`: one SQL query counting answer rows per (question, option) for the survey,
  the least any results page must do;
- `compute_results`: `surveys.results.compute_results`, everything the officers' results
  page shows (respondents per question, counts, percentages, Borda scores and mean ranks,
  Likert distributions and net scores, number summaries).

Prints the best of --repeat timings and the ratio between them (target: results under a second
and within 3x of the raw query), then the officers' results as the page loads them through the
cache (`surveys.results.officer_results`): the first load, which computes and caches, and a
cached load, with its ratio to the raw query. Uses DATABASE_URL when set (PostgreSQL), else SQLite.

Run from the repository root:  .venv/bin/python benchmarks/survey_results.py [--responses N]
"""

from __future__ import annotations

import argparse
import random
import time
import uuid

from harness import setup_django, throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many timings")
    args = parser.parse_args()

    setup_django()
    with throwaway_database() as connection:
        run(args, connection)


def build_survey(responses: int, seed: int):
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Page

    from surveys.answering import active_questions
    from surveys.models import Answer, Question, Response, SurveyPage

    def block(kind, value):
        return {"type": kind, "value": value, "id": str(uuid.uuid4())}

    def question(text, **extra):
        return {"question": text, "help_text": "", "required": True, "theme": None,
                "show_if_question": "", "show_if_answer": "", **extra}

    def options(count):
        return [block("item", {"label": f"Option {n}", "theme": None})
                for n in range(1, count + 1)]

    blocks = ([block("single_choice", question(f"Single {n}", options=options(5)))
               for n in range(8)]
              + [block("multiple_choice", question(f"Multiple {n}", options=options(6)))
                 for n in range(4)]
              + [block("likert", question(f"Likert {n}")) for n in range(4)]
              + [block("ranking", question(f"Ranking {n}", options=options(8), rank_count=3))
                 for n in range(2)]
              + [block("number", question(f"Number {n}", min_value=0, max_value=100))
                 for n in range(2)])
    now = timezone.now()
    survey = SurveyPage(
        title="Benchmark survey", slug="benchmark-survey", introduction="Benchmark",
        opens_at=now - timedelta(days=30), closes_at=now + timedelta(days=30),
        privacy_notice="<p>Benchmark</p>",
        sections=[block("section", {"title": "All", "introduction": "", "questions": blocks})],
    )
    Page.objects.get(depth=1).add_child(instance=survey)
    survey.save_revision().publish()
    survey = SurveyPage.objects.get(pk=survey.pk)
    questions = active_questions(survey)
    assert len(questions) == 20, len(questions)

    rng = random.Random(seed)
    channels = [c for c, _label in Response.CHANNELS]
    batch = 5000
    answers_total = 0
    for start in range(0, responses, batch):
        rows = [Response(survey=survey, reference=f"B{start + i:09d}",
                         channel=rng.choice(channels), submitted_at=now)
                for i in range(min(batch, responses - start))]
        Response.objects.bulk_create(rows)
        answers = []
        for response in rows:
            for question in questions:
                opts = list(question.options.all())
                if question.kind == Question.SINGLE:
                    answers.append(Answer(response=response, question=question,
                                          option=rng.choice(opts)))
                elif question.kind == Question.MULTIPLE:
                    answers += [Answer(response=response, question=question, option=o)
                                for o in rng.sample(opts, 2)]
                elif question.kind == Question.LIKERT:
                    answers.append(Answer(response=response, question=question,
                                          number=rng.randint(1, 5)))
                elif question.kind == Question.RANKING:
                    answers += [Answer(response=response, question=question, option=o,
                                       rank=rank)
                                for rank, o in enumerate(rng.sample(opts, 3), start=1)]
                else:
                    answers.append(Answer(response=response, question=question,
                                          number=rng.randint(0, 100)))
        for answer in answers:
            answer.survey_id = survey.pk
        Answer.objects.bulk_create(answers, batch_size=10_000)
        answers_total += len(answers)
    return survey, answers_total


def best(repeat, function):
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


def run(args, connection):
    from surveys.results import compute_results, officer_results

    started = time.perf_counter()
    survey, answer_count = build_survey(args.responses, args.seed)
    print(f"database: {connection.vendor}")
    print(f"survey: 20 questions, {args.responses:,} responses, {answer_count:,} answer rows "
          f"(built in {time.perf_counter() - started:.1f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT question_id, option_id, COUNT(*) FROM surveys_answer "
                "WHERE survey_id = %s GROUP BY question_id, option_id", [survey.pk])
            return cursor.fetchall()

    raw_time = best(args.repeat, raw)
    results_time = best(args.repeat, lambda: compute_results(survey))
    print(f"raw GROUP BY: {raw_time * 1000:.0f} ms (best of {args.repeat})")
    print(f"compute_results: {results_time * 1000:.0f} ms (best of {args.repeat}), "
          f"{results_time / raw_time:.1f}x the raw GROUP BY")
    verdict = "meets" if results_time < 1 and results_time / raw_time <= 3 else "misses"
    print(f"target (under 1 s and within 3x): {verdict}")

    # The results pages read through the cache: the first load computes, later ones until the
    # next response only read the cached copy (and the survey's results version).
    from django.core.cache import cache

    cache.clear()
    started = time.perf_counter()
    officer_results(survey)
    first_load = time.perf_counter() - started
    cached_time = best(args.repeat, lambda: officer_results(survey))
    print(f"officer results, first load (computes, caches): {first_load * 1000:.0f} ms")
    print(f"officer results, cached: {cached_time * 1000:.1f} ms (best of {args.repeat}), "
          f"{cached_time / raw_time:.3f}x the raw GROUP BY, "
          f"{results_time / cached_time:.0f}x faster than computing")


if __name__ == "__main__":
    main()
