"""Organisations' self-service: bad input gets clear errors; members edit only their own assets."""

import pytest

from assets_map.models import Asset, Organisation, OrganisationMembership, Submission
from tests.conftest import make_user

from .conftest import asset_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, vcs_member, organisation):
    client.force_login(vcs_member)
    return client


def new_url(org):
    return f"/organisations/{org.slug}/assets/new/"


def test_registering_an_organisation_makes_you_its_owner(client, resident):
    client.force_login(resident)
    response = client.post("/organisations/new/", {"name": "Kilburn Food Bank",
                                                   "website": "example.org"})
    org = Organisation.objects.get(name="Kilburn Food Bank")
    assert response.status_code == 302 and response["Location"].endswith(f"/{org.slug}/")
    assert org.role_of(resident) == OrganisationMembership.OWNER
    assert org.website == "https://example.org"
    assert resident.groups.filter(name="VCS organisations").exists()


def test_organisation_needs_a_name(client, resident):
    client.force_login(resident)
    html = client.post("/organisations/new/", {"name": ""}).content.decode()
    assert "There is a problem" in html and "Enter the name of your organisation." in html


def test_adding_an_asset_by_postcode_then_submitting(demo_site, member_client, organisation,
                                                     vcs_member):
    response = member_client.post(new_url(organisation), asset_form_data())
    asset = Asset.objects.get(name="Harlesden Food Bank")
    assert response.status_code == 302 and "/preview/" in response["Location"]
    assert asset.status == Asset.DRAFT and asset.neighbourhood.name == "Harlesden"
    assert asset.postcode == "NW10 8SE" and asset.services.get().name == "Food parcels"
    assert asset.opening_hours.get().closes.hour == 12
    preview = member_client.get(response["Location"]).content.decode()
    assert "Submit for moderation" in preview and "Food parcels" in preview
    member_client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/submit/")
    asset.refresh_from_db()
    assert asset.status == Asset.PENDING
    assert Submission.objects.get(asset=asset).submitted_by == vcs_member


BAD_INPUT = [
    ({"name": ""}, "name", "Enter the name of the place or service."),
    ({"category": ""}, "category", "Choose a category."),
    ({"postcode": "NW10 9ZZ"}, "postcode", "We could not find the postcode NW10 9ZZ"),
    ({"postcode": "not a postcode"}, "postcode", "Enter a full UK postcode"),
    ({"postcode": "", "latitude": "48.85", "longitude": "2.35"}, "latitude",
     "outside the United Kingdom"),
    ({"postcode": "", "latitude": "-0.25", "longitude": "51.54"}, "latitude",
     "the wrong way round"),
    ({"postcode": "", "latitude": "51.54", "longitude": ""}, "longitude",
     "Enter both a latitude and a longitude"),
    ({"postcode": ""}, "postcode", "Enter a postcode, or a latitude and longitude."),
    ({"opens_2": "17:00", "closes_2": "09:00"}, "closes_2", "The closing time must be after"),
    ({"opens_3": "09:00"}, "closes_3", "Enter both an opening and a closing time"),
    ({"services-0-name": "", "services-0-cost": "Free"}, "services-0-name",
     "Enter the name of the service."),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_bad_input_gets_a_specific_error_and_saves_nothing(
        demo_site, member_client, organisation, overrides, field, message):
    response = member_client.post(new_url(organisation), asset_form_data(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert f'href="#id_{field}"' in html
    assert not Asset.objects.exists()
    assert 'value="Emergency food."' in html or field == "name"  # typed input is kept


def test_coordinates_place_the_asset_without_a_postcode(demo_site, member_client, organisation):
    member_client.post(new_url(organisation), asset_form_data(
        postcode="", latitude="51.5351", longitude="-0.2054"))
    assert Asset.objects.get().neighbourhood.name == "Kilburn"


def test_html_in_text_fields_is_stored_as_typed_and_shown_as_text(
        map_page, member_client, organisation, officer):
    from assets_map import moderation

    member_client.post(new_url(organisation), asset_form_data(
        name="<b>Bold</b> Hub", summary="<script>alert(1)</script>"))
    asset = Asset.objects.get()
    assert asset.summary == "<script>alert(1)</script>"
    moderation.approve(moderation.submit_for_moderation(asset, None), officer)
    html = member_client.get(f"/community-assets/{asset.slug}/").content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; Hub" in html and "<script>alert(1)" not in html


def test_an_asset_of_another_organisation_cannot_be_reached_through_yours(
        demo_site, member_client, organisation, make_asset):
    other = Organisation.objects.create(name="Other charity")
    theirs = make_asset("Their hall", organisation=other)
    url = f"/organisations/{organisation.slug}/assets/{theirs.pk}/edit/"
    assert member_client.post(url, asset_form_data(name="Hijacked")).status_code == 404
    url = f"/organisations/{other.slug}/assets/{theirs.pk}/edit/"
    assert member_client.post(url, asset_form_data(name="Hijacked")).status_code == 403
    theirs.refresh_from_db()
    assert theirs.name == "Their hall"


def test_only_owners_invite_editors(demo_site, client, organisation, vcs_member):
    # Inviting (and accepting) is tested in test_invitations.py.
    editor = make_user("new-editor@example.org")
    OrganisationMembership.objects.create(organisation=organisation, user=editor,
                                          role=OrganisationMembership.EDITOR)
    url = f"/organisations/{organisation.slug}/members/"
    client.force_login(editor)
    assert client.post(url, {"email": "someone@example.org"}).status_code == 403
