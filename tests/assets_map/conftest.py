"""Fixtures for the asset map: categories, an organisation with members, assets, the map page."""

import pytest
from django.utils import timezone

from assets_map.models import (
    Asset,
    AssetCategory,
    AssetMapPage,
    Organisation,
    OrganisationMembership,
)
from tests.conftest import clear_cache, make_user

HARLESDEN = (51.5386516954148, -0.250539587531199)  # Harlesden Library, NW10 8SE
KILBURN = (51.5351147954122, -0.205427191509857)  # Kilburn Library, NW6 6NN


@pytest.fixture(autouse=True)
def fresh_cache(request):
    clear_cache(request)
    yield
    clear_cache(request)


@pytest.fixture
def library(db):
    return AssetCategory.objects.get(slug="library")


@pytest.fixture
def organisation(vcs_member):
    """An established organisation: an officer verified it, so its assets can be published
    (tests of a newly registered one use `unverified_organisation`)."""
    org = Organisation.objects.create(name="Harlesden Community Trust",
                                      description="Resident-led charity.",
                                      verified_at=timezone.now())
    OrganisationMembership.objects.create(organisation=org, user=vcs_member,
                                          role=OrganisationMembership.OWNER)
    return org


@pytest.fixture
def trust(organisation):
    """The organisation, with a charity number to find it by."""
    organisation.charity_number = "1123456"
    organisation.save()
    return organisation


@pytest.fixture
def joiner(db):
    """Someone with an account who is not a member of any organisation."""
    return make_user("joiner@example.org", first_name="Jamal")


def join_url(org):
    return f"/organisations/{org.slug}/join/"


def decide_url(org, join_request):
    return f"/organisations/{org.slug}/requests/{join_request.pk}/"


def ask(client, joiner, org, message="I run the homework club."):
    """Sign in as `joiner` and ask to join `org`."""
    client.force_login(joiner)
    return client.post(join_url(org), {"message": message})


@pytest.fixture
def make_asset(library):
    def make(name="Harlesden Library", at=HARLESDEN, status=Asset.PUBLISHED, **extra):
        extra.setdefault("category", library)
        return Asset.objects.create(name=name, latitude=at[0], longitude=at[1], status=status,
                                    **extra)
    return make


@pytest.fixture
def map_page(demo_site):
    from portal.pages.models import HomePage

    home = HomePage.objects.filter(locale__language_code="en").first()
    page = AssetMapPage(title="Community assets", slug="community-assets")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def asset_form_data(**overrides):
    """Valid POST data for the asset form (one service, Monday hours)."""
    data = {
        "name": "Harlesden Food Bank", "category": str(AssetCategory.objects.get(
            slug="food-support").pk), "summary": "Emergency food.", "description": "",
        "address": "Craven Park Road", "postcode": "NW10 8SE", "latitude": "", "longitude": "",
        "opens_0": "09:00", "closes_0": "12:00", "hours_notes": "", "languages": "",
        "public_email": "", "public_phone": "", "website": "",
        "services-TOTAL_FORMS": "1", "services-INITIAL_FORMS": "0",
        "services-MIN_NUM_FORMS": "0", "services-MAX_NUM_FORMS": "20",
        "services-0-name": "Food parcels", "services-0-description": "",
        "services-0-eligibility": "", "services-0-cost": "Free", "services-0-how_to_access": "",
    }
    data.update(overrides)
    return data
