"""Benchmark: the public pages and the survey flow under load, through the real HTTP stack.

Drives a running portal (by default the two app servers behind nginx that `make scale-check`
starts on 127.0.0.1:58080) as browsers would, one keep-alive connection and cookie jar per
simulated person, and prints side by side in one run:

- p50, p95 and requests a second for each public page at 1, 10 and 50 concurrent users, each
  p50 as a ratio to the 404 page measured at the same concurrency in the same run;
- N survey submissions (default 200) at 50 concurrent residents through the real flow (the
  step page, its CSRF token, the answers, any further page such as "check your answers", the
  reference number), then the stored responses counted in the database: 0 lost, 0 duplicated;
- the neighbourhood page's p50 while those submissions are being stored against without.

Targets (issue 19, 2-core machine): every public page's p50 within 2 times the 404 page at 10
users; the neighbourhood page's p50 within 1.2 times while submissions are stored.

    .venv/bin/python benchmarks/load.py --targets targets.json --database-url postgres://...

`targets.json` names the paths (`make scale-check` writes it): {"pages": {"home": "/", ...},
"survey": {"id": 7, "path": "/surveys/x/"}}. Exits 1 when a page answers with an unexpected
status or a submission fails, is lost or is duplicated (the timing targets are reported, not
enforced: they depend on the machine).
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

PAGE_TARGET = 2.0  # public page p50 / 404 p50 at 10 users
DURING_TARGET = 1.2  # neighbourhood p50 while submissions run / without


class Reply:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """One person: a keep-alive connection, cookies, and the Origin a browser sends.

    `forwarded_for` and `host` add the headers a trusted proxy would (for talking to an app
    server directly, as the scale check does to reach one server or the other)."""

    def __init__(self, base: str, forwarded_for: str | None = None, timeout: float = 120,
                 host: str | None = None):
        parts = urlsplit(base)
        self.base, self.host, self.port = base.rstrip("/"), parts.hostname, parts.port or 80
        self.host_header = host  # the Host the proxy would pass on, when not the base's
        self.origin = f"{parts.scheme}://{host or parts.netloc}"
        self.forwarded_for, self.timeout = forwarded_for, timeout
        self.cookies: dict[str, str] = {}
        self.connection = None

    def _send(self, method, path, body, headers):
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port,
                                                         timeout=self.timeout)
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        return response, response.read()

    def request(self, method: str, path: str, data: dict | None = None,
                headers: dict | None = None) -> Reply:
        headers = dict(headers or {})
        self.last_path = path  # the page a form on the reply posts back to by default
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.host_header:
            headers["Host"] = self.host_header
        if self.forwarded_for:
            headers.update({"X-Forwarded-For": self.forwarded_for, "X-Forwarded-Proto": "http"})
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Origin": self.origin, "Referer": self.base + path})
        try:
            response, content = self._send(method, path, body, headers)
        except (http.client.HTTPException, OSError):
            self.close()  # the server closed a kept-alive connection: one fresh try
            response, content = self._send(method, path, body, headers)
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.close()
        return Reply(response.status, response.headers, content)

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def follow(self, reply: Reply, limit: int = 5) -> Reply:
        """Follow redirects (same site) as a browser would, with GETs."""
        while reply.status in (301, 302, 303) and limit:
            location = urlsplit(urljoin(self.base + "/", reply.headers["Location"]))
            reply = self.get(location.path + (f"?{location.query}" if location.query else ""))
            limit -= 1
        return reply

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class FormParser(HTMLParser):
    """The page's POST forms: action and fields (what a person would fill in)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append({"action": attrs.get("action") or "", "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name"):
            self.forms[-1]["fields"].append(attrs)
        elif tag == "textarea" and attrs.get("name"):
            self.forms[-1]["fields"].append({**attrs, "type": "textarea"})
        elif tag == "select" and attrs.get("name"):
            self._select = {**attrs, "type": "select", "options": []}
            self.forms[-1]["fields"].append(self._select)
        elif tag == "option" and self._select is not None and attrs.get("value"):
            self._select["options"].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def fill(form: dict) -> dict:
    """Answers for every field of a form: the first choice of each question, 3 for a number,
    a short text where text is required, hidden fields as they are."""
    data: dict[str, list[str]] = {}
    for field in form["fields"]:
        name, kind = field["name"], (field.get("type") or "text").lower()
        if kind in ("radio", "checkbox"):
            data.setdefault(name, [field.get("value", "on")])
        elif kind == "select":
            data.setdefault(name, field["options"][:1])
        elif kind in ("hidden", "submit"):
            data.setdefault(name, [field.get("value", "")])
        elif field.get("inputmode") == "numeric" or kind == "number":
            data.setdefault(name, ["3"])
        elif kind in ("text", "textarea", "email", "search"):
            data.setdefault(name, ["Load test" if "required" in field else ""])
    return data


