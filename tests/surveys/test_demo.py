"""The demo command: realistic surveys with responses, idempotent."""

import io

import pytest
from django.core.management import call_command

from surveys import evidence, services
from surveys.models import Response, SurveyPage

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
    results = services.compute_results(main)
    ranking = next(e for e in results["questions"] if e["kind"] == "ranking")
    assert sum(r["count"] for r in ranking["rows"]) == 600
    assert any(row.source == "survey_ranking" for row in evidence.rows())
    closed = SurveyPage.objects.get(slug="harlesden-library-hub-hours")
    page = client.get(closed.url)
    assert b"You said, we did" in page.content and b"Tuesdays and Thursdays" in page.content
    assert client.get(closed.url + "results/").status_code == 200
    assert client.get(main.url).status_code == 200
