"""Benchmark: every neighbourhood's live priorities against raw SQL GROUP BYs over the same rows.

Builds, in a throwaway test database, 20 neighbourhoods, a survey with a theme-tagged ranking
question (rank 3 of 8) and an agree/disagree question, N survey responses (default 100,000,
about 400,000 answer rows), 20 forums with about 5,000 online votes, and 10,000 community
feedback items (a quarter with two themes), with a fixed seed. It then times, best of --repeat:

- `raw GROUP BY`: plain SQL counting the same evidence per (neighbourhood, theme): ranked and
  agreed answers joined to their responses and options, online votes joined to their forums'
  neighbourhoods, and feedback theme links joined to their items; the least any ranking must do;
- `compute all priorities`: `ranking.compute_rankings()`, uncached: every evidence module's
  rows, people, participants, pages and people by need, the scoring (method v2, with each
  priority's interval and each neighbourhood's sensitivity check) and the per-priority evidence;
- `public page`: the priorities index page (comparison of all 20 neighbourhoods) through the
  test client, served from the stored rankings (`RankingRun`, computed by the refresh job):
  fresh, stale (evidence changed and the job not yet run; the ratio to fresh should be about
  1, since no request computes) and with a cold cache.

Prints the ratio to the raw queries and whether the target (all priorities within 2 s) is met.
Uses DATABASE_URL when set (PostgreSQL), else SQLite.

Run from the repository root:  .venv/bin/python benchmarks/priorities.py [--responses N]
"""

from __future__ import annotations

import argparse
import random
import time
import uuid