def post_forms(person: Browser, path: str) -> Reply:
    """Fetch `path` and post its main POST form, again on each page that follows (up to 5:
    a step, "check your answers"), until the reference number shows."""
    reply = person.follow(person.get(path))
    for _ in range(5):
        if 'id="reference"' in reply.text:
            return reply
        parser = FormParser()
        parser.feed(reply.text)
        forms = [f for f in parser.forms if "setlang" not in f["action"]]  # not the language
        if reply.status != 200 or not forms:
            return reply
        form, here = forms[-1], person.last_path
        action = urlsplit(urljoin(person.base + here, form["action"] or here)).path
        reply = person.follow(person.request("POST", action, data=fill(form)))
    return reply


def submit_survey(base: str, path: str) -> str | None:
    """One resident's response through the real flow; its reference number, or None."""
    person = Browser(base)
    try:
        reply = post_forms(person, path.rstrip("/") + "/step/1/")
        found = re.search(r'id="reference">([A-Z]+-[A-Z0-9]+)<', reply.text)
        return found.group(1) if found else None
    except (http.client.HTTPException, OSError):
        return None  # a failed reply counts as a failure, never as a success
    finally:
        person.close()


def browser_for(base: str | list[str], n: int = 0) -> Browser:
    """A person talking to `base`; given the app servers' addresses, the n-th person talks to
    one of them directly with the headers nginx would add (no proxy cache in between)."""
    if isinstance(base, str):
        return Browser(base)
    return Browser(base[n % len(base)], forwarded_for=f"198.51.100.{n % 250 + 1}",
                   host=DIRECT_HOST)


DIRECT_HOST = "127.0.0.1:58080"  # the Host nginx passes on (ALLOWED_HOSTS), set by main()


def timed_gets(base: str | list[str], path: str, users: int, requests: int) -> dict:
    """`requests` GETs of `path` shared among `users` people at once: latencies and rate."""
    latencies: list[float] = []
    statuses: set[int] = set()
    lock = threading.Lock()
    share = [requests // users + (1 if i < requests % users else 0) for i in range(users)]

    def person(args):
        n, count = args
        browser = browser_for(base, n)
        for _ in range(count):
            started = time.perf_counter()
            reply = browser.get(path)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.add(reply.status)
        browser.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(person, [(n, count) for n, count in enumerate(share) if count]))
    wall = time.perf_counter() - started
    latencies.sort()
    return {"p50": statistics.median(latencies),
            "p95": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
            "rate": len(latencies) / wall, "statuses": statuses}


def page_table(base: str | list[str], pages: dict, levels: list[tuple[int, int]]) -> list[str]:
    """The pages at each concurrency, each against the 404 page measured just before it."""
    lines, failures = [], []
    header = f"{'page':<14}{'users':>6}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}{'x 404':>8}"
    lines.append(header)
    for users, requests in levels:
        baseline = timed_gets(base, pages["404"], users, requests)
        for name, path in pages.items():
            result = baseline if name == "404" else timed_gets(base, path, users, requests)
            ratio = result["p50"] / baseline["p50"]
            note = ""
            if name != "404" and users == 10:
                note = "  target <= 2.0x " + ("met" if ratio <= PAGE_TARGET else "MISSED")
            bad = sorted(s for s in result["statuses"] if s != (404 if name == "404" else 200))
            if bad:
                note += f"  statuses {bad}"
                failures.append(name)
            lines.append(f"{name:<14}{users:>6}{result['p50'] * 1000:>9.1f}"
                         f"{result['p95'] * 1000:>9.1f}{result['rate']:>8.1f}{ratio:>7.2f}x"
                         + note)
    if failures:
        lines.append(f"FAILED: unexpected statuses from {', '.join(sorted(set(failures)))}")
    return lines


def sequential_p50(base: str | list[str], path: str, stop: threading.Event | None,
                   count: int) -> float:
    """The p50 of one person reading `path` over and over (until `stop`, at least `count`)."""
    browser, latencies = browser_for(base), []
    while len(latencies) < count or (stop is not None and not stop.is_set()):
        started = time.perf_counter()
        browser.get(path)
        latencies.append(time.perf_counter() - started)
        if stop is None and len(latencies) >= count:
            break
    browser.close()
    return statistics.median(latencies)


