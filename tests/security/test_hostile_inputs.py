"""A corpus of hostile inputs against every public form and endpoint, signed in and not.

The demo (borough, assets, forums and surveys) is loaded once for the module. The forms are
found by reading the pages: a crawl from the home page (English and Welsh) as a visitor, and
from the account and organisation pages as a resident and as a VCS organisation's owner; the
other endpoints come from the URL resolver. Each form is sent as a person would fill it in,
then with one field at a time replaced by a payload from `corpus.PAYLOADS` (XSS, SQL
metacharacters, NUL, a lone surrogate, CR/LF, NaN and 1e309, a 1 MB value, ...) and with every
parameter repeated. Then: missing CSRF tokens, wrong methods, 10 MB bodies, path traversal
in slugs and tokens, other organisations' ids.

Every answer must be below 500, no HTML answer may hold a payload's markup unescaped, and a
refused request (4xx, or a form shown again with its error summary) must leave the row count
of every model unchanged. Sampled so that the module runs in well under a minute.
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import BOROUGH, make_user

from .corpus import (
    PAYLOAD_NAMES,
    PAYLOADS,
    SCRIPT,
    Prober,
    RowCounts,
    encode,
    mutations,
    read_page,
    repeated,
)

pytestmark = pytest.mark.django_db

MAX_PAGES = {"anonymous": 60, "resident": 25, "vcs_owner": 30}
PER_SHAPE = 2  # pages per parent path: two asset pages stand for all of them
PER_FORM = 6  # payload submissions per form
# Never submitted: they end the session or the account the crawl is using, or are the admin.
SKIP = re.compile(r"^/(cy/)?(accounts/logout|account/delete|accounts/password/change|"
                  r"accounts/email|accounts/2fa|admin|django-admin|static|media|documents)/")
SKIP_FILES = (".ics", ".pdf", ".csv", ".xlsx", ".geojson", ".json", ".css", ".txt", ".xml")
START = {
    "anonymous": ["/", "/cy/", "/search/?q=library",
                  "/search/?q=food+bank+NW10+8SE&kind=asset&neighbourhood=harlesden",
                  "/accounts/signup/", "/accounts/login/",
                  "/accounts/password/reset/", "/accounts/login/code/", "{verify_link}",
                  "{registration}", "/have-your-say/what-happened/", "/alerts/"],
    "resident": ["/account/", "/organisations/", "/organisations/join/", "/organisations/new/",
                 "{invitation}", "/have-your-say/what-matters-most/step/1/", "/forums/",
                 "/alerts/", "/alerts/manage/"],
    "vcs_owner": ["/organisations/", "/organisations/{own}/", "/organisations/{own}/assets/new/",
                  "/organisations/{own}/assets/{own_asset}/edit/",
                  "/organisations/{own}/members/", "/organisations/{own}/join/"],
}


@pytest.fixture(scope="module")
def corpus_site(_demo_borough, django_db_blocker):
    """The full demo of the public apps, and the people and organisations the corpus needs,
    loaded once inside a transaction that is rolled back after the module."""
    from assets_map.models import Asset, Organisation, OrganisationMembership
    from forums.models import Registration

    with django_db_blocker.unblock():
        if not BOROUGH.loaded:
            BOROUGH.load()
        atomic = transaction.atomic()
        atomic.__enter__()
        quiet = open(os.devnull, "w")
        for command, *args in (("load_demo_assets",), ("load_demo_forums",),
                               ("load_demo_surveys", "--responses", "0")):
            call_command(command, *args, stdout=quiet)
        own, other = Organisation.objects.order_by("pk")[:2]
        owner = make_user("corpus-owner@example.org", "VCS organisations")
        OrganisationMembership.objects.create(organisation=own, user=owner,
                                              role=OrganisationMembership.OWNER)
        site = {
            "resident": make_user("corpus-resident@example.org"),
            "vcs_owner": owner,
            "own": own, "other": other,
            "own_asset": Asset.objects.filter(organisation=own).order_by("pk").first()
            or Asset.objects.create(name="Corpus Hall", organisation=own, latitude=51.5386,
                                    longitude=-0.2505, category_id=Asset.objects.values_list(
                                        "category", flat=True).first()),
            "other_asset": Asset.objects.filter(organisation=other).order_by("pk").first(),
            "registration": Registration.objects.order_by("pk").first(),
        }
        try:
            yield site
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()


@pytest.fixture
def counts(corpus_site, demo_site):
    return RowCounts()


def client_for(role: str, site: dict, **kwargs) -> Client:
    # A server error is a finding to list with the others, not an exception ending the test.
    client = Client(raise_request_exception=False, **kwargs)
    if role != "anonymous":
        client.force_login(site[role])
    return client


def start_pages(role: str, site: dict) -> list[str]:
    from assets_map import membership, moderation

    links = {
        "own": site["own"].slug, "own_asset": site["own_asset"].pk,
        # the links people are sent by email: "still correct?" and an invitation
        "verify_link": "/organisations/still-correct/"
                       f"{moderation.verify_token(site['own_asset'])}/",
        "registration": f"/forum-registration/{site['registration'].token}/",
        "invitation": "/organisations/invitations/"
                      f"{membership.invitation_token(site['other'], site['resident'].email)}/",
    }
    return [url.format(**links) for url in START[role]]


def shape_of(path: str) -> str:
    """A page's parent ("/community-assets/" for each asset page); a section page is its own."""
    segments = [segment for segment in path.split("/") if segment]
    if segments[:1] == ["cy"]:
        segments = segments[1:]
    return "/".join(segments[:-1]) + "/*" if len(segments) > 1 else path


