"""Results arithmetic on known answers, suppression, exports and who may see what."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.neighbourhoods.models import Neighbourhood
from surveys import evidence, services
from surveys.models import Question, Response
from tests.conftest import make_user

from .conftest import q

pytestmark = pytest.mark.django_db


def respond(survey, *, single=None, likert=None, ranks=(), number=None, text="",
            neighbourhood=None, channel=Response.ONLINE, equality=None):
    answers = []
    if single:
        question = q(survey, Question.SINGLE)
        answers.append({"question_id": question.pk,
                        "option_id": question.options.get(label=single).pk})
    if likert:
        answers.append({"question_id": q(survey, Question.LIKERT).pk, "number": likert})
    ranking = q(survey, Question.RANKING)
    for rank, label in enumerate(ranks, start=1):
        answers.append({"question_id": ranking.pk, "rank": rank,
                        "option_id": ranking.options.get(label=label).pk})
    if number is not None:
        answers.append({"question_id": q(survey, Question.NUMBER).pk, "number": number})
    if text:
        answers.append({"question_id": q(survey, Question.TEXT).pk, "text": text})
    if equality:
        age = q(survey, Question.EQUALITY).get(key__endswith="_age")
        answers.append({"question_id": age.pk, "option_id": age.options.get(label=equality).pk})
    return services.submit_response(survey, answers, channel=channel,
                                    neighbourhood_id=neighbourhood)


@pytest.fixture
def answered(survey):
    harlesden = Neighbourhood.objects.get(name="Harlesden").pk
    kilburn = Neighbourhood.objects.get(name="Kilburn").pk
    for _ in range(6):
        respond(survey, single="Yes", likert=5, ranks=["Housing", "Safety", "Isolation"],
                number=2, neighbourhood=harlesden, equality="25 to 34")
    for _ in range(3):
        respond(survey, single="No", likert=1, ranks=["Safety", "Housing", "Air quality"],
                number=5, neighbourhood=kilburn, channel=Response.PAPER, text="More buses")
    respond(survey, likert=3, neighbourhood=kilburn, channel=Response.FORUM)
    return survey


def entry(results, kind):
    return next(e for e in results["questions"] if e["kind"] == kind and not e["retired"])


def row(entry, label):
    return next(r for r in entry["rows"] if r["label"] == label)


def test_counts_percentages_borda_likert_and_numbers(answered):
    results = services.compute_results(answered, include_text=True)
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
    results = services.compute_results(answered, services.Filters(neighbourhood=kilburn))
    assert results["total"] == 4
    assert row(entry(results, Question.SINGLE), "No")["count"] == 3
    paper = services.compute_results(answered, services.Filters(channel=Response.PAPER))
    assert paper["total"] == 3 and row(entry(paper, Question.SINGLE), "No")["percent"] == 100


def test_results_take_a_constant_number_of_queries(answered, survey_index):
    with CaptureQueriesContext(connection) as few:
        services.compute_results(answered, include_text=True)
    for _ in range(20):
        respond(answered, single="Yes", likert=4, ranks=["Isolation", "Housing", "Safety"])
    with CaptureQueriesContext(connection) as many:
        services.compute_results(answered, include_text=True)
    assert len(few) == len(many) <= 10


def test_suppression_below_threshold(answered):
    public = services.suppressed(services.compute_results(answered))
    single = entry(public, Question.SINGLE)
    assert row(single, "Yes")["count"] == 6
    assert row(single, "No")["count"] is None and row(single, "No")["suppressed"]
    assert row(single, "No")["percent"] is None
    ranking = entry(public, Question.RANKING)
    assert "borda" not in row(ranking, "Air quality")
    assert all(e["kind"] not in (Question.TEXT, Question.EQUALITY) for e in public["questions"])
    assert "low" not in entry(public, Question.NUMBER)


def test_everything_suppressed_when_few_answered(survey):
    respond(survey, single="Yes", likert=5)
    public = services.suppressed(services.compute_results(survey))
    assert public["total"] is None
    likert = entry(public, Question.LIKERT)
    assert likert["respondents_suppressed"] and "net_score" not in likert


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
    assert "fewer than 5" in html
    assert "More buses" not in html and "25 to 34" not in html
    assert "<svg" in html and "<table" in html


def test_aggregate_and_response_exports(answered):
    rows = list(services.export_rows(answered))
    header = rows[0]
    assert header[:6] == services.EXPORT_FIXED
    assert len(rows) == 11
    assert "What is your age?" not in header  # equality answers are exported separately
    ranking_column = header.index("Rank these issues for your area")
    assert "1. Housing; 2. Safety; 3. Isolation" in [r[ranking_column] for r in rows]
    equality = list(services.export_rows(answered, equality=True))
    assert equality[0][0] == "channel" and len(equality) == 7
    assert not any(r.reference in str(equality) for r in Response.objects.all())
    summary = list(csv.reader(io.StringIO(services.csv_text(
        services.aggregate_rows(services.compute_results(answered))))))
    assert ["Do you have children under 5?", "single_choice", "9", "Yes", "6", "66.7", "", "",
            ""] in summary


def test_evidence_rows_from_theme_tagged_answers(answered):
    from portal.themes.models import Theme

    housing = Theme.objects.active().first()
    ranking = q(answered, Question.RANKING)
    ranking.options.filter(label="Housing").update(theme=housing)
    single = q(answered, Question.SINGLE)
    single.options.filter(label="Yes").update(theme=housing)
    rows = list(evidence.rows())
    harlesden = Neighbourhood.objects.get(name="Harlesden").pk
    by_source = {(r.source, r.neighbourhood_id): r for r in rows}
    ranked = by_source[("survey_ranking", harlesden)]
    assert (ranked.theme_id, ranked.count, ranked.weight) == (housing.pk, 6, 6.0)
    kilburn = Neighbourhood.objects.get(name="Kilburn").pk
    assert by_source[("survey_ranking", kilburn)].weight == round(3 * 2 / 3, 3)
    assert by_source[("survey_choice", harlesden)].count == 6
    assert all(hasattr(r, "date") for r in rows)


def test_personal_data_export_lists_own_answers(survey, resident):
    question = q(survey, Question.SINGLE)
    services.submit_response(survey, [{"question_id": question.pk,
                                       "option_id": question.options.first().pk}], user=resident)
    from portal.accounts.services import export_personal_data

    data = export_personal_data(resident)["survey_responses"]
    assert data[0]["survey"] == "Family hubs survey"
    assert data[0]["answers"][0]["answer"] == "Yes"


# Who may do what: role x action -> allowed
ACTIONS = {
    "results": "surveys_admin:results",
    "export": "surveys_admin:export_responses",
    "summary": "surveys_admin:export_aggregate",
    "equality": "surveys_admin:export_equality",
    "enter": "surveys_admin:enter",
}
TABLE = [
    ("resident", {"results": False, "export": False, "summary": False, "equality": False,
                  "enter": False}),
    ("vcs_member", {"results": False, "export": False, "summary": False, "equality": False,
                    "enter": False}),
    ("councillor", {"results": True, "export": False, "summary": True, "equality": False,
                    "enter": False}),
    ("officer", {"results": True, "export": True, "summary": True, "equality": False,
                 "enter": True}),
    ("superuser", {"results": True, "export": True, "summary": True, "equality": True,
                   "enter": True}),
]


@pytest.mark.parametrize("role, allowed", TABLE)
def test_permissions(answered, client, settings, request, role, allowed):
    from django.urls import reverse

    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(request.getfixturevalue(role))
    for action, name in ACTIONS.items():
        status = client.get(reverse(name, args=[answered.pk])).status_code
        assert (status == 200) is allowed[action], (role, action, status)
        if not allowed[action]:
            assert status in (302, 403)


def test_officer_sees_results_with_charts_and_enters_a_paper_response(answered, client,
                                                                      settings):
    from django.urls import reverse

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
    from django.urls import reverse

    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(make_user("o3@example.org", "Officers"))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[answered.pk]))
    assert edit.status_code == 200
    results_url = reverse("surveys_admin:results", args=[answered.pk])
    assert results_url.encode() in edit.content
    listing = client.get(reverse("surveys_admin:list"))
    assert b"Family hubs survey" in listing.content
    assert b"Survey results" in client.get(reverse("wagtailadmin_home")).content


def test_equality_filter(answered):
    age = q(answered, Question.EQUALITY).get(key__endswith="_age")
    option = age.options.get(label="25 to 34")
    results = services.compute_results(answered, services.Filters(equality_option=option.pk))
    assert results["total"] == 6
    assert row(entry(results, Question.SINGLE), "Yes")["percent"] == 100


def test_officer_codes_a_comment_and_flags_safeguarding(answered, client, settings, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    from django.urls import reverse

    from portal.themes.models import Theme

    settings.PORTAL_REQUIRE_STAFF_MFA = False
    settings.SURVEYS_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    client.force_login(make_user("o4@example.org", "Officers"))
    url = reverse("surveys_admin:comments", args=[answered.pk])
    listing = client.get(url, {"q": "buses"})
    assert listing.status_code == 200 and listing.content.count(b"More buses") == 3
    comment = services.comments(answered).first()
    housing = Theme.objects.get(slug="housing")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"answer": comment.pk, "themes": [housing.pk, "999999"],
                              "safeguarding": "on"})
    assert r.status_code == 302
    comment.refresh_from_db()
    assert list(comment.coding.themes.all()) == [housing] and comment.coding.safeguarding
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["safeguarding@example.org"]
    assert "More buses" not in mailoutbox[0].body  # the comment stays in the admin
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"answer": comment.pk, "themes": [housing.pk], "safeguarding": "on"})
    assert len(mailoutbox) == 1  # only a new flag notifies
    rows = [r for r in evidence.rows() if r.source == "survey_comment"]
    assert rows and rows[0].theme_id == housing.pk and rows[0].count == 1
    other_survey_answer = client.post(url, {"answer": 999999})
    assert other_survey_answer.status_code == 404


def test_councillor_reads_comments_but_cannot_code(answered, client, settings, councillor):
    from django.urls import reverse

    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(councillor)
    url = reverse("surveys_admin:comments", args=[answered.pk])
    assert client.get(url).status_code == 200
    comment = services.comments(answered).first()
    assert client.post(url, {"answer": comment.pk}).status_code in (302, 403)  # admin: refused
    assert not hasattr(services.comments(answered).first(), "coding")


def test_xlsx_export(answered, client, settings):
    from django.urls import reverse
    from openpyxl import load_workbook

    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(make_user("o5@example.org", "Officers"))
    r = client.get(reverse("surveys_admin:export_xlsx", args=[answered.pk]))
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.values)
    assert list(rows[0][:6]) == services.EXPORT_FIXED and len(rows) == 11
