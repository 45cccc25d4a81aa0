"""Partner organisations from the asset map: chosen in the admin from the core organisation
catalogue, linked on the web page and named in the PDF; only public organisations offered."""

import pytest
from django.core.exceptions import ValidationError
from wagtail import hooks

from plans.models import PlanAction
from plans.pdfs import plan_pdf_html
from portal import extension_points
from portal.extension_points import Organisation, organisations


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
    pdf_html = plan_pdf_html(plan)
    assert "Citizens Advice Brent, Brent Food Network, Crisis" in pdf_html


def test_admin_offers_organisations_from_the_registry(db, fake_organisations):
    field = PlanAction._meta.get_field("partner_organisation_keys").formfield()
    assert ("org:1", "Citizens Advice Brent") in list(field.choices)
    assert field.clean(["org:1"]) == ["org:1"]
    with pytest.raises(ValidationError):
        field.clean(["org:unknown"])


def test_asset_map_offers_only_organisations_on_published_assets(demo_site):
    from assets_map.models import Asset, AssetCategory, AssetMapPage
    from assets_map.models import Organisation as AssetOrganisation
    from assets_map.venues import organisation_provider

    map_page = AssetMapPage(title="Community assets", slug="community-assets")
    demo_site.root_page.specific.add_child(instance=map_page)
    map_page.save_revision().publish()

    category = AssetCategory.objects.first()
    public = AssetOrganisation.objects.create(name="Harlesden Community Trust",
                                              public_email="hello@example.org")
    hidden = AssetOrganisation.objects.create(name="Draft Charity", website="https://d.example/")
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
