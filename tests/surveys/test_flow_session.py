"""Issue 19: the answering flow writes the session only on POST, and each page is lean.

A GET of the intro, a step or "check your answers" must not modify the session (no
django_session INSERT or UPDATE), so a busy survey does not rewrite a session row per page
view; answers are written when a step is posted. Each step GET, warm, costs 15 queries at most.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from surveys.answer_views import BROWSER_KEY
from surveys.forms import field_name
from surveys.models import Question

from .conftest import q
from .test_answering import opt, step_url
from .test_check_answers import answer_steps, check_url

pytestmark = pytest.mark.django_db

QUERY_LIMIT = 15
# Signed in, a page also loads the account, checks it has not answered already, and the header
# asks twice whether to show the "Admin" link (portal/templates/components/header.html).
SIGNED_IN_EXTRA = 4


@pytest.fixture(autouse=True)
def fast(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    cache.clear()


def session_writes(queries) -> list[str]:
    return [query["sql"] for query in queries if "django_session" in query["sql"]
            and query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def get_without_writing(client, url, expected=200):
    with CaptureQueriesContext(connection) as queries:
        r = client.get(url)
    assert r.status_code == expected, (url, r.status_code)
    assert r.wsgi_request.session.modified is False, url
    assert session_writes(queries.captured_queries) == [], url
    return r


def pages(survey):
    return [survey.url, step_url(survey, 1), step_url(survey, 2), step_url(survey, 3),
            f"{step_url(survey, 1)}?change=1", check_url(survey)]


def test_a_fresh_visitor_gets_no_session_from_the_intro_or_the_first_step(survey):
    client = Client()
    get_without_writing(client, survey.url)
    get_without_writing(client, step_url(survey, 1))
    assert "sessionid" not in client.cookies  # nothing stored, so no session at all
    get_without_writing(client, step_url(survey, 3), expected=302)  # not reached yet


def test_gets_never_write_the_session_and_posts_do(survey):
    client = Client()
    single = q(survey, Question.SINGLE)
    with CaptureQueriesContext(connection) as queries:
        client.post(step_url(survey, 1), {field_name(q(survey, Question.WHERE)): "NW10 8SE",
                                          field_name(single): opt(single, "Yes")})
    assert session_writes(queries.captured_queries)  # the answers are written on POST
    assert client.session[BROWSER_KEY]  # set on the POST, not on a GET
    get_without_writing(client, step_url(survey, 1))
    get_without_writing(client, step_url(survey, 2))
    answer_steps(client, survey)
    for url in pages(survey):
        get_without_writing(client, url)


def test_a_signed_in_resident_gets_no_session_writes_either(survey, resident):
    client = Client()
    client.force_login(resident)
    answer_steps(client, survey)
    other = Client()  # a new session, answers read from the account's draft
    other.force_login(resident)
    for url in pages(survey):
        get_without_writing(other, url)


@pytest.mark.parametrize("signed_in", [False, True])
def test_each_step_get_is_lean_when_warm(survey, resident, signed_in):
    client = Client()
    if signed_in:
        client.force_login(resident)
    answer_steps(client, survey)
    counts = {}
    for url in [step_url(survey, n) for n in (1, 2, 3)] + [check_url(survey)]:
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries.captured_queries)
    print("queries per warm GET:", counts)
    limit = QUERY_LIMIT + (SIGNED_IN_EXTRA if signed_in else 0)
    assert all(count <= limit for count in counts.values()), counts
