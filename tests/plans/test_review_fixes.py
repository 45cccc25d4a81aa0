"""Report months only, the PDF layout version, partner organisations from the asset map,
query counts of the highlight pages, asset evidence, the demo trail and citations."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail import hooks

from plans import services
from plans.models import ActionEvidence, PlanPdf
from portal import extension_points
from portal.extension_points import Organisation, actions_for_page, organisations

from .conftest import make_plan

# --- 1. only the plan's report months ------------------------------------------------------------


def test_months_without_updates_have_no_report_and_queue_no_pdf(client, plan, officer):
    services.record_update(plan.actions.first(), status="on_track", note="Thirty seen.",
                           user=officer, on=date(2025, 6, 3))
    for month in ("2000-01", "2025-05", "2025-07"):
        assert client.get(f"{plan.url}highlights/{month}/").status_code == 404, month
        assert client.get(f"{plan.url}highlights/{month}/pdf/").status_code == 404, month
    assert not PlanPdf.objects.exists()
    assert client.get(f"{plan.url}highlights/2025-06/").status_code == 200
    assert client.get(f"{plan.url}highlights/2025-06/pdf/").status_code == 200
    assert list(PlanPdf.objects.values_list("kind", flat=True)) == ["highlights-2025-06"]


def test_report_month_check_is_a_service(plan, officer):
    from portal.errors import InputError

    with pytest.raises(InputError) as caught:
        services.check_report_month(plan, 2025, 6)
    assert caught.value.code == "no_report"
    services.record_update(plan.actions.first(), status="on_track", note="Seen.",
                           user=officer, on=date(2025, 6, 3))
    services.check_report_month(plan, 2025, 6)  # no error now


# --- 2. a new PDF layout makes new PDFs ----------------------------------------------------------


def test_bumping_the_pdf_layout_version_renders_a_new_pdf(client, plan, monkeypatch):
    client.get(plan.url + "pdf/")
    client.get(plan.url + "pdf/")
    assert PlanPdf.objects.count() == 1
    assert str(services.PDF_LAYOUT_VERSION) in PlanPdf.objects.get().data_version
    monkeypatch.setattr(services, "PDF_LAYOUT_VERSION", services.PDF_LAYOUT_VERSION + 1)
    response = client.get(plan.url + "pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert PlanPdf.objects.count() == 2
    assert len(set(PlanPdf.objects.values_list("data_version", flat=True))) == 2


# --- 3. partner organisations from the asset map -------------------------------------------------


class FakeOrganisations:
    def choices(self):
        return [("org:1", "Citizens Advice Brent"), ("org:2", "Brent Food Network")]

    def find(self, key):
        names = dict(self.choices())
        if key not in names:
            return None
        url = "https://www.citizensadvice.org.uk/" if key == "org:1" else ""
        return Organisation(key=key, name=names[key], url=url)


@pytest.fixture
def fake_organisations():
    provider = FakeOrganisations()
    with hooks.register_temporarily(extension_points.ORGANISATION_PROVIDERS, provider):
        yield provider


def test_registry_offers_choices_and_finds_organisations(db, fake_organisations):
    assert ("org:2", "Brent Food Network") in organisations.choices()
    assert organisations.find("org:1").name == "Citizens Advice Brent"
    assert organisations.find("org:9") is None
    assert organisations.find("") is None
    found = organisations.find_many(["org:2", "org:9", "org:1", "org:2"])
    assert [o.key for o in found] == ["org:2", "org:1"]


def test_chosen_organisations_are_linked_on_the_web_and_named_in_the_pdf(
        client, plan, fake_organisations):
    action = plan.actions.first()
    action.partner_organisation_keys = ["org:1", "org:2", "org:gone"]
    action.save()
    html = client.get(plan.url).content.decode()
    assert '<a href="https://www.citizensadvice.org.uk/">Citizens Advice Brent</a>' in html
    assert "Brent Food Network, Crisis, Sufra NW London" in html  # free text still shown
    assert "org:gone" not in html
    pdf_html = services.plan_pdf_html(plan)
    assert "Citizens Advice Brent, Brent Food Network, Crisis" in pdf_html


def test_admin_offers_organisations_from_the_registry(db, fake_organisations):
    from plans.models import PlanAction

    field = PlanAction._meta.get_field("partner_organisation_keys").formfield()
    assert ("org:1", "Citizens Advice Brent") in list(field.choices)
    assert field.clean(["org:1"]) == ["org:1"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        field.clean(["org:unknown"])


def test_asset_map_offers_only_organisations_on_published_assets(demo_site):
    from assets_map.models import Asset, AssetCategory, AssetMapPage, Organisation
    from assets_map.venues import organisation_provider

    map_page = AssetMapPage(title="Community assets", slug="community-assets")
    demo_site.root_page.specific.add_child(instance=map_page)
    map_page.save_revision().publish()

    category = AssetCategory.objects.first()
    public = Organisation.objects.create(name="Harlesden Community Trust",
                                         public_email="hello@example.org")
    hidden = Organisation.objects.create(name="Draft Charity", website="https://d.example/")
    Asset.objects.create(name="Trust Hall", organisation=public, category=category,
                         latitude=51.538, longitude=-0.25, status=Asset.PUBLISHED)
    Asset.objects.create(name="Draft Hall", organisation=hidden, category=category,
                         latitude=51.538, longitude=-0.25, status=Asset.DRAFT)
    keys = dict(organisations.choices())
    assert "Harlesden Community Trust" in keys.values()
    assert "Draft Charity" not in keys.values()
    key = f"organisation:{public.uuid}"
    found = organisations.find(key)
    assert found == extension_points.Organisation(key=key, name="Harlesden Community Trust",
                                                  url=f"{map_page.url}trust-hall/")
    assert organisation_provider.find(f"organisation:{hidden.uuid}") is None
    assert organisation_provider.find("organisation:not-a-uuid") is None


# --- 5. query counts of the highlight pages ------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_highlight_pages_queries_do_not_grow_with_actions_and_updates(
        client, plan_index, snapshot, officer, django_assert_max_num_queries):
    small = make_plan(plan_index, snapshot, actions_per_priority=1, slug="small")
    big = make_plan(plan_index, snapshot, actions_per_priority=30, slug="big")
    for _plan, actions in ((small, small.actions.all()[:1]), (big, big.actions.all())):
        for action in actions:
            for day in (2, 9, 16):
                services.record_update(action, status="on_track", note="Going well.",
                                       learning="Learnt.", issue="A risk.",
                                       next_steps="More.", user=officer,
                                       on=date(2025, 6, day))
        services.record_update(actions[0], status="done", note="Earlier.", user=officer,
                               on=date(2025, 5, 1))
    for url in ("highlights/2025-06/", "highlights/"):
        client.get(small.url + url)  # warm caches (site root paths)
        baseline = _queries(client, small.url + url)
        with django_assert_max_num_queries(baseline + 2):
            response = client.get(big.url + url)
        assert response.status_code == 200
    assert "Homelessness action 30" in client.get(big.url + "highlights/2025-06/").content.decode()


# --- 6. community assets are not people ----------------------------------------------------------


def test_asset_counts_are_not_suppressed_and_have_no_people(plan, snapshot):
    priority = snapshot.priorities.get(rank=1)
    priority.evidence = {"surveys": {"count": 3, "people": 2}, "assets": {"count": 3}}
    priority.save()
    rows = {row["source"]: row for row in services.evidence_rows(priority)}
    assert rows["Surveys"]["suppressed"] and rows["Surveys"]["people"] is None
    assets = rows["Community assets"]
    assert (assets["count"], assets["people"], assets["suppressed"]) == (3, None, False)
    html = services.plan_pdf_html(plan)
    appendix = html.split('id="evidence"')[1]
    assert "<td>Community assets</td><td class=\"number\">3</td><td class=\"number\">–</td>" \
        in appendix


# --- 7. the demo shows the trail -----------------------------------------------------------------


def test_manual_links_survive_publishing_again(plan, monkeypatch, demo_site):
    from wagtail.models import Page

    page = Page.objects.filter(depth=2).first()
    action = plan.actions.first()
    services.link_evidence_page(action, page)
    monkeypatch.setattr(services, "evidence_modules", lambda: [])
    plan.save_revision().publish()
    assert list(ActionEvidence.objects.values_list("action_id", "page_id", "manual")) == [
        (action.pk, page.pk, True)]


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


# --- 8. plans citing a priority ------------------------------------------------------------------


def test_plans_citing_lists_live_and_draft_plans(plan, plan_index, snapshot):
    draft = make_plan(plan_index, snapshot, live=False, slug="draft-plan")
    first, _second, _third = snapshot.priorities.adopted().order_by("rank")
    cited = services.plans_citing(first)
    assert {item["title"] for item in cited} == {plan.title, draft.title}
    urls = {item["url"] for item in cited}
    assert plan.url in urls and f"/admin/pages/{draft.pk}/edit/" in urls
    pending = snapshot.priorities.get(rank=4)
    assert services.plans_citing(pending) == []


def test_plans_register_as_a_citation_source(plan, snapshot):
    from priorities import registry

    cited = registry.citations(snapshot.priorities.get(rank=1))
    assert {"title": plan.title, "url": plan.url} in cited
