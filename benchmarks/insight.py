"""Benchmark: community insight at Healthwatch scale (issue 15): import, coding screen, suggestions.

In a throwaway test database (migrated, destroyed afterwards; uploads in a temporary folder)
with 20 neighbourhoods and the seeded themes, it builds a CSV of N rows of realistic community
feedback (default 50,000; `--quick` 5,000) with a fixed seed: a Healthwatch-style export with
a reference, a day-first date, the area, the comment, the sentiment, how many people, source
details, a safeguarding column (about 1 row in 200 flagged) and, for a share of the rows
(`--coded`, default 40%), the themes an officer chose. Themes follow the words of the comment
(each theme has its own phrases, some comments mention two topics, some mention a second
topic that was not coded, and on 1 coded row in 20 the officer chose another theme), so they
can be learnt, but not perfectly. It then prints:

- (a) `import`: `insight.importing.import_file(run)` on the stored file (what the background
  task runs: read, check every row, create the feedback items, index and code them, tell the
  safeguarding contact of each flagged row), in seconds, against a bare `bulk_create` of the
  same N `FeedbackItem` rows measured in the same run (rolled back afterwards). Target: under
  60 s.
- (b) `coding screen`: GET /admin/insight/ as an officer through Django's test client, warm,
  p50 of `--repeat` requests, over the N items (the officer's default view: uncoded items;
  and `?status=all`), against the Wagtail admin dashboard and an admin 404 through the same
  client; and the safeguarding list (no target). Wall clock and the process's CPU time (the
  client, the views and SQLite all run in it): compare the CPU on a busy machine. Target:
  under 300 ms.
- (c) `suggestions`: `insight.classifier.evaluate()` on the coded items (trains on 80%, scores
  the suggestions on the 20% held back): precision and recall, against always suggesting the
  most common theme.

Each target is printed "met" or "MISSED". Uses DATABASE_URL when set (PostgreSQL), else
SQLite. Run from the repository root:  .venv/bin/python benchmarks/insight.py [--quick]
"""

from __future__ import annotations

import argparse
import csv
import datetime
import logging
import random
import statistics
import tempfile
import time
from pathlib import Path

from harness import setup_django, throwaway_database

IMPORT_TARGET_S = 60.0
SCREEN_TARGET_MS = 300.0

# Each theme's phrases: what people say about it, in their words.
TOPICS = {
    "housing": ["there is black mould in the bedroom again", "the landlord will not fix the damp",
                "we have waited months for a repair to the boiler", "the flat is overcrowded, "
                "five of us in two rooms", "the rent went up and the windows still leak"],
    "homelessness": ["we were told to leave the temporary accommodation", "my cousin is "
                     "sleeping rough by the station", "the council put us in a hostel miles "
                     "away", "I am sofa surfing since the eviction notice"],
    "financial-hardship": ["the energy bills take half of what we get", "universal credit was "
                           "stopped and nobody explained", "I am behind on the council tax "
                           "and scared of bailiffs", "we cannot afford the heating this winter"],
    "mental-health": ["I have been very low and the waiting list for talking therapy is long",
                      "my anxiety is worse since lockdown", "there is no crisis support at "
                      "night", "the counsellor left and nobody replaced her"],
    "long-term-conditions": ["my diabetes checks keep being cancelled", "the asthma nurse is "
                             "only there once a month", "nobody reviews my blood pressure "
                             "tablets", "managing my COPD alone is hard"],
    "air-quality": ["the traffic fumes on the high road make my son cough", "lorries idle "
                    "outside the school", "the air smells of diesel in the morning"],
    "community-safety": ["young men deal drugs by the garages", "the street lights are out "
                         "and I do not feel safe walking home", "there was another stabbing "
                         "near the park", "the police never answer about the burglaries"],
    "social-isolation": ["I do not see anyone for days since my wife died", "the lunch club "
                         "closed and I have nowhere to go", "older people on the estate are "
                         "lonely"],
    "employment-skills": ["there are no apprenticeships for my daughter", "the job centre only "
                          "offers zero hours work", "English classes would help me find a job"],
    "physical-activity": ["the leisure centre is too expensive", "there is nowhere safe for "
                          "children to play football", "the swimming pool closed for good"],
    "food-insecurity": ["the food bank ran out of nappies", "we skip meals so the children can "
                        "eat", "free school meals stop in the holidays"],
    "access-to-health": ["I cannot get a GP appointment, the phone line is always engaged",
                         "the surgery sends me to A and E for everything", "the dentist is not "
                         "taking NHS patients", "the pharmacy keeps running out of my "
                         "prescription"],
    "digital-inclusion": ["I have no internet to book appointments online", "everything is an "
                          "app now and I do not have a smartphone", "the library computers are "
                          "always booked"],
    "children-young-people": ["the youth club shut and the teenagers hang about", "there are "
                              "no activities for children in the holidays", "the nursery has "
                              "no places for two year olds"],
}
OPENERS = ["", "At the outreach stall she said", "Resident told us", "He explained that",
           "A mum at the family hub said", "Caller said", "Via the Healthwatch feedback line:",
           "At the coffee morning they said"]
