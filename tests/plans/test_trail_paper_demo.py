"""The trail into survey and forum outcomes, paper survey forms, and the demo command."""

import io
import os
from collections import namedtuple
from datetime import timedelta

import pypdf
import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import WorkflowState

from plans import services
from plans.models import ActionEvidence, ActionUpdate, LocalityPlanPage
from portal.extension_points import actions_for_page
from tests.surveys.conftest import make_survey

Row = namedtuple("Row", "neighbourhood_id theme_id page_id")


@pytest.fixture
def closed_survey(demo_site):
    from surveys.models import SurveyIndexPage

    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    now = timezone.now()
    return make_survey(index, title="What matters most?", opens_at=now - timedelta(days=60),
                       closes_at=now - timedelta(days=1),
                       outcome_decided="<p>We adopted three priorities.</p>")


def test_publishing_a_plan_links_its_actions_to_the_evidence_pages(
        monkeypatch, plan, closed_survey, snapshot):
    financial = snapshot.priorities.get(rank=1)

    class FakeEvidence:
        __name__ = "fake.evidence"

        @staticmethod
        def pages():
            return [Row(snapshot.neighbourhood_id, financial.theme_id, closed_survey.pk)]

    monkeypatch.setattr(services, "evidence_modules", lambda: [FakeEvidence])
    plan.save_revision().publish()
    linked = set(ActionEvidence.objects.values_list("action__title", flat=True))
    assert linked == {"Financial hardship action 1", "Financial hardship action 2"}
    titles = [action["title"] for action in actions_for_page(closed_survey)]
    assert titles == ["Financial hardship action 1", "Financial hardship action 2"]


def test_survey_outcome_lists_the_actions_it_led_to(client, plan, closed_survey):
    action = plan.actions.first()
    ActionEvidence.objects.create(action=action, page=closed_survey)
    html = client.get(closed_survey.url).content.decode()
    assert "What we are doing because of it" in html
    assert f'href="{plan.url}#action-{action.pk}"' in html
    # The plan page links back to the evidence.
    assert closed_survey.title in client.get(plan.url).content.decode()
    plan.unpublish()
    assert "What we are doing because of it" not in client.get(closed_survey.url).content.decode()


def test_paper_form_for_officers(client, officer, resident, closed_survey):
    url = f"/survey-paper/{closed_survey.pk}/"
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("What matters most?", "Do you have children under 5?", "Yes",
                     "Rank these issues for your area", "Air quality", "Anything else?",
                     "What is your age?", "Prefer not to say", "For office use"):
        assert expected in text, expected
    assert reader.metadata.title == "What matters most?"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_demo_command_is_idempotent_and_copes_without_priorities(demo_site, officer):
    out = io.StringIO()
    call_command("load_demo_plans", stdout=out)
    assert "no adopted priorities" in out.getvalue()
    harlesden = LocalityPlanPage.objects.get(slug="harlesden-plan")
    willesden = LocalityPlanPage.objects.get(slug="willesden-plan")
    assert harlesden.live and harlesden.actions.count() >= 6
    assert not willesden.live
    assert WorkflowState.objects.get(object_id=str(willesden.pk)).status == "in_progress"
    months = services.highlight_months(harlesden)
    assert len(months) == 2
    counts = (LocalityPlanPage.objects.count(), ActionUpdate.objects.count())
    call_command("load_demo_plans", stdout=open(os.devnull, "w"))
    assert (LocalityPlanPage.objects.count(), ActionUpdate.objects.count()) == counts
