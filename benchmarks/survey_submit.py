"""Benchmark: concurrent survey submissions over loopback to gunicorn; none may be lost.

Creates a fresh database (SQLite in a temporary folder, or the PostgreSQL database named by
--database-url, which must be empty or disposable: it is migrated and written to), publishes a
one-step survey (a single-choice and a number question), starts gunicorn on 127.0.0.1, then
sends --clients concurrent submissions (default 200), each as a separate browser would: fetch
the step (session and CSRF cookies), post the answers, and read the reference number on the
confirmation page. Prints throughput and "lost responses": successful replies minus stored
responses, which must be zero.

Run from the repository root:
  .venv/bin/python benchmarks/survey_submit.py
  .venv/bin/python benchmarks/survey_submit.py --database-url postgres://user:pw@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SETTINGS = "survey_submit_settings"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=SETTINGS,
               PYTHONPATH=os.pathsep.join([str(REPO / "benchmarks"), str(REPO)]))
    return env


def prepare(env: dict) -> tuple[int, str]:
    """Migrate and publish the survey in a child process; returns its id and path."""
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=REPO,
                   env=env, check=True)
    script = f"""
import uuid
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Site
from surveys.models import SurveyPage
def block(kind, value):
    return {{"type": kind, "value": value, "id": str(uuid.uuid4())}}
q = dict(help_text="", required=True, theme=None, show_if_question="", show_if_answer="")
root = Site.objects.get(is_default_site=True).root_page
now = timezone.now()
survey = SurveyPage(title="Submit benchmark", slug="submit-benchmark-{uuid.uuid4().hex[:6]}",
    introduction="x", privacy_notice="<p>x</p>", one_response_only=False,
    opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
    sections=[block("section", {{"title": "Questions", "introduction": "", "questions": [
        block("single_choice", dict(q, question="Pick one", options=[
            block("item", {{"label": "A", "theme": None}}),
            block("item", {{"label": "B", "theme": None}})])),
        block("number", dict(q, question="How many?", min_value=0, max_value=9)),
    ]}})])
root.add_child(instance=survey)
survey.save_revision().publish()
print(survey.pk, survey.url)
"""
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=REPO,
                         env=env, check=True, capture_output=True, text=True)
    pk, path = out.stdout.strip().splitlines()[-1].split()
    return int(pk), path


def count_responses(env: dict, survey_id: int) -> int:
    script = ("from surveys.models import Response; "
              f"print(Response.objects.filter(survey_id={survey_id}).count())")
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=REPO,
                         env=env, check=True, capture_output=True, text=True)
    return int(out.stdout.strip().splitlines()[-1])


def submit(base: str) -> str | None:
    """One person's submission; the reference number shown, or None on failure."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        page = opener.open(base + "step/1/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        names = re.findall(r'name="(q\d+)" value="(\d+)"', page)
        number = re.search(r'name="(q\d+)"[^>]*inputmode="numeric"', page).group(1)
        data = {"csrfmiddlewaretoken": token, names[0][0]: names[0][1], number: "3"}
        reply = opener.open(urllib.request.Request(
            base + "step/1/", data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": base}), timeout=60).read().decode()
        found = re.search(r'id="reference">(HYS-[A-Z0-9]+)<', reply)
        return found.group(1) if found else None
    except Exception:  # a failed reply counts as a failure, never as a success
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        database_url = args.database_url or f"sqlite:///{folder}/submit.sqlite3"
        env = environment(database_url)
        survey_id, path = prepare(env)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--log-level", "warning"],
            cwd=REPO, env=env)
        try:
            base = f"http://127.0.0.1:{port}{path}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base, timeout=2)
                    break
                except Exception:
                    time.sleep(0.2)
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                references = list(pool.map(lambda _i: submit(base), range(args.clients)))
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        succeeded = [r for r in references if r]
        stored = count_responses(env, survey_id)
        engine = "postgresql" if database_url.startswith("postgres") else "sqlite"
        print(f"database: {engine}, gunicorn workers: {args.workers}")
        print(f"submissions: {args.clients} concurrent, {len(succeeded)} succeeded, "
              f"{args.clients - len(succeeded)} failed, in {elapsed:.2f} s "
              f"({len(succeeded) / elapsed:.0f} submissions/s)")
        print(f"stored responses: {stored}; lost responses: {len(succeeded) - stored}; "
              f"duplicate references: {len(succeeded) - len(set(succeeded))}")
        if len(succeeded) != stored:
            sys.exit(1)


if __name__ == "__main__":
    main()