def stored(database_url: str, survey_id: int) -> tuple[int, int]:
    """(responses stored for the survey, distinct references among them)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(
            "SELECT count(*), count(DISTINCT reference) FROM surveys_response "
            "WHERE survey_id = %s", [survey_id]).fetchone()


def submissions(base: str, survey: dict, database_url: str, count: int, users: int,
                neighbourhood: str, samples: int,
                readers: dict[str, str | list[str]]) -> tuple[list[str], bool]:
    """`count` submissions at `users` at once, the neighbourhood page read meanwhile through
    each of `readers` (label -> base address or the app servers' addresses)."""
    before = stored(database_url, survey["id"])[0] if database_url else 0
    quiet = {label: sequential_p50(where, neighbourhood, None, samples)
             for label, where in readers.items()}
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=len(readers)) as reader:
        during = {label: reader.submit(sequential_p50, where, neighbourhood, stop, samples)
                  for label, where in readers.items()}
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=users) as pool:
            references = list(pool.map(lambda _i: submit_survey(base, survey["path"]),
                                       range(count)))
        wall = time.perf_counter() - started
        stop.set()
        busy = {label: future.result() for label, future in during.items()}
    done = [r for r in references if r]
    lines = [f"survey submissions: {count} at {users} concurrent residents, {len(done)} "
             f"succeeded, {count - len(done)} failed, {wall:.1f} s ({len(done) / wall:.1f}/s)"]
    ok = len(done) == count
    if database_url:
        total, distinct = stored(database_url, survey["id"])
        new = total - before
        lost, duplicated = len(done) - new, new - len(set(done))
        lines.append(f"stored: {new} new responses; lost {max(lost, 0)}, duplicated "
                     f"{max(duplicated, 0)} (must both be 0); references distinct: "
                     f"{distinct == total}")
        ok = ok and lost == 0 and duplicated == 0 and distinct == total
    for label in readers:
        ratio = busy[label] / quiet[label]
        lines.append(f"neighbourhood p50 {label}: {quiet[label] * 1000:.1f} ms quiet, "
                     f"{busy[label] * 1000:.1f} ms during submissions, {ratio:.2f}x (target <= "
                     f"{DURING_TARGET}x " + ("met)" if ratio <= DURING_TARGET else "MISSED)"))
    return lines, ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:58080")
    parser.add_argument("--targets", required=True, help="JSON file: pages and survey")
    parser.add_argument("--database-url", default="", help="to count the stored responses")
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="fewer requests (scale check)")
    parser.add_argument("--app-urls", default="",
                        help="comma-separated app server addresses: also measure the pages "
                             "straight from them, without the proxy's cache")
    args = parser.parse_args(argv)
    global DIRECT_HOST
    DIRECT_HOST = urlsplit(args.base_url).netloc
    direct = [url for url in args.app_urls.split(",") if url]
    with open(args.targets) as handle:
        targets = json.load(handle)
    pages = {"404": targets["pages"].get("404", "/no-such-page-load-test/"),
             **{k: v for k, v in targets["pages"].items() if k != "404"}}
    levels = [(1, 5), (10, 30), (50, 100)] if args.quick else [(1, 20), (10, 100), (50, 250)]
    started = time.perf_counter()
    print(f"Through the proxy ({args.base_url}), as residents reach the portal:")
    table = page_table(args.base_url, pages, levels)
    for line in table:
        print(line, flush=True)
    if direct:
        print(f"Straight from the app servers ({', '.join(direct)}), no proxy cache: what "
              "the app itself costs")
        direct_table = page_table(direct, pages, levels)
        for line in direct_table:
            print(line, flush=True)
        table += direct_table
    readers = {"through the proxy": args.base_url, **({"from the app servers": direct}
                                                      if direct else {})}
    lines, ok = submissions(args.base_url, targets["survey"], args.database_url,
                            args.submissions, 50, pages["neighbourhood"],
                            10 if args.quick else 30, readers)
    for line in lines:
        print(line, flush=True)
    print(f"load test took {time.perf_counter() - started:.0f} s")
    return 0 if ok and not any(line.startswith("FAILED") for line in table) else 1


if __name__ == "__main__":
    sys.exit(main())
