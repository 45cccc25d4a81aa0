"""The trail, "you said, we did": publishing a plan links its actions to the survey and forum
pages behind their priorities; those pages list the actions; manual links survive; plans that
cite a priority are listed for the priorities app."""

from collections import namedtuple

from wagtail.models import Page

from plans import trail
from plans.models import ActionEvidence
from portal.extension_points import actions_for_page

from .conftest import make_plan

Row = namedtuple("Row", "neighbourhood_id theme_id page_id")


def test_publishing_a_plan_links_its_actions_to_the_evidence_pages(
        monkeypatch, plan, closed_survey, snapshot):
    financial = snapshot.priorities.get(rank=1)

    class FakeEvidence:
        __name__ = "fake.evidence"

        @staticmethod
        def pages():
            return [Row(snapshot.neighbourhood_id, financial.theme_id, closed_survey.pk)]

    monkeypatch.setattr(trail, "evidence_modules", lambda: [FakeEvidence])
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


def test_manual_links_survive_publishing_again(plan, monkeypatch, demo_site):
    page = Page.objects.filter(depth=2).first()
    action = plan.actions.first()
    trail.link_evidence_page(action, page)
    monkeypatch.setattr(trail, "evidence_modules", lambda: [])
    plan.save_revision().publish()
    assert list(ActionEvidence.objects.values_list("action_id", "page_id", "manual")) == [
        (action.pk, page.pk, True)]


def test_plans_citing_lists_live_and_draft_plans(plan, plan_index, snapshot):
    draft = make_plan(plan_index, snapshot, live=False, slug="draft-plan")
    first, _second, _third = snapshot.priorities.adopted().order_by("rank")
    cited = trail.plans_citing(first)
    assert {item["title"] for item in cited} == {plan.title, draft.title}
    urls = {item["url"] for item in cited}
    assert plan.url in urls and f"/admin/pages/{draft.pk}/edit/" in urls
    pending = snapshot.priorities.get(rank=4)
    assert trail.plans_citing(pending) == []


def test_plans_register_as_a_citation_source(plan, snapshot):
    from priorities import registry

    cited = registry.citations(snapshot.priorities.get(rank=1))
    assert {"title": plan.title, "url": plan.url} in cited
