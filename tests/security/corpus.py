"""The hostile-input corpus, and the machinery that aims it at every form and endpoint.

`PAYLOADS` are the values tried; `Prober` sends requests through a Django test client and
checks each answer: no server error, no payload markup reflected unescaped into an HTML page,
and nothing stored by a request that was refused. The forms are found by reading the pages
(`find_forms`), so a new form is covered without a change here.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_plus, urldefrag, urljoin, urlsplit

from django.apps import apps
from django.db import connection

# Unique markers: a page that holds one of these raw has put the payload's markup in the page.
SCRIPT = '<script>alert("corpus16")</script>'
IMG = '"><img src=x onerror=alert(16)>'
MARKUP = (SCRIPT[:-9], "<img src=x onerror=alert(16)>")

# name -> value; bytes are sent as they are (percent-encoded), so a lone surrogate arrives as
# the bytes a client would send (ED A0 80), which no decoder accepts as UTF-8.
PAYLOADS: dict[str, str | bytes] = {
    "script": SCRIPT,
    "img": IMG,
    "javascript_url": "javascript:alert(16)",
    "template": "{{7*7}}{% debug %}${7*7}",
    "sql_quote": "' OR '1'='1' --",
    "sql_drop": "1; DROP TABLE accounts_user;--",
    "sql_like": "%_%' \\",
    "nul": "Harles\x00den",
    "lone_surrogate": b"Harles\xed\xa0\x80den",
    "crlf": "Harlesden\r\nBcc: victim@example.org",
    "nan": "NaN",
    "infinity": "1e309",
    "negative": "-1",
    "huge_int": "99999999999999999999",
    "traversal": "../../../../etc/passwd",
    "unicode": "Cymraeg ŵŷ \u202e\u200b 😀",
    "long_1mb": "x" * 1_000_000,
}
# The same payload for every role would repeat the same requests; each role starts the cycle
# at a different place, so together they cover more pairs of field and payload.
PAYLOAD_NAMES = list(PAYLOADS)
SAMPLE_VALUES = {
    "email": "corpus-person@example.org", "number": "3", "date": "2026-06-01",
    "time": "10:00", "datetime-local": "2026-06-01T10:00", "tel": "020 7946 0000",
    "url": "https://example.org/", "password": "a-long-corpus-password-16",
    "search": "library", "text": "Harlesden", "textarea": "A comment from the corpus.",
}


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False
    honeypot: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    enctype: str
    fields: list[Field] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        """What makes two forms the same form: where it goes and the names it sends."""
        # The Welsh page's form is the English one under /cy/: the same code answers it.
        action = re.sub(r"^/cy/", "/", re.sub(r"\d+", "N", self.action))
        return (action, self.method, tuple(sorted({f.name for f in self.fields})))

    def fillable(self) -> list[Field]:
        """The fields a person types into or chooses from (not hidden or the CSRF token)."""
        return [f for f in self.fields if f.kind not in {"hidden", "submit", "button",
                                                         "image", "reset", "file"}
                and not f.honeypot and f.name != "csrfmiddlewaretoken"]

    def baseline(self) -> list[tuple[str, str | bytes]]:
        """What a person filling the form in plausibly would send."""
        pairs = []
        radios_done = set()
        for f in self.fields:
            if f.kind in {"submit", "button", "image", "reset", "file"} or f.honeypot:
                continue
            if f.kind == "checkbox":
                if f.checked or f.name not in radios_done:
                    pairs.append((f.name, f.value or "on"))
                    radios_done.add(f.name)
            elif f.kind == "radio":
                if f.name not in radios_done:
                    pairs.append((f.name, f.value))
                    radios_done.add(f.name)
            elif f.kind in {"select", "select-multiple"}:
                chosen = next((o for o in f.options if o), "")
                pairs.append((f.name, chosen))
            elif f.kind == "hidden" or f.value:
                pairs.append((f.name, f.value))
            else:
                pairs.append((f.name, SAMPLE_VALUES.get(f.kind, SAMPLE_VALUES["text"])))
        return pairs


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(self.page, urljoin(self.page, a.get("action") or self.page),
                              (a.get("method") or "get").lower(),
                              a.get("enctype") or "application/x-www-form-urlencoded")
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            self._form.fields.append(Field(
                a["name"], (a.get("type") or "text").lower(), a.get("value", ""),
                checked="checked" in a, honeypot=a.get("tabindex") == "-1"))
        elif tag == "button":
            self._form.fields.append(Field(a["name"], "submit", a.get("value", "")))
        elif tag == "select":
            self._select = Field(a["name"], "select-multiple" if "multiple" in a else "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


def read_page(url: str, html: str) -> tuple[list[Form], list[str]]:
    """The forms of a page and its links to other pages of the portal (paths)."""
    parser = _Parser(url)
    parser.feed(html)
    links = []
    for href in parser.links:
        absolute, _fragment = urldefrag(urljoin(f"http://testserver{url}", href))
        parts = urlsplit(absolute)
        if parts.netloc in ("testserver", "") and parts.scheme in ("http", "https", ""):
            links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    for form in parser.forms:
        parts = urlsplit(form.action)
        form.action = parts.path + (f"?{parts.query}" if parts.query else "")
    return parser.forms, links


def encode(pairs) -> str:
    """application/x-www-form-urlencoded, with bytes values sent byte for byte."""
    return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in pairs)


NUMERIC = ("nan", "infinity", "huge_int", "negative", "script", "long_1mb")
_NUMERIC_NAMES = re.compile(r"(^|_)(lat|lng|latitude|longitude|people|number|count|page|age|"
                            r"year|pk|id)($|_)")


def is_numeric(f: Field) -> bool:
    return f.kind == "number" or bool(_NUMERIC_NAMES.search(f.name))


def mutations(form: Form, names, per_form: int):
    """(label, pairs): the baseline with one field's value replaced by a payload; `per_form`
    such submissions, each field and each payload used in turn (number fields get NaN,
    1e309 and the like first)."""
    fillable = form.fillable()
    if not fillable:
        return
    base = form.baseline()
    fields = itertools.cycle(fillable)
    numeric = itertools.cycle(NUMERIC)
    for _ in range(per_form):
        target = next(fields)
        payload_name = next(numeric) if is_numeric(target) else next(names)
        value = PAYLOADS[payload_name]
        pairs = [(n, v) for n, v in base if n != target.name] + [(target.name, value)]
        yield f"{target.name}={payload_name}", pairs


def repeated(form: Form):
    """The baseline with every field sent twice, the second time with a payload."""
    pairs = form.baseline()
    return pairs + [(name, SCRIPT) for name, _value in pairs]


class RowCounts:
    """Row counts of every model of the portal's apps and the accounts, in one query."""

    LABELS = ("accounts", "account", "auth", "mfa", "neighbourhoods", "themes", "pages",
              "surveys", "forums", "assets_map", "priorities", "plans", "wagtailcore",
              "wagtailimages", "wagtaildocs", "django_tasks_database")

    def __init__(self):
        tables = sorted({model._meta.db_table for model in apps.get_models()
                         if model._meta.app_label in self.LABELS
                         and not model._meta.proxy and model._meta.managed})
        quote = connection.ops.quote_name
        self.tables = tables
        self.sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)

    def __call__(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            return dict(zip(self.tables, cursor.fetchone(), strict=True))


@dataclass
class Finding:
    what: str
    method: str
    url: str
    label: str
    detail: str

    def __str__(self):
        return f"{self.what}: {self.method.upper()} {self.url[:120]} [{self.label}] {self.detail}"


class Prober:
    """Sends requests and records every breach of the three rules."""

    def __init__(self, client, counts: RowCounts, role: str):
        self.client = client
        self.counts = counts
        self.role = role
        self.findings: list[Finding] = []
        self.sent = 0
        self.statuses: dict[int, int] = {}

    def send(self, method: str, url: str, pairs=None, label: str = "", body: str | None = None,
             content_type: str = "application/x-www-form-urlencoded", refused: bool = False,
             **extra):
        """Send a request and check the answer; `refused` when nothing may be stored whatever
        the status (a method the page never uses)."""
        method = method.lower()
        before = self.counts()
        if method == "get" and pairs is not None:
            separator = "&" if "?" in url else "?"
            url = url + separator + encode(pairs) if pairs else url
            response = self.client.get(url, **extra)
        elif method in {"get", "head", "options"}:
            response = getattr(self.client, method)(url, **extra)
        else:
            data = body if body is not None else encode(pairs or [])
            response = self.client.generic(method.upper(), url, data, content_type, **extra)
        self.sent += 1
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        self.check(response, method, url, label, before, refused)
        return response

    def check(self, response, method, url, label, before, refused=False):
        status = response.status_code
        if status >= 500:
            self.findings.append(Finding("server error", method, url, label, str(status)))
        content_type = response.get("Content-Type", "")
        if "html" in content_type and not getattr(response, "streaming", False):
            text = response.content.decode("utf-8", "replace")
            for marker in MARKUP:
                if marker in text:
                    self.findings.append(Finding("reflected markup", method, url, label, marker))
        refused = refused or status >= 400 or (
            "html" in content_type and not getattr(response, "streaming", False)
            and b'class="error-summary"' in response.content)
        if refused:
            after = self.counts()
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            if changed:
                self.findings.append(Finding("stored from a refused request", method, url,
                                             label, f"{status} {changed}"))