def crawl(prober: Prober, start: list[str], limit: int):
    """Pages reachable from `start` (a few of each shape), and every form on them."""
    seen, forms, shapes = set(), {}, Counter()
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = url.split("?")[0]
        if url in seen or SKIP.match(path) or path.endswith(SKIP_FILES):
            continue
        shape = shape_of(path)
        if url not in start and shapes[shape] >= PER_SHAPE:
            continue
        shapes[shape] += 1
        seen.add(url)
        response = prober.send("get", url, label="crawl", follow=True)
        if "html" not in response.get("Content-Type", ""):
            continue
        page_forms, links = read_page(response.request["PATH_INFO"],
                                      response.content.decode("utf-8", "replace"))
        for form in page_forms:
            if not SKIP.match(form.action.split("?")[0]):
                forms.setdefault(form.key, form)
        queue.extend(link for link in links if link not in seen)
    return forms


def attack(prober: Prober, forms: dict, names, max_forms: int = 40):
    """Each form filled in, then with payloads one field at a time, then every field twice;
    forms that a filled-in submission leads to (the next survey step) are attacked too."""
    done, queue = set(), list(forms.values())
    while queue and len(done) < max_forms:
        form = queue.pop(0)
        if form.key in done:
            continue
        done.add(form.key)
        cache.clear()  # rate-limit counters: keep the form reachable for every payload
        # the page again first: a survey step or a forum form needs the session it sets up
        prober.send("get", form.page, label="page", follow=True)
        response = prober.send(form.method, form.action, form.baseline(), label="baseline",
                               follow=True)
        if "html" in response.get("Content-Type", "") and response.status_code == 200:
            next_forms, _links = read_page(response.request["PATH_INFO"],
                                           response.content.decode("utf-8", "replace"))
            queue.extend(f for f in next_forms if f.key not in done
                         and not SKIP.match(f.action.split("?")[0]))
        for label, pairs in mutations(form, names, PER_FORM):
            prober.send(form.method, form.action, pairs, label=label)
        prober.send(form.method, form.action, repeated(form), label="repeated parameters")
    return done


def assert_clean(prober: Prober):
    findings = "\n".join(str(finding) for finding in prober.findings[:40])
    assert not prober.findings, f"{len(prober.findings)} findings:\n{findings}"


# Every form, as each kind of person --------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "resident", "vcs_owner"])
def test_every_form_takes_the_corpus(corpus_site, counts, role):
    prober = Prober(client_for(role, corpus_site), counts, role)
    offset = ["anonymous", "resident", "vcs_owner"].index(role) * 5
    names = itertools.islice(itertools.cycle(PAYLOAD_NAMES), offset, None)
    forms = crawl(prober, start_pages(role, corpus_site), MAX_PAGES[role])
    attacked = attack(prober, forms, names)
    assert len(attacked) >= {"anonymous": 8, "resident": 3, "vcs_owner": 5}[role], attacked
    assert_clean(prober)


# The endpoints no form leads to ---------------------------------------------------------------


def our_routes():
    """(route, pattern) of every public URL pattern outside the admin, from the resolver."""
    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry, route)
            elif isinstance(entry, URLPattern):
                yield route, entry
    for route, entry in walk(get_resolver()):
        if not route.startswith(("admin/", "django-admin/", "documents/", "^")):
            yield route, entry


FILL = {"slug": ["..%2F..%2Fetc%2Fpasswd", "harlesden%00", "%3Cscript%3E", "a" * 300],
        "str": ["..%2F..%2Fsecret", "%3Cscript%3Ealert(16)%3C%2Fscript%3E", "x%00y",
                "a" * 2000],
        "id": ["0", "999999999999999999"], "uuid": ["00000000-0000-0000-0000-000000000000"],
        "int": ["0", "99999999999999999999"]}
QUERIES = [
    [("q", SCRIPT), ("page", "NaN"), ("per_page", "1e309")],
    [("bbox", "NaN,NaN,NaN,NaN"), ("lat", "1e309"), ("lng", "-inf")],
    [("page", "-1"), ("page", "99999999999999999999"), ("q", "' OR 1=1 --")],
    [("postcode", "NW10\x008SE"), ("neighbourhood", "../../etc/passwd"), ("theme", "{{7*7}}")],
    [("lat", "51.5"), ("lng", "-0.2"), ("lat", "NaN"), ("features", "x"), ("features", "y")],
    [("category", PAYLOADS["lone_surrogate"]), ("q", "x" * 100_000)],
]


