"""`make scale-check`: two app servers behind nginx, on PostgreSQL and Redis, checked end to end.

Starts PostgreSQL (a private cluster on 55432), Redis (56379), two gunicorn app servers
(58001, 58002) with the production settings, one `db_worker` and nginx (58080) balancing the
two, all in one temporary folder; loads the demo data as `make run` does; then checks through
HTTP that

1. a sign-in rate limit counted through server 1 is enforced through server 2;
2. a change (an asset saved) invalidates the cached GeoJSON for both servers;
3. survey responses submitted through server 1 mark the rankings stale as seen through
   server 2, the task worker recomputes them, and server 2 shows the new "as of";
4. `deploy/backup.sh` and `deploy/restore.sh` round-trip the database (row counts equal);

runs `benchmarks/load.py --quick` against nginx and prints its table. Exits 1 when any check
fails. Everything started is stopped on exit. Port 8000 is never used.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time

from services import APP_PORTS, NGINX_PORT, PG_PORT, REPO, Services, pg_bin

sys.path.insert(0, str(REPO / "benchmarks"))
from load import Browser, submit_survey  # noqa: E402

# As `make run` does, without the demo accounts (their password is published: DEBUG only).
DEMO = ["load_demo_data", "load_demo_assets", "load_demo_forums",
        "load_demo_surveys", "load_demo_priorities", "load_demo_plans", "load_demo_translations"]

PREPARE = r"""
import json, uuid
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Site
from portal.pages.models import NeighbourhoodPage
from assets_map.models import AssetMapPage
from priorities.models import PrioritiesPage
from plans.models import LocalityPlanPage
from surveys.models import SurveyPage

def block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}

def first(model):
    page = model.objects.live().public().order_by("path").first()
    return page.get_url() if page else None

q = dict(help_text="", required=True, theme=None, show_if_question="", show_if_answer="")
root = Site.objects.get(is_default_site=True).root_page
now = timezone.now()
survey = SurveyPage(title="Scale check", slug="scale-check-" + uuid.uuid4().hex[:6],
    introduction="x", privacy_notice="<p>x</p>", one_response_only=False,
    opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
    sections=[block("section", {"title": "Questions", "introduction": "", "questions": [
        block("single_choice", dict(q, question="Pick one", options=[
            block("item", {"label": "A", "theme": None}),
            block("item", {"label": "B", "theme": None})])),
        block("number", dict(q, question="How many?", min_value=0, max_value=9)),
    ]})])
root.add_child(instance=survey)
survey.save_revision().publish()
print(json.dumps({"pages": {"home": "/", "neighbourhood": first(NeighbourhoodPage),
    "assets": first(AssetMapPage), "geojson": "/api/assets.geojson",
    "priorities": first(PrioritiesPage), "plan": first(LocalityPlanPage),
    "404": "/no-such-page-scale-check/"}, "survey": {"id": survey.pk, "path": survey.get_url()}}))
"""

SAVE_ASSET = """
from assets_map.models import Asset
asset = Asset.objects.filter(status=Asset.PUBLISHED).order_by("pk").first() \
    if hasattr(Asset, "PUBLISHED") else Asset.objects.order_by("pk").first()
