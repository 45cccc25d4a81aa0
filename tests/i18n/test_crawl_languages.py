"""Issue 13's "Done when": the crawl of every public page in every offered language answers
without a server error.

A site offering all six known languages, with one page of every public page type translated
into Welsh and Arabic through wagtail-localize (tests/i18n/translated_site.py), is crawled by
an anonymous visitor from each language's home page: every same-site link, breadth first, each
address once. Every page answers below 500; every HTML page says its language in
`<html lang>` and its direction in `dir`. The routes below each page type (survey steps,
results, the paper form, forum calendars, plan PDFs, the map's GeoJSON) are requested too.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pypdf
import pytest
from django.urls import clear_url_caches
from django.utils.translation import get_language_from_path

from portal import languages
from tests.conftest import make_user

from .translated_site import (
    TRANSLATED,
    build_translated_site,
    in_language,
    offer_every_language,
)

CAP = 400  # addresses per language; the crawl must finish well below it
BIG = 5_000_000  # bytes: a download larger than this is not read for links
SKIP = ("/admin/", "/accounts/logout/", "/i18n/setlang/", "/django-admin/")
LANGUAGE_CODES = [code for code, _name in languages.offered_languages("en,cy,pl,ar,ur,bn")]


@pytest.fixture
def site_pages(demo_site, settings):
    settings.SURVEYS_MIN_SECONDS = 0
    yield build_translated_site(demo_site, settings)
    clear_url_caches()


@pytest.fixture
def six_languages(demo_site, settings):
    offer_every_language(settings)
    yield settings
    clear_url_caches()


class Links(HTMLParser):
    """The addresses of a page's links and stylesheets."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("a", "link", "area") and values.get("href"):
            self.found.append(values["href"])


