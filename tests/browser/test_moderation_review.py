"""Journey: an officer filters the moderation queue to new organisations' first submissions,
then reviews an edit of a published asset as a table of changes, old beside new."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assets_map import moderation
from assets_map.models import (
    Asset,
    AssetCategory,
    OpeningHours,
    Organisation,
    OrganisationMembership,
)
from assets_map.versions import save_draft, snapshot
from tests.conftest import DEMO_PASSWORD, make_user

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def submissions():
    """An edit of a published asset, and a new organisation's first asset."""
    member = make_user("trust-owner@example.org", "VCS organisations")
    trust = Organisation.objects.create(name="Harlesden Community Trust",
                                        verified_at=timezone.now())
    OrganisationMembership.objects.create(organisation=trust, user=member,
                                          role=OrganisationMembership.OWNER)
    centre = AssetCategory.objects.get(slug="community-centre")
    hall = Asset.objects.create(name="Tavistock Road Community Hall", category=centre,
                                organisation=trust, latitude=51.5386, longitude=-0.2505,
                                address="18 Tavistock Road", postcode="NW10 8SE",
                                public_phone="020 7946 0311", status=Asset.PUBLISHED,
                                summary="A hall for hire with a weekly coffee morning.")
    OpeningHours.objects.create(asset=hall, weekday=0, opens=datetime.time(9),
                                closes=datetime.time(17))
    data = snapshot(hall)
    data["fields"].update(summary="A hall for hire with coffee mornings on Mondays and Fridays.",
                          public_phone="020 7946 0312", latitude=51.5395)
    data["hours"] = [[0, "09:00", "17:00"], [4, "10:00", "14:00"]]
    save_draft(hall, data, member)
    edit = moderation.submit_for_moderation(hall, member)

    owner = make_user("sewing@example.org", "VCS organisations")
    group = Organisation.objects.create(name="Stonebridge Sewing Circle")
    OrganisationMembership.objects.create(organisation=group, user=owner,
                                          role=OrganisationMembership.OWNER)
    first = Asset.objects.create(name="Sewing at the Hillside Hub", category=centre,
                                 organisation=group, latitude=51.5436, longitude=-0.2736,
                                 created_by=owner)
    moderation.submit_for_moderation(first, owner)
    return edit


def test_officer_filters_the_queue_and_reviews_an_edit_as_a_diff(demo_site, page, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    make_user("officer@example.org", "Officers")
    submissions()

    page.goto("/admin/assets-map/moderation/")
    page.get_by_label("Email").fill("officer@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name="Sewing at the Hillside Hub")).to_be_visible()
    page.reload()  # without the fading "signed in" message, which axe checks mid-fade
    assert_accessible(page)

    page.get_by_label("Only first submissions from new organisations").check()
    page.get_by_role("button", name="Apply filter").press("Enter")
    expect(page).to_have_url(re.compile("show=new-organisations"))
    expect(page.get_by_text("First submission from a new organisation")).to_be_visible()
    expect(page.get_by_role("link", name="Tavistock Road Community Hall")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("All submissions waiting").check()
    page.get_by_role("button", name="Apply filter").press("Enter")
    page.get_by_role("link", name="Tavistock Road Community Hall").press("Enter")
    table = page.get_by_role("table", name="Changed fields, published value beside proposed "
                                           "value")
    expect(table.get_by_role("row", name=re.compile("^Public phone"))).to_contain_text(
        "020 7946 0311")
    expect(table.get_by_role("row", name=re.compile("^Location"))).to_contain_text(
        "Moved by 100 metres")
    expect(table.get_by_role("row", name=re.compile("^Opening hours: Friday"))).to_contain_text(
        "10:00–14:00")
    unchanged = page.get_by_role("table", name="Unchanged fields")
    expect(unchanged).to_be_hidden()
    assert_accessible(page)
    page.get_by_text(re.compile(r"Show \d+ unchanged fields")).press("Enter")
    expect(unchanged).to_be_visible()
    expect(unchanged.get_by_role("row", name=re.compile("^Name"))).to_be_visible()
    assert_accessible(page)

    # It fits a 320 px screen without scrolling sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