asset.name = asset.name + " (renamed)"
asset.save()
print(asset.pk)
"""


def server(number: int, address: str = "198.51.100.20") -> Browser:
    """A person talking to app server `number` directly, as nginx would forward them."""
    return Browser(f"http://127.0.0.1:{APP_PORTS[number - 1]}", forwarded_for=address,
                   host=f"127.0.0.1:{NGINX_PORT}")  # the Host nginx passes on


def csrf(reply) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reply.text).group(1)


def check_rate_limit() -> tuple[bool, str]:
    """Five wrong passwords for one account through server 1; the sixth, through server 2,
    is refused (allauth's 5 per account in 5 minutes, counted in Redis)."""
    email = "scale-check-nobody@example.org"
    replies = []
    for attempt in range(6):
        person = server(1 if attempt < 5 else 2)
        token = csrf(person.get("/accounts/login/"))
        reply = person.request("POST", "/accounts/login/", data={
            "csrfmiddlewaretoken": token, "login": email, "password": "wrong-password-1"})
        replies.append((attempt, reply.status, "Too many failed login attempts" in reply.text))
        person.close()
    refused = [limited or status == 429 for _attempt, status, limited in replies]
    ok = refused == [False] * 5 + [True]
    return ok, f"refused per attempt {refused} (want 5 x False via server 1, True via server 2)"


def geojson_etag(number: int) -> tuple[int, str]:
    reply = server(number).get("/api/assets.geojson")
    return reply.status, reply.headers.get("ETag", "")


def check_cache(services: Services) -> tuple[bool, str]:
    """Both servers serve one ETag; an asset saved elsewhere changes it for both."""
    before = [geojson_etag(1), geojson_etag(2)]
    person = server(2)
    cached = person.get("/api/assets.geojson", headers={"If-None-Match": before[1][1]}).status
    services.manage("shell", "-c", SAVE_ASSET, capture=True)
    after = [geojson_etag(2), geojson_etag(1)]
    ok = (before[0] == before[1] and before[0][0] == 200 and cached == 304
          and after[0] == after[1] and after[0][1] != before[0][1])
    return ok, (f"before {before[0][1]} (server 1) {before[1][1]} (server 2), 304 on "
                f"If-None-Match: {cached == 304}; after the save {after[0][1]} (server 2) "
                f"{after[1][1]} (server 1)")


def check_proxy_cache(targets: dict) -> tuple[bool, str]:
    """nginx keeps an anonymous public page (a HIT the second time) and never a page for
    someone with a session (BYPASS), and never anything the app marked private."""
    path = targets["pages"]["neighbourhood"]
    proxy = Browser(f"http://127.0.0.1:{NGINX_PORT}")
    statuses = [proxy.get(path).headers.get("X-Cache-Status") for _ in range(2)]
    signed = proxy.get(path, headers={"Cookie": "sessionid=scale-check"})
    login = proxy.get("/accounts/login/")
    proxy.close()
    found = statuses + [signed.headers.get("X-Cache-Status"),
                        login.headers.get("X-Cache-Status")]
    ok = found[1] == "HIT" and found[2] == "BYPASS" and found[3] in ("MISS", "EXPIRED")
    return ok, (f"anonymous {found[0]} then {found[1]}; with a session {found[2]}; "
                f"the sign-in form {found[3]} ({login.headers.get('Cache-Control')})")


def ranking_row(services: Services) -> str:
    return subprocess.run(
        [pg_bin("psql"), services.database_url, "-tAc",
         "SELECT computed_at, evidence_version FROM priorities_rankingrun "
         "ORDER BY computed_at DESC LIMIT 1"], capture_output=True, text=True).stdout.strip()


def as_of(path: str) -> str:
    text = server(2).get(path).text
    found = re.search(r'class="hint priorities-as-of"[^>]*>([^<]*)<', text)
    return found.group(1).strip() if found else "(no as-of line)"


def check_ranking(services: Services, targets: dict) -> tuple[bool, str]:
    """Responses through server 1: stale through server 2, recomputed by the worker, fresh."""
    path = targets["pages"]["priorities"]
    deadline = time.monotonic() + 180
    while "being worked out" in as_of(path) and time.monotonic() < deadline:
        time.sleep(2)  # the demo data's own refresh first
    before_row, before_text = ranking_row(services), as_of(path)
    base = f"http://127.0.0.1:{APP_PORTS[0]}"
    references = [submit_survey(base, targets["survey"]["path"]) for _ in range(3)]
    stale_text = as_of(path)
    while ranking_row(services) == before_row and time.monotonic() < deadline:
        time.sleep(1)
    time.sleep(1)
    after_row, after_text = ranking_row(services), as_of(path)
    ok = (all(references) and after_row != before_row and "being worked out" not in after_text
          and after_text.startswith("Ranking as of"))
    return ok, (f"before: {before_text!r} [{before_row}]; just after 3 responses via server 1:"
                f" {stale_text!r}; after the worker: {after_text!r} [{after_row}]")


def check_backup(services: Services) -> tuple[bool, str]:
    """backup.sh dumps the database; restore.sh loads it into a new one; counts agree."""
    dump = services.tmp / "backup" / "portal.dump"
    env = {**services.env, "BACKUP_DIR": str(dump.parent)}
    subprocess.run(["bash", str(REPO / "deploy" / "backup.sh"), str(dump)], env=env,
                   check=True, capture_output=True)
    subprocess.run([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "portal",
                    "portal_restored"], check=True)
    restored = services.database_url.rsplit("/", 1)[0] + "/portal_restored"
    subprocess.run(["bash", str(REPO / "deploy" / "restore.sh"), str(dump)],
                   env={**env, "DATABASE_URL": restored}, check=True, capture_output=True)
    query = ("SELECT (SELECT count(*) FROM surveys_response) || ' ' || "
             "(SELECT count(*) FROM wagtailcore_page)")
    counts = [subprocess.run([pg_bin("psql"), url, "-tAc", query], capture_output=True,
                             text=True).stdout.strip() for url in (services.database_url,
                                                                   restored)]
    return counts[0] == counts[1] and counts[0] != "", (
        f"responses and pages: {counts[0]} live, {counts[1]} restored "
        f"({dump.stat().st_size // 1024} kB dump)")


def prepare(services: Services) -> dict:
    started = time.perf_counter()
    services.manage("migrate", "--noinput", "--verbosity", "0")
    for command in DEMO:
        services.manage(*command.split(), capture=True)
    services.manage("collectstatic", "--noinput", "--verbosity", "0")
    out = services.manage("shell", "-c", PREPARE, capture=True)
    targets = json.loads(out.strip().splitlines()[-1])
    print(f"database migrated, demo data and static files ready in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return targets


def run(services: Services, load: bool) -> bool:
    services.check_ports()
    services.start_postgres()
    services.start_redis()
    if services.reused:
        targets = json.loads((services.tmp / "targets.json").read_text())
        subprocess.run([pg_bin("dropdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U",
                        "portal", "--if-exists", "portal_restored"], check=True)
    else:
        targets = prepare(services)
        (services.tmp / "targets.json").write_text(json.dumps(targets))
    services.start_apps()
    print(f"up: PostgreSQL, Redis, app servers {APP_PORTS}, a task worker, nginx {NGINX_PORT}")
    results = []
    for name, check in [("rate limit across servers", check_rate_limit),
                        ("cache invalidation across servers", lambda: check_cache(services)),
                        ("nginx keeps public pages only", lambda: check_proxy_cache(targets)),
                        ("ranking recompute by the worker",
                         lambda: check_ranking(services, targets)),
                        ("backup and restore", lambda: check_backup(services))]:
        try:
            ok, detail = check()
        except Exception as error:  # a check that breaks is a failed check, with its reason
            ok, detail = False, f"{type(error).__name__}: {error}"
        results.append(ok)
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
    if load:
        print("== benchmarks/load.py --quick", flush=True)
        code = subprocess.run([sys.executable, str(REPO / "benchmarks" / "load.py"), "--quick",
                               "--base-url", f"http://127.0.0.1:{NGINX_PORT}", "--targets",
                               str(services.tmp / "targets.json"), "--database-url",
                               services.database_url, "--app-urls",
                               ",".join(f"http://127.0.0.1:{port}" for port in APP_PORTS)]
                              ).returncode
        results.append(code == 0)
        print(f"{'PASS' if code == 0 else 'FAIL'} load test (0 lost, 0 duplicated, no errors)")
    for name in ("app1", "app2", "worker"):
        errors = [line for line in services.log_tail(name, 400).splitlines()
                  if "Traceback" in line or "ERROR" in line]
        if errors:
            print(f"{name} logged {len(errors)} error(s); last lines:\n"
                  f"{services.log_tail(name, 20)}")
    return all(results)


def main() -> int:
    options = dict(a[2:].split("=", 1) for a in sys.argv[1:] if "=" in a)
    load = "--no-load" not in sys.argv
    services = Services(workers=int(options.get("workers", "2")),
                        reuse=options.get("reuse", ""))

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    started = time.perf_counter()
    try:
        ok = run(services, load)
    finally:
        services.stop()
    print(f"scale check {'passed' if ok else 'FAILED'} in {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