CLOSERS = ["", "Nobody seems to listen.", "They asked who to contact.", "This has gone on for "
           "a year.", "Others on the street say the same.", "Please pass this on."]
SENTIMENTS = ["negative"] * 6 + ["neutral"] * 3 + ["positive", "mixed"]
DETAILS = ["Healthwatch outreach stall", "Community centre drop-in", "Feedback line",
           "GP surgery waiting room", "Family hub session", "Mosque coffee morning"]
HEADINGS = ["Reference", "Date received", "Area", "Comment", "Themes", "Sentiment", "People",
            "Source detail", "Safeguarding"]
MAPPING = {"external_id": "Reference", "received_on": "Date received", "neighbourhood": "Area",
           "text": "Comment", "themes": "Themes", "sentiment": "Sentiment",
           "people_count": "People", "source_detail": "Source detail",
           "safeguarding": "Safeguarding"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="5,000 rows and 7 requests")
    parser.add_argument("--coded", type=float, default=0.4, help="share of rows coded")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page for p50")
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()
    if args.quick:
        args.rows, args.repeat = 5_000, 7

    setup_django()
    from django.test.utils import override_settings

    with tempfile.TemporaryDirectory(prefix="insight-bench-") as folder, \
            override_settings(MEDIA_ROOT=folder, PORTAL_REQUIRE_STAFF_MFA=False,
                              INSIGHT_SAFEGUARDING_EMAIL="safeguarding@example.org"), \
            throwaway_database():
        run(args, Path(folder))


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def square(lng, lat, size=0.01):
    return {"type": "Polygon", "coordinates": [[[lng, lat], [lng + size, lat],
                                                [lng + size, lat + size], [lng, lat + size],
                                                [lng, lat]]]}


