"""The demo command: idempotent, copes without adopted priorities, and links the demo's closed
survey so "you said, we did" shows."""

import io
import os
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import WorkflowState

from plans.highlights import highlight_months
from plans.models import ActionEvidence, ActionUpdate, LocalityPlanPage
from portal.extension_points import actions_for_page


def test_demo_command_is_idempotent_and_copes_without_priorities(demo_site, officer):
    out = io.StringIO()
    call_command("load_demo_plans", stdout=out)
    assert "no adopted priorities" in out.getvalue()
    harlesden = LocalityPlanPage.objects.get(slug="harlesden-plan")
    willesden = LocalityPlanPage.objects.get(slug="willesden-plan")
    assert harlesden.live and harlesden.actions.count() >= 6
    assert not willesden.live
    assert WorkflowState.objects.get(object_id=str(willesden.pk)).status == "in_progress"
    months = highlight_months(harlesden)
    assert len(months) == 2
    counts = (LocalityPlanPage.objects.count(), ActionUpdate.objects.count())
    call_command("load_demo_plans", stdout=open(os.devnull, "w"))
    assert (LocalityPlanPage.objects.count(), ActionUpdate.objects.count()) == counts


def test_demo_links_the_closed_library_survey_so_the_trail_shows(client, demo_site, officer):
    from surveys.models import SurveyIndexPage
    from tests.surveys.conftest import make_survey

    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    now = timezone.now()
    survey = make_survey(index, title="Harlesden Library Hub: opening hours",
                         slug="harlesden-library-hub-hours", opens_at=now - timedelta(days=120),
                         closes_at=now - timedelta(days=60),
                         outcome_decided="<p>Late opening on Tuesdays.</p>")
    out = io.StringIO()
    call_command("load_demo_plans", stdout=out)
    assert "linked to Harlesden Library Hub: opening hours" in out.getvalue()
    assert [a["plan_title"] for a in actions_for_page(survey)] == ["Harlesden neighbourhood plan"]
    html = client.get(survey.url).content.decode()
    assert "What we are doing because of it" in html
    call_command("load_demo_plans", stdout=io.StringIO())  # idempotent
    assert ActionEvidence.objects.filter(page_id=survey.pk).count() == 1
