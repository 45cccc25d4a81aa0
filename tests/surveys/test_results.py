"""Results arithmetic on known answers, filters, suppression, and the two results pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.neighbourhoods.models import Neighbourhood
from surveys.models import Question, Response
from surveys.results import Filters, compute_results, suppressed
from tests.conftest import make_user

from .conftest import q, respond

pytestmark = pytest.mark.django_db


def entry(results, kind):
    return next(e for e in results["questions"] if e["kind"] == kind and not e["retired"])


def row(entry, label):
    return next(r for r in entry["rows"] if r["label"] == label)


def test_counts_percentages_borda_likert_and_numbers(answered):
    results = compute_results(answered, include_text=True)
    assert results["total"] == 10
    single = entry(results, Question.SINGLE)
    assert single["respondents"] == 9
    assert (row(single, "Yes")["count"], row(single, "Yes")["percent"]) == (6, 66.7)
    assert (row(single, "No")["count"], row(single, "No")["percent"]) == (3, 33.3)

    ranking = entry(results, Question.RANKING)
    # rank_count 3: first = 3 points, second 2, third 1
    assert row(ranking, "Housing")["borda"] == 6 * 3 + 3 * 2
    assert row(ranking, "Safety")["borda"] == 6 * 2 + 3 * 3
    assert row(ranking, "Housing")["mean_rank"] == round((6 * 1 + 3 * 2) / 9, 2)
    assert row(ranking, "Air quality")["borda"] == 3
    assert [r["label"] for r in ranking["rows"]][:2] == ["Housing", "Safety"]

    likert = entry(results, Question.LIKERT)
    assert row(likert, "Strongly agree")["count"] == 6
    assert likert["net_score"] == round(100 * (6 - 3) / 10)

    number = entry(results, Question.NUMBER)
    assert (number["mean"], number["low"], number["high"]) == (round(27 / 9, 1), 2, 5)
    assert [c["text"] for c in entry(results, Question.TEXT)["comments"]] == ["More buses"] * 3


def test_filters_by_neighbourhood_and_channel(answered):
    kilburn = Neighbourhood.objects.get(name="Kilburn").pk
    results = compute_results(answered, Filters(neighbourhood=kilburn))
    assert results["total"] == 4
    assert row(entry(results, Question.SINGLE), "No")["count"] == 3
    paper = compute_results(answered, Filters(channel=Response.PAPER))
    assert paper["total"] == 3 and row(entry(paper, Question.SINGLE), "No")["percent"] == 100


def test_equality_filter(answered):
    age = q(answered, Question.EQUALITY).get(key__endswith="_age")
    option = age.options.get(label="25 to 34")
    results = compute_results(answered, Filters(equality_option=option.pk))
    assert results["total"] == 6
    assert row(entry(results, Question.SINGLE), "Yes")["percent"] == 100


def test_results_take_a_constant_number_of_queries(answered, survey_index):
    with CaptureQueriesContext(connection) as few:
        compute_results(answered, include_text=True)
    for _ in range(20):
        respond(answered, single="Yes", likert=4, ranks=["Isolation", "Housing", "Safety"])
    with CaptureQueriesContext(connection) as many:
        compute_results(answered, include_text=True)
    assert len(few) == len(many) <= 10


def test_suppression_below_threshold(answered):
    public = suppressed(compute_results(answered))
    single = entry(public, Question.SINGLE)
    assert single["respondents"] == 9
    assert row(single, "No")["count"] is None and row(single, "No")["suppressed"]
    assert row(single, "No")["percent"] is None
    # 9 answered: showing Yes 6 would give No away as 9 - 6.
    assert row(single, "Yes")["count"] is None and row(single, "Yes")["percent"] is None
    assert str(row(single, "Yes")["cell"]) == "not shown"
    ranking = entry(public, Question.RANKING)
    assert "borda" not in row(ranking, "Air quality")
    assert all(e["kind"] not in (Question.TEXT, Question.EQUALITY) for e in public["questions"])
    assert "low" not in entry(public, Question.NUMBER)


def test_everything_suppressed_when_few_answered(survey):
    respond(survey, single="Yes", likert=5)
    public = suppressed(compute_results(survey))
    assert public["total"] is None
    likert = entry(public, Question.LIKERT)
    assert likert["respondents_suppressed"] and likert["net_score"] is None
    assert str(row(likert, "Strongly agree")["cell"]) == "fewer than 5"


def test_public_results_page_only_when_published(answered, client, resident):
    url = f"{answered.url}results/"
    assert client.get(url).status_code == 404
    client.force_login(resident)
    assert client.get(url).status_code == 404  # a resident cannot see unpublished results
    answered.results_published = True
    answered.save_revision().publish()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "not shown" in html
    assert "More buses" not in html and "25 to 34" not in html
    assert "<svg" in html and "<table" in html


def test_officer_sees_results_with_charts_and_enters_a_paper_response(answered, client,
                                                                      settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    officer = make_user("o2@example.org", "Officers")
    client.force_login(officer)
    page = client.get(reverse("surveys_admin:results", args=[answered.pk])).content.decode()
    assert "Borda score" in page and "<svg" in page and "More buses" in page
    single = q(answered, Question.SINGLE)
    form = {"entry-channel": "paper", "entry-received_on": "2026-11-01"}
    form[f"s0-q{single.pk}"] = str(single.options.get(label="No").pk)
    r = client.post(reverse("surveys_admin:enter", args=[answered.pk]), form)
    assert r.status_code == 302, [f.errors for _t, f in r.context["forms"]] + [
        r.context["details"].errors]
    response = Response.objects.get(entered_by=officer)
    assert response.channel == "paper" and response.answers.count() == 1
    assert str(response.submitted_at.date()) == "2026-11-01"
    bad = client.post(reverse("surveys_admin:enter", args=[answered.pk]),
                      {"entry-channel": "online"})
    assert bad.status_code == 400


def test_admin_edit_page_links_to_results_and_menu(answered, client, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(make_user("o3@example.org", "Officers"))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[answered.pk]))
    assert edit.status_code == 200
    results_url = reverse("surveys_admin:results", args=[answered.pk])
    assert results_url.encode() in edit.content
    listing = client.get(reverse("surveys_admin:list"))
    assert b"Family hubs survey" in listing.content
    assert b"Survey results" in client.get(reverse("wagtailadmin_home")).content