def build_places() -> list[str]:
    from portal.neighbourhoods.models import Neighbourhood

    names = []
    for n in range(20):
        Neighbourhood.objects.create(
            name=f"Area {n:02d}", slug=f"area-{n:02d}", code=f"BENCH-{n:02d}",
            boundary=square(-0.3 + (n % 5) * 0.01, 51.5 + (n // 5) * 0.01))
        names.append(f"Area {n:02d}")
    return names


def feedback_rows(args, places: list[str], themes: dict[str, str]) -> list[dict]:
    """N rows of a feedback export, keyed by HEADINGS; theme names only on the coded share."""
    rng = random.Random(args.seed)
    slugs = [slug for slug in TOPICS if slug in themes]
    today = datetime.date.today()
    rows = []
    for n in range(args.rows):
        main_topic = rng.choice(slugs)
        coded = [main_topic]
        phrases = [rng.choice(TOPICS[main_topic])]
        roll = rng.random()
        if roll < 0.15:  # a second topic, coded too
            other = rng.choice([s for s in slugs if s != main_topic])
            coded.append(other)
            phrases.append(rng.choice(TOPICS[other]))
        elif roll < 0.25:  # a second topic in passing, not coded
            phrases.append(rng.choice(TOPICS[rng.choice(slugs)]))
        if rng.random() < 0.05:  # officers do not always agree: another theme chosen
            coded = [rng.choice([s for s in slugs if s != main_topic])]
        text = " ".join(part for part in (rng.choice(OPENERS), "; and ".join(phrases) + ".",
                                          rng.choice(CLOSERS)) if part)
        received = today - datetime.timedelta(days=rng.randrange(365))
        rows.append({
            "Reference": f"HW-{n:07d}", "Date received": received.strftime("%d/%m/%Y"),
            "Area": rng.choice(places), "Comment": text[0].upper() + text[1:],
            "Themes": "; ".join(themes[s] for s in coded) if rng.random() < args.coded else "",
            "Sentiment": rng.choice(SENTIMENTS), "People": str(rng.choice([1, 1, 1, 2, 3])),
            "Source detail": rng.choice(DETAILS),
            "Safeguarding": "yes" if rng.random() < 0.005 else "",
        })
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=HEADINGS)
        writer.writeheader()
        writer.writerows(rows)


def bulk_insert_seconds(rows: list[dict], places: dict[str, int]) -> tuple[float, float]:
    """A bare bulk_create of the same rows as FeedbackItems, timed (wall clock and CPU), then
    rolled back."""
    from django.db import transaction

    from priorities.models import FeedbackItem

    items = [FeedbackItem(
        source=FeedbackItem.HEALTHWATCH, source_detail=row["Source detail"],
        received_on=datetime.datetime.strptime(row["Date received"], "%d/%m/%Y").date(),
        neighbourhood_id=places[row["Area"]], text=row["Comment"],
        sentiment=row["Sentiment"] if row["Sentiment"] != "mixed" else "neutral",
        people_count=int(row["People"]), safeguarding=row["Safeguarding"] == "yes")
        for row in rows]
    with transaction.atomic():
        started, cpu = time.perf_counter(), time.process_time()
        FeedbackItem.objects.bulk_create(items, batch_size=500)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        transaction.set_rollback(True)
    return seconds, cpu


def import_seconds(path: Path, officer):
    """import_file on a stored run of the CSV: (seconds, CPU seconds, outcome, run)."""
    from django.core.files import File

    from insight.importing import import_file
    from insight.models import ImportRun, ImportSource
    from priorities.models import FeedbackItem

    source = ImportSource.objects.create(name="Healthwatch export",
                                         channel=FeedbackItem.HEALTHWATCH, mapping=MAPPING,
                                         date_format="dmy")
    run = ImportRun(source=source, original_name=path.name, mapping=MAPPING,
                    created_by=officer, state=ImportRun.QUEUED)
    with path.open("rb") as handle:
        run.file.save(path.name, File(handle), save=True)
    started, cpu = time.perf_counter(), time.process_time()
    outcome = import_file(run)
    return time.perf_counter() - started, time.process_time() - cpu, outcome, run


def p50_ms(client, url: str, repeat: int) -> tuple[float, float, int]:
    """Medians of `repeat` warm GETs of `url` (two warm-up requests first), wall clock and CPU
    time of this process (client, views and SQLite all run in it) in ms, and the status."""
    for _ in range(2):
        status = client.get(url).status_code
    wall, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        status = client.get(url).status_code
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return statistics.median(wall), statistics.median(cpu), status


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len([q for q in captured if "SAVEPOINT" not in q["sql"]])


def report_import(args, rows, places, path, officer) -> None:
    from django.core import mail

    from insight.models import ImportRun, InsightItem

    bare, bare_cpu = bulk_insert_seconds(rows, places)
    print(f"bare bulk_create of the same {len(rows):,} FeedbackItem rows: {bare:.2f} s, "
          f"{bare_cpu:.2f} s CPU, 1.0x")
    mail.outbox.clear()
    seconds, cpu, outcome, run = import_seconds(path, officer)
    run.refresh_from_db()
    print(f"import_file: {seconds:.2f} s, {cpu:.2f} s CPU ({len(rows) / seconds:,.0f} rows/s), "
          f"{seconds / bare:.1f}x the bare bulk_create ({cpu / bare_cpu:.1f}x in CPU) "
          f"(target under {IMPORT_TARGET_S:.0f} s: {verdict(seconds < IMPORT_TARGET_S)})")
    print(f"  run {run.state}: {outcome.created:,} created, {outcome.updated} updated, "
          f"{outcome.unchanged} unchanged, {outcome.refused} refused, {outcome.flagged} flagged; "
          f"{InsightItem.objects.count():,} insight items "
          f"({InsightItem.objects.coded().count():,} coded); "
          f"{len(mail.outbox)} safeguarding emails queued and sent")
    for row, message in list(outcome.problems)[:3]:
        print(f"  row {row}: {message}")
    if run.state != ImportRun.DONE or outcome.created != len(rows):
        raise SystemExit("The import did not create every row: the figures above are wrong.")


def report_screen(args, officer) -> None:
    from django.test import Client
    from django.urls import reverse

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s are on purpose
    client = Client()
    client.force_login(officer)
    coding = reverse("insight:coding")
    dashboard, dashboard_cpu, dashboard_status = p50_ms(client, "/admin/", args.repeat)
    missing, missing_cpu, missing_status = p50_ms(client, "/admin/insight/no-such-page/",
                                                  args.repeat)
    print(f"admin dashboard: {dashboard:.1f} ms p50 ({dashboard_cpu:.1f} ms CPU, status "
          f"{dashboard_status}), 1.0x")
    print(f"admin 404: {missing:.1f} ms p50 ({missing_cpu:.1f} ms CPU, status "
          f"{missing_status}), {missing / dashboard:.2f}x the dashboard")
    pages = (("coding screen (uncoded)", coding, True),
             ("coding screen (?status=all)", coding + "?status=all", True),
             ("safeguarding list", reverse("insight:safeguarding"), False))
    for label, url, target in pages:
        p50, cpu, status = p50_ms(client, url, args.repeat)
        print(f"{label}: {p50:.1f} ms p50 of {args.repeat} ({cpu:.1f} ms CPU, status {status}, "
              f"{queries(client, url)} queries), {p50 / dashboard:.2f}x the dashboard, "
              f"{p50 / missing:.2f}x the 404" + (
                  f" (target under {SCREEN_TARGET_MS:.0f} ms: "
                  f"{verdict(p50 < SCREEN_TARGET_MS)})" if target else ""))


def report_classifier() -> None:
    from collections import Counter

    from insight.classifier import NotEnoughCoded, evaluate
    from insight.models import InsightItem

    through = InsightItem.themes.through.objects.filter(insightitem__coded_at__isnull=False)
    counts = Counter(through.values_list("theme_id", flat=True))
    coded = InsightItem.objects.coded().filter(themes__isnull=False).distinct().count()
    top = counts.most_common(1)[0][1] if counts else 0
    print(f"most common theme always suggested: precision {top / max(coded, 1):.3f}, "
          f"recall {top / max(sum(counts.values()), 1):.3f} (the baseline)")
    try:
        result = evaluate()
    except NotEnoughCoded as refused:
        print(f"suggestions: not trained: {refused.reason}")
        return
    precision = "n/a" if result["precision"] is None else f"{result['precision']:.3f}"
    recall = "n/a" if result["recall"] is None else f"{result['recall']:.3f}"
    print(f"suggestions on {result['held_back']:,} held-back coded items (trained on "
          f"{result['trained_on']:,} in {result['seconds']:.1f} s): precision {precision}, "
          f"recall {recall}")


def run(args, folder: Path) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from portal import roles
    from portal.neighbourhoods.models import Neighbourhood
    from portal.themes.models import Theme

    names = build_places()
    places = dict(Neighbourhood.objects.values_list("name", "pk"))
    themes = dict(Theme.objects.values_list("slug", "name"))
    officer = get_user_model().objects.create_user(email="bench.officer@example.org",
                                                   password="a-long-benchmark-password")
    officer.groups.add(Group.objects.get(name=roles.OFFICERS))
    started = time.perf_counter()
    rows = feedback_rows(args, names, themes)
    path = folder / "healthwatch-export.csv"
    write_csv(rows, path)
    print(f"rows: {len(rows):,} (seed {args.seed}), {path.stat().st_size / 1e6:.1f} MB CSV, "
          f"{sum(bool(r['Themes']) for r in rows):,} with themes, "
          f"{sum(r['Safeguarding'] == 'yes' for r in rows)} flagged; built in "
          f"{time.perf_counter() - started:.1f} s")
    report_import(args, rows, places, path, officer)
    report_screen(args, officer)
    report_classifier()


if __name__ == "__main__":
    main()