def filled(route: str) -> list[str]:
    """The route with its converters filled in with hostile values ([] for regex routes)."""
    if route.startswith("^") or "(?P" in route:
        return []
    slots = re.findall(r"<(\w+):(\w+)>", route)
    if not slots:
        return [route]
    urls = []
    for values in zip(*(FILL.get(kind, ["x"]) for kind, _name in slots), strict=False):
        url = route
        for (kind, name), value in zip(slots, values, strict=True):
            url = url.replace(f"<{kind}:{name}>", value, 1)
        urls.append(url)
    return urls


@pytest.mark.parametrize("role", ["anonymous", "vcs_owner"])
def test_every_endpoint_takes_hostile_paths_and_queries(corpus_site, counts, role):
    prober = Prober(client_for(role, corpus_site), counts, role)
    urls = sorted({url for route, _entry in our_routes() for url in filled(route)})
    assert len(urls) > 40
    queries = itertools.cycle(QUERIES)
    for url in urls:
        if SKIP.match("/" + url) or url.startswith("accounts/logout"):
            continue
        prober.send("get", "/" + url, next(queries), label="query")
    assert_clean(prober)


def test_the_api_takes_every_query_payload(corpus_site, counts):
    prober = Prober(Client(raise_request_exception=False), counts, "anonymous")
    for path in ("/api/assets.geojson", "/api/assets.csv", "/api/openreferral/services",
                 "/api/openreferral/organizations", "/api/neighbourhoods/locate"):
        for name, value in PAYLOADS.items():
            parameter = {"/api/neighbourhoods/locate": "lat"}.get(path, "q")
            prober.send("get", path, [(parameter, value), ("bbox", value), ("page", value),
                                      ("per_page", value), ("lng", value)], label=name)
    assert_clean(prober)


# Requests a page never sends ------------------------------------------------------------------


def post_forms(role, site, counts, limit):
    prober = Prober(client_for(role, site), counts, role)
    forms = crawl(prober, start_pages(role, site), limit)
    return [form for form in forms.values() if form.method == "post"], prober


@pytest.mark.parametrize("role", ["anonymous", "vcs_owner"])
def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(corpus_site, counts,
                                                                     role):
    forms, _prober = post_forms(role, corpus_site, counts, 25)
    assert len(forms) >= 3
    strict = Prober(client_for(role, corpus_site, enforce_csrf_checks=True), counts, role)
    for form in forms:
        pairs = [(n, v) for n, v in form.baseline() if n != "csrfmiddlewaretoken"]
        response = strict.send("post", form.action, pairs, label="no csrf token")
        assert response.status_code == 403, form.action
        assert SCRIPT not in response.content.decode("utf-8", "replace")
    assert_clean(strict)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_wrong_methods_are_refused(corpus_site, counts, method):
    prober = Prober(client_for("vcs_owner", corpus_site), counts, "vcs_owner")
    forms = crawl(prober, start_pages("vcs_owner", corpus_site)[:3], 12)
    urls = {form.action for form in forms.values()} | {
        "/search/", "/api/assets.geojson", "/api/openreferral/services", "/accounts/login/",
        "/accounts/signup/", "/healthz"}
    for url in sorted(urls):
        # Wagtail serves a page whatever the method; what matters is that nothing is stored
        prober.send(method, url, [("name", SCRIPT)], label=method, refused=True)
    assert_clean(prober)
    for url in ("/api/assets.geojson", "/api/openreferral/services", "/search/"):
        assert prober.send(method, url, label=method).status_code == 405


def test_ten_megabyte_bodies_are_refused(corpus_site, counts):
    body = encode([("name", "x" * 10_000_000)])
    prober = Prober(client_for("vcs_owner", corpus_site), counts, "vcs_owner")
    own = corpus_site["own"].slug
    for url in ("/accounts/signup/", f"/organisations/{own}/assets/new/", "/organisations/new/"):
        response = prober.send("post", url, body=body, label="10 MB body")
        assert 400 <= response.status_code < 500, (url, response.status_code)
    assert_clean(prober)


def test_other_organisations_ids_are_refused(corpus_site, counts):
    other, asset = corpus_site["other"], corpus_site["other_asset"]
    prober = Prober(client_for("vcs_owner", corpus_site), counts, "vcs_owner")
    own = corpus_site["own"].slug
    urls = [f"/organisations/{other.slug}/members/", f"/organisations/{other.slug}/assets/new/"]
    if asset is not None:
        urls += [f"/organisations/{other.slug}/assets/{asset.pk}/{action}/"
                 for action in ("edit", "preview", "submit", "verify")]
        # its asset under the person's own organisation's address
        urls += [f"/organisations/{own}/assets/{asset.pk}/{action}/"
                 for action in ("edit", "preview", "submit", "verify")]
    for url in urls:
        for method in ("get", "post"):
            response = prober.send(method, url, [("name", SCRIPT), ("email", "x@example.org")],
                                   label="other organisation")
            assert response.status_code in {302, 403, 404, 405}, (method, url, response.status_code)
    assert_clean(prober)
