"""The demo command: realistic surveys with responses, idempotent."""

import io

import pytest
from django.core.management import call_command

from surveys import evidence
from surveys.models import Response, SurveyPage
from surveys.results import compute_results

pytestmark = pytest.mark.django_db


def test_load_demo_surveys_is_idempotent(demo_site, client):
    out = io.StringIO()
    call_command("load_demo_surveys", "--responses", "200", stdout=out)
    assert SurveyPage.objects.count() == 3
    assert Response.objects.count() == 200 + 100 + 300
    assert set(Response.objects.values_list("channel", flat=True)) == {
        "online", "paper", "forum", "phone"}
    call_command("load_demo_surveys", "--responses", "200", stdout=out)
    assert Response.objects.count() == 600 and SurveyPage.objects.count() == 3
    main = SurveyPage.objects.get(slug="what-matters-most")
    results = compute_results(main)
    ranking = next(e for e in results["questions"] if e["kind"] == "ranking")
    assert sum(r["count"] for r in ranking["rows"]) == 600
    assert any(row.source == "survey_ranking" for row in evidence.rows())
    closed = SurveyPage.objects.get(slug="harlesden-library-hub-hours")
    page = client.get(closed.url)
    assert b"You said, we did" in page.content and b"Tuesdays and Thursdays" in page.content
    assert client.get(closed.url + "results/").status_code == 200
    assert client.get(main.url).status_code == 200


def test_demo_shows_the_show_us_where_question(demo_site):
    from surveys.models import Answer, Question

    out = io.StringIO()
    call_command("load_demo_surveys", "--responses", "150", stdout=out)
    main = SurveyPage.objects.get(slug="what-matters-most")
    pin = main.questions.get(kind=Question.MAP_PIN, retired=False)
    assert pin.options.filter(label="Harlesden clock tower").exists()
    answers = Answer.objects.filter(question=pin)
    assert 40 < answers.count() < 150
    assert answers.filter(latitude__isnull=False, option__isnull=True).exists()
    assert answers.filter(option__isnull=False).exists()
    assert not answers.filter(neighbourhood__isnull=True, option__isnull=True).exists()
    before = answers.count()
    call_command("load_demo_surveys", "--responses", "150", stdout=out)
    assert Answer.objects.filter(question__kind=Question.MAP_PIN).count() == before

    # A database made before the question existed gets it, answered, on the next run.
    sections = main.sections.get_prep_value()
    main.sections = [s for s in sections
                     if s["value"]["questions"][0]["type"] != "map_pin"]
    main.save_revision().publish()
    answers.delete()
    out = io.StringIO()
    call_command("load_demo_surveys", "--responses", "150", stdout=out)
    assert "added the “show us where” question" in out.getvalue()
    fresh = main.questions.get(kind=Question.MAP_PIN, retired=False)
    assert fresh.pk != pin.pk and Answer.objects.filter(question=fresh).count() > 40