from harness import setup_django, throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--votes", type=int, default=5_000)
    parser.add_argument("--feedback", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many timings")
    args = parser.parse_args()

    setup_django()
    with throwaway_database() as connection:
        run(args, connection)


def square(lng, lat, size=0.01):
    return {"type": "Polygon", "coordinates": [[[lng, lat], [lng + size, lat],
                                                [lng + size, lat + size], [lng, lat + size],
                                                [lng, lat]]]}


def build(args):
    from datetime import date, timedelta

    from django.utils import timezone
    from wagtail.models import Page, Site

    from forums.models import ForumEventPage, ForumIndexPage, OnlineVote, Registration
    from portal.neighbourhoods.models import Neighbourhood
    from portal.themes.models import Theme
    from priorities.models import FeedbackItem, PrioritiesPage
    from surveys.models import (
        Answer,
        Option,
        Question,
        Response,
        SurveyIndexPage,
        SurveyPage,
    )

    rng = random.Random(args.seed)
    now = timezone.now()
    areas = []
    for n in range(20):
        area = Neighbourhood(name=f"Area {n:02d}", slug=f"area-{n:02d}", code=f"BENCH-{n:02d}",
                             boundary=square(-0.3 + (n % 5) * 0.01, 51.5 + (n // 5) * 0.01))
        area.save()
        areas.append(area)
    themes = list(Theme.objects.order_by("pk"))
    root = Site.objects.get(is_default_site=True).root_page
    root.add_child(instance=PrioritiesPage(title="Priorities", slug="priorities"))

    index = SurveyIndexPage(title="Surveys", slug="surveys")
    Page.objects.get(depth=1).add_child(instance=index)
    survey = SurveyPage(title="Priorities survey", slug="priorities-survey", introduction="B",
                        opens_at=now - timedelta(days=60), closes_at=now,
                        privacy_notice="<p>B</p>", sections=[])
    index.add_child(instance=survey)
    ranking = Question.objects.create(survey=survey, key=str(uuid.uuid4()),
                                      kind=Question.RANKING, label="Rank three",
                                      config={"rank_count": 3})
    options = Option.objects.bulk_create([
        Option(question=ranking, key=str(uuid.uuid4()), label=t.name, position=i, theme=t)
        for i, t in enumerate(themes[:8])])
    likert = Question.objects.create(survey=survey, key=str(uuid.uuid4()),
                                     kind=Question.LIKERT, label="Agree?", theme=themes[8])
    answers_total = 0
    for start in range(0, args.responses, 5000):
        rows = [Response(survey=survey, reference=f"B{start + i:09d}",
                         neighbourhood=areas[rng.randrange(20)],
                         submitted_at=now - timedelta(days=rng.randrange(60)))
                for i in range(min(5000, args.responses - start))]
        Response.objects.bulk_create(rows)
        answers = []
        for response in rows:
            for rank, option in enumerate(rng.sample(options, 3), start=1):
                answers.append(Answer(response=response, survey=survey, question=ranking,
                                      option=option, rank=rank))
            answers.append(Answer(response=response, survey=survey, question=likert,
                                  number=rng.randint(1, 5)))
        Answer.objects.bulk_create(answers, batch_size=10_000)
        answers_total += len(answers)

    forum_index = ForumIndexPage(title="Forums", slug="forums")
    Page.objects.get(depth=1).add_child(instance=forum_index)
    events = []
    for area in areas:
        start = now - timedelta(days=rng.randrange(1, 60))
        event = ForumEventPage(title=f"{area.name} forum", slug=f"forum-{area.slug}",
                               start=start, end=start + timedelta(hours=2),
                               format=ForumEventPage.ONLINE, attendance_online=80)
        event.neighbourhoods = [area]
        forum_index.add_child(instance=event)
        events.append(event)
    registrations = Registration.objects.bulk_create([
        Registration(event=events[i % 20], name="B", email=f"b{i}@example.org",
                     attendance_mode=Registration.ATTEND_ONLINE,
                     status=Registration.CONFIRMED, token=uuid.uuid4().hex)
        for i in range(args.votes // 3 + 1)])
    votes = []
    for registration in registrations:
        for theme in rng.sample(themes, 3):
            votes.append(OnlineVote(registration=registration, event_id=registration.event_id,
                                    theme=theme))
    OnlineVote.objects.bulk_create(votes[:args.votes], batch_size=10_000)

    items = FeedbackItem.objects.bulk_create([
        FeedbackItem(source=FeedbackItem.PARTNER_MEETING, neighbourhood=areas[i % 20],
                     received_on=date.today() - timedelta(days=rng.randrange(365)),
                     text="Benchmark feedback", people_count=rng.randint(1, 5))
        for i in range(args.feedback)], batch_size=5000)
    links = []
    for item in items:
        for theme in rng.sample(themes, 2 if rng.random() < 0.25 else 1):
            links.append(FeedbackItem.themes.through(feedbackitem_id=item.pk,
                                                     theme_id=theme.pk))
    FeedbackItem.themes.through.objects.bulk_create(links, batch_size=10_000)
    return answers_total, len(votes[:args.votes]), len(items)


def best(repeat, function):
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


RAW = [
    "SELECT r.neighbourhood_id, o.theme_id, COUNT(*) FROM surveys_answer a "
    "JOIN surveys_response r ON r.id = a.response_id JOIN surveys_option o ON o.id = a.option_id "
    "WHERE r.neighbourhood_id IS NOT NULL AND o.theme_id IS NOT NULL "
    "GROUP BY r.neighbourhood_id, o.theme_id",
    "SELECT r.neighbourhood_id, q.theme_id, COUNT(*) FROM surveys_answer a "
    "JOIN surveys_response r ON r.id = a.response_id JOIN surveys_question q "
    "ON q.id = a.question_id WHERE q.kind = 'likert' AND a.number >= 4 "
    "AND r.neighbourhood_id IS NOT NULL GROUP BY r.neighbourhood_id, q.theme_id",
    "SELECT n.neighbourhood_id, v.theme_id, COUNT(*) FROM forums_onlinevote v "
    "JOIN forums_forumeventpage_neighbourhoods n ON n.forumeventpage_id = v.event_id "
    "GROUP BY n.neighbourhood_id, v.theme_id",
    "SELECT f.neighbourhood_id, t.theme_id, COUNT(*) FROM priorities_feedbackitem_themes t "
    "JOIN priorities_feedbackitem f ON f.id = t.feedbackitem_id "
    "GROUP BY f.neighbourhood_id, t.theme_id",
]


NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def page_times(args, url, compute_time):
    """The priorities page served from the stored rankings: fresh, stale (evidence changed, the
    job not yet run) and with a cold cache (read from the `RankingRun` row). No task worker
    runs here (the dummy backend), so a page that computed would show in the stale timing."""
    from django.core.cache import cache
    from django.test import Client, override_settings

    from priorities.ranking import evidence_changed, ranking_status
    from priorities.tasks import refresh_now

    client = Client()
    with override_settings(TASKS=NO_WORKER):
        refresh_now()  # the worker's part
        assert client.get(url).status_code == 200
        fresh = best(args.repeat, lambda: client.get(url))
        evidence_changed(queue=False)
        assert ranking_status().stale
        stale = best(args.repeat, lambda: client.get(url))
        cache.clear()  # a cold cache: the version is lost too, so the stored run is stale
        started = time.perf_counter()
        assert b"an update is being worked out" in client.get(url).content
        cold = time.perf_counter() - started
    print(f"public page, fresh ranking: {fresh * 1000:.1f} ms (best of {args.repeat}), "
          f"{fresh / compute_time:.3f}x computing")
    print(f"public page, stale ranking: {stale * 1000:.1f} ms, {stale / fresh:.2f}x fresh "
          f"(target about 1: no request computes)")
    print(f"public page, cold cache (stored run): {cold * 1000:.0f} ms, "
          f"{cold / fresh:.2f}x fresh")


def run(args, connection):
    from django.test import override_settings

    from priorities.models import PrioritiesPage
    from priorities.ranking import compute_rankings

    started = time.perf_counter()
    with override_settings(TASKS=NO_WORKER):  # no ranking refresh after each save here
        answers, votes, items = build(args)
    print(f"database: {connection.vendor}")
    print(f"built 20 neighbourhoods, {args.responses:,} survey responses ({answers:,} answer "
          f"rows), {votes:,} forum votes, {items:,} feedback items in "
          f"{time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def raw():
        with connection.cursor() as cursor:
            for sql in RAW:
                cursor.execute(sql)
                cursor.fetchall()

    raw_time = best(args.repeat, raw)
    compute_time = best(args.repeat, compute_rankings)
    rankings = compute_rankings()
    assert len(rankings) == 20, len(rankings)
    print(f"raw GROUP BY (4 queries): {raw_time * 1000:.0f} ms (best of {args.repeat})")
    print(f"compute all priorities: {compute_time * 1000:.0f} ms (best of {args.repeat}), "
          f"{compute_time / raw_time:.1f}x the raw GROUP BY")

    page_times(args, PrioritiesPage.objects.get().url, compute_time)
    print(f"target (all priorities within 2 s): "
          f"{'met' if compute_time <= 2 else 'missed'}")


if __name__ == "__main__":
    main()