def same_site_links(url: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    links = []
    for href in parser.found:
        absolute = urlsplit(urljoin("http://testserver" + url, href))
        if absolute.scheme not in ("http", "https") or absolute.netloc != "testserver":
            continue
        path = absolute.path + (f"?{absolute.query}" if absolute.query else "")
        if not path.startswith(SKIP):
            links.append(path)
    return links


def language_of(url: str) -> str:
    return get_language_from_path(urlsplit(url).path) or "en"


class Crawl:
    """A breadth-first crawl of one language's addresses; what it found wrong."""

    def __init__(self, client, code: str, seen_elsewhere: set[str]):
        self.client, self.code = client, code
        self.seen_elsewhere = seen_elsewhere  # addresses with no language (/api/, /documents/)
        self.visited: list[str] = []
        self.reached_from_home: set[str] = set()
        self.problems: list[str] = []

    def run(self, start: str, extra: list[str]) -> None:
        """Crawl from the home page, note what its links reached, then from the routes."""
        queued: set[str] = set()
        self.crawl([start], queued)
        self.reached_from_home = set(self.visited)
        self.crawl(extra, queued)

    def crawl(self, starts: list[str], queued: set[str]) -> None:
        queue = deque(url for url in starts if url not in queued)
        queued.update(starts)
        while queue and len(self.visited) < CAP:
            url = queue.popleft()
            self.visited.append(url)
            for link in self.fetch(url):
                owner = language_of(link) if self.has_language(link) else None
                if owner is None:
                    if link in self.seen_elsewhere:
                        continue
                    self.seen_elsewhere.add(link)
                elif owner != self.code or link in queued:
                    continue  # another language's crawl follows it
                queued.add(link)
                queue.append(link)

    @staticmethod
    def has_language(url: str) -> bool:
        """An address under i18n_patterns: everything but the site-wide ones."""
        return not url.startswith(("/api/", "/documents/", "/static/", "/media/", "/brand.css",
                                   "/robots.txt", "/favicon.ico", "/sitemap.xml", "/healthz"))

    def fetch(self, url: str) -> list[str]:
        response = self.client.get(url)
        if response.status_code >= 500 or (response.status_code == 404
                                            and "no-such" not in url):
            self.problems.append(f"{url}: {response.status_code}")
            return []
        if response.status_code in (301, 302, 303, 307, 308):
            location = urlsplit(urljoin("http://testserver" + url, response["Location"]))
            if location.netloc != "testserver":
                return []
            target = location.path + (f"?{location.query}" if location.query else "")
            return [] if target.startswith(SKIP) else [target]
        content = b"".join(response) if response.streaming else response.content
        if len(content) > BIG or "text/html" not in response.get("Content-Type", ""):
            return []
        html = content.decode()
        self.check_language(url, html)
        return same_site_links(url, html)

    def check_language(self, url: str, html: str) -> None:
        expected = language_of(url) if self.has_language(url) else "en"
        direction = "rtl" if languages.is_bidi(expected) else "ltr"
        if f'<html lang="{expected}" dir="{direction}"' not in html:
            opening = html[html.find("<html"):][:60]
            self.problems.append(f"{url}: expected lang={expected} dir={direction}, "
                                 f"got {opening!r}")
        # Welsh and Arabic have every page: none is shown in English with the notice.
        if expected in TRANSLATED and '<main id="main-content" class="main" tabindex="-1" ' \
                'lang=' in html:
            self.problems.append(f"{url}: shown untranslated in {expected}")


def routes(pages: dict, code: str) -> list[str]:
    """The routes below each page type, in `code` (English pages when not translated)."""
    local = {name: in_language(page, code) if code in ("cy", "ar") else page
             for name, page in pages.items()}
    prefix = "" if code == "en" or code in ("cy", "ar") else f"/{code}"

    def url(name, tail=""):
        return f"{prefix}{local[name].url}{tail}"

    survey, event = local["survey"], local["forum"]
    lang = "" if code == "en" else f"/{code}"
    return [url(name) for name in local] + [
        url("survey", "step/1/"), url("survey", "step/2/"),
        url("survey", "step/3/"), url("survey", "step/99/"), url("survey", "check/"),
        url("survey", "done/"), url("survey", "results/"), url("survey", "what-happened/"),
        url("survey index", "what-happened/"), f"{lang}/survey-paper/{survey.pk}/",
        f"{lang}/forum-event/{event.pk}/register/", f"{lang}/forum-event/{event.pk}/calendar.ics",
        url("plan", "pdf/"), url("plan", "highlights/"),
        url("priorities", "how-we-worked-this-out/"),
        url("priorities", "harlesden/"), url("asset map", "?q=food"),
        url("asset map", "no-such-asset/"), "/api/assets.geojson",
        "/api/neighbourhoods/boundaries.geojson",
    ]


def test_every_public_page_in_every_language_answers_without_a_server_error(client, site_pages):
    seen_elsewhere: set[str] = set()
    problems, counts, unreached = [], {}, {}
    for code in LANGUAGE_CODES:
        crawl = Crawl(client, code, seen_elsewhere)
        crawl.run("/" if code == "en" else f"/{code}/", routes(site_pages, code))
        counts[code] = len(crawl.visited)
        problems += crawl.problems
        if code in ("en", *TRANSLATED):
            pages = {name: in_language(page, code) if code != "en" else page
                     for name, page in site_pages.items()}
            unreached[code] = sorted(name for name, page in pages.items()
                                     if page.url not in crawl.reached_from_home)
    assert not problems, "\n".join(problems)
    for code, count in counts.items():
        assert count < CAP, f"the {code} crawl stopped at {CAP} addresses"
    # In each language with pages, links from its home page lead to every page type.
    assert unreached == {code: [] for code in unreached}, unreached


PAPER_WORDS = {  # the survey's own wording in the language, and the English it replaces
    "cy": ["Arolwg", "hybiau", "Amdanoch", "gennych", "blant", "wasanaethau", "Llyfrgell",
           "Diogelwch"],
    "ar": ["استبيان", "مراكز", "الأسرة", "الخدمات", "استخدمتها", "المكتبة", "السلامة"],
}


def pdf_text(content: bytes):
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_the_paper_form_comes_in_every_language_with_its_questions(client, site_pages):
    """An officer prints the survey's paper form in each language: a PDF in that language,
    with the Welsh and Arabic questions and options in Welsh and Arabic."""
    client.force_login(make_user("paper-officer@example.org", "Officers"))
    english = site_pages["survey"]
    for code in LANGUAGE_CODES:
        prefix = "" if code == "en" else f"/{code}"
        response = client.get(f"{prefix}/survey-paper/{english.pk}/")
        assert response.status_code == 200, (code, response.status_code)
        assert response["Content-Type"] == "application/pdf"
        reader, text = pdf_text(response.content)
        assert reader.trailer["/Root"]["/Lang"] == code
        for word in PAPER_WORDS.get(code, ["Family", "services", "Library"]):
            assert unicodedata.normalize("NFKC", word) in text, (code, word, text[:300])
        if code in PAPER_WORDS:
            for english_words in ("Which services", "Library", "Family hubs survey"):
                assert english_words not in text, (code, english_words)
    # The translation's own id prints the same form.
    welsh = in_language(english, "cy")
    _reader, text = pdf_text(client.get(f"/cy/survey-paper/{welsh.pk}/").content)
    assert "Llyfrgell" in text


@pytest.mark.parametrize("url", ["/fr/", "/fr/neighbourhoods/", "/xx/about/", "/zz-yy/"])
def test_a_language_not_offered_is_a_404_among_six(client, six_languages, url):
    response = client.get(url)
    assert response.status_code == 404
    assert '<html lang="en" dir="ltr"' in response.content.decode()


@pytest.mark.parametrize("url", ["/pl/", "/ar/", "/ur/neighbourhoods/", "/bn/about/"])
def test_with_only_english_and_welsh_other_prefixes_are_a_404(client, demo_site, url):
    response = client.get(url)
    assert response.status_code == 404
    assert '<html lang="en" dir="ltr"' in response.content.decode()


def test_a_language_without_pages_keeps_its_readers_in_it(six_languages, client):
    """Polish has an interface but no pages: the menu, footer and statements stay under /pl/
    (the pages come from the default language's tree, with the notice saying so)."""
    html = client.get("/pl/").content.decode()
    menu = [href for href in same_site_links("/pl/", html)
            if href.rstrip("/").count("/") >= 1 and not href.startswith(("/static/", "/media/"))]
    other_languages = {code for code, _name in six_languages.LANGUAGES}  # the switcher
    english_only = [href for href in menu if not href.startswith("/pl/")
                    and href.split("/")[1] not in {"api", "brand.css", *other_languages}]
    assert not english_only, english_only
