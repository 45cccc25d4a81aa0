"""A newly registered organisation is checked once by an officer before any of its assets is
published; a likely duplicate name is shown to the person registering it and to the officer."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from assets_map import moderation
from assets_map.models import Asset, AuditEvent, Organisation, OrganisationMembership
from assets_map.querysets import name_key
from tests.conftest import make_user

from .conftest import asset_form_data

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assets-map/moderation/"


@pytest.fixture
def officer_client(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    return client


def register(client, person, **data):
    client.force_login(person)
    return client.post("/organisations/new/", {"name": "Stonebridge Sewing Circle", **data})


def submit_asset(client, organisation, person):
    client.force_login(person)
    client.post(f"/organisations/{organisation.slug}/assets/new/", asset_form_data())
    asset = Asset.objects.get(name="Harlesden Food Bank")
    client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/submit/")
    client.logout()
    return asset


@pytest.fixture
def new_group(demo_site, client, resident):
    """An organisation a resident registered just now, with an asset waiting for an officer."""
    register(client, resident, charity_number="1190001", public_email="hello@sewing.example")
    organisation = Organisation.objects.get(name="Stonebridge Sewing Circle")
    asset = submit_asset(client, organisation, resident)
    return organisation, asset


def test_a_registered_organisation_starts_unverified(client, resident):
    response = register(client, resident)
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert not organisation.is_verified and organisation.verified_by is None
    assert AuditEvent.objects.filter(organisation=organisation,
                                     action="organisation registered").exists()


def test_its_asset_is_not_published_without_verifying_the_organisation(
        map_page, client, new_group, officer_client):
    organisation, asset = new_group
    submission = asset.submissions.get()
    page = officer_client.get(f"{QUEUE}{submission.pk}/").content.decode()
    assert "Stonebridge Sewing Circle is not verified yet." in page
    assert "1190001" in page and "resident@example.org" in page  # number and contact
    response = officer_client.post(f"{QUEUE}{submission.pk}/", {"approve": "1"})
    assert response.status_code == 200
    assert "is not verified yet. Check that it is a genuine organisation" in \
        response.content.decode()
    asset.refresh_from_db()
    organisation.refresh_from_db()
    assert asset.status == Asset.PENDING and not organisation.is_verified
    assert not Asset.objects.published().exists()
    assert officer_client.get("/community-assets/harlesden-food-bank/").status_code == 404


def test_approving_with_the_box_ticked_verifies_the_organisation_and_publishes(
        map_page, client, new_group, officer_client, officer):
    organisation, asset = new_group
    submission = asset.submissions.get()
    response = officer_client.post(f"{QUEUE}{submission.pk}/",
                                   {"approve": "1", "verify_organisation": "on"})
    assert response.status_code == 302
    organisation.refresh_from_db()
    asset.refresh_from_db()
    assert organisation.is_verified and organisation.verified_by == officer
    assert asset.status == Asset.PUBLISHED
    assert officer_client.get("/community-assets/harlesden-food-bank/").status_code == 200
    assert AuditEvent.objects.filter(organisation=organisation, action="organisation verified",
                                     actor=officer).count() == 1


def test_an_officer_verifies_an_organisation_from_the_queue_in_the_admin(
        map_page, client, new_group, officer_client, officer):
    organisation, asset = new_group
    queue = officer_client.get(QUEUE).content.decode()
    assert "Organisations waiting for verification" in queue
    assert "Stonebridge Sewing Circle" in queue and "Charity 1190001" in queue
    assert "resident@example.org" in queue and "hello@sewing.example" in queue
    assert "(not verified yet)" in queue  # beside its submission too
    url = f"/admin/assets-map/organisations/{organisation.pk}/verify/"
    page = officer_client.get(url).content.decode()
    assert "Verify Stonebridge Sewing Circle" in page and "Harlesden Food Bank" in page
    assert officer_client.post(url).status_code == 302
    organisation.refresh_from_db()
    assert organisation.verified_by == officer and organisation.verified_at is not None
    assert "No organisation is waiting for verification." in \
        officer_client.get(QUEUE).content.decode()
    # Its assets are then approved as any other.
    submission = asset.submissions.get()
    assert officer_client.post(f"{QUEUE}{submission.pk}/", {"approve": "1"}).status_code == 302
    asset.refresh_from_db()
    assert asset.status == Asset.PUBLISHED


def test_only_moderators_verify(client, new_group, councillor, settings):
    organisation, _asset = new_group
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(councillor)
    client.post(f"/admin/assets-map/organisations/{organisation.pk}/verify/")
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_the_service_refuses_to_publish_an_unverified_organisations_asset(new_group, officer):
    from portal.errors import InputError

    _organisation, asset = new_group
    with pytest.raises(InputError) as caught:
        moderation.approve(asset.submissions.get(), officer)
    assert caught.value.code == "organisation_unverified"
    moderation.approve(asset.submissions.get(), officer, verify_organisation=True)
    asset.refresh_from_db()
    assert asset.status == Asset.PUBLISHED and asset.organisation.is_verified


def test_existing_organisations_are_marked_verified_by_the_migration():
    organisation = Organisation.objects.create(name="The Old Trust")
    Organisation.objects.filter(pk=organisation.pk).update(name_key="")
    migration = importlib.import_module("assets_map.migrations.0006_organisation_verification")
    migration.verify_existing(apps, None)
    organisation.refresh_from_db()
    assert organisation.is_verified and organisation.name_key == "old"


# --- likely duplicates ------------------------------------------------------------------------

@pytest.mark.parametrize(("first", "second"), [
    ("Harlesden Community Trust", "The Harlesden Community Trust Ltd"),
    ("Harlesden Community Trust", "harlesden  community-trust"),
    ("Brent Food Bank CIC", "Brent Foodbank"),
    ("Friends & Neighbours", "Friends and Neighbours Limited"),
    ("Café Kilburn", "CAFE KILBURN."),
])
def test_names_that_differ_only_in_noise_are_likely_duplicates(first, second):
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize(("first", "second"), [
    ("Harlesden Community Trust", "Harlesden Community Centre"),
    ("Brent Food Bank", "Kilburn Food Bank"),
])
def test_different_names_are_not(first, second):
    assert name_key(first) != name_key(second)


def test_the_person_registering_a_duplicate_is_shown_it_with_a_link_to_ask_to_join(
        client, resident, organisation):
    response = register(client, resident, name="The Harlesden Community Trust Ltd")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Is your organisation already registered?" in html
    assert f'href="/organisations/{organisation.slug}/join/"' in html
    assert "Ask to join Harlesden Community Trust" in html
    assert "Ask to join it instead, or tick the box" in html  # the error, next to the box
    assert Organisation.objects.count() == 1  # nothing saved
    # Ticking the box registers it anyway (unverified), and the officer sees the duplicate.
    response = register(client, resident, name="The Harlesden Community Trust Ltd",
                        different_organisation="on")
    assert response.status_code == 302
    copy = Organisation.objects.get(name="The Harlesden Community Trust Ltd")
    assert not copy.is_verified and copy.role_of(resident) == OrganisationMembership.OWNER


def test_the_officer_verifying_sees_the_likely_duplicate(client, resident, organisation,
                                                        officer_client):
    copy = Organisation.objects.create(name="Harlesden Community Trust CIC")
    OrganisationMembership.objects.create(organisation=copy, user=resident, role="owner")
    queue = officer_client.get(QUEUE).content.decode()
    row = queue[queue.index("Harlesden Community Trust CIC"):]
    assert "Harlesden Community Trust;" in row or "Harlesden Community Trust<" in row
    page = officer_client.get(f"/admin/assets-map/organisations/{copy.pk}/verify/")
    html = page.content.decode()
    assert "Likely duplicates" in html
    assert "Harlesden Community Trust – verified" in html


def test_the_queue_costs_the_same_queries_for_one_or_many_organisations(
        officer_client, django_assert_max_num_queries):
    def add(number):
        organisation = Organisation.objects.create(name=f"Group {number}")
        OrganisationMembership.objects.create(
            organisation=organisation, user=make_user(f"owner{number}@example.org"),
            role="owner")

    add(0)
    with django_assert_max_num_queries(100) as few:
        officer_client.get(QUEUE)
    for number in range(1, 12):
        add(number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer_client.get(QUEUE)


def test_a_verified_organisation_is_not_verified_again(organisation, officer):
    from assets_map import verification

    before = organisation.verified_at
    verification.verify(organisation, officer)
    organisation.refresh_from_db()
    assert organisation.verified_at == before and organisation.verified_by is None
    assert before <= timezone.now()


def test_an_organisation_an_officer_adds_in_the_admin_is_verified(officer_client, officer):
    response = officer_client.post("/admin/snippets/assets_map/organisation/add/",
                                   {"name": "Brent Council Libraries", "slug": "libraries",
                                    "members": [officer.pk]})
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.verified_by == officer
    assert organisation.name_key == "brentcouncillibraries"
