"""Moderation with a diff: an edit of a published asset shows what changed, old beside new,
from the values published when it was sent; new organisations' first submissions are marked
in the queue and on the review screen, with a filter."""

import datetime
import re

import pytest
from django.utils import timezone

from assets_map import moderation
from assets_map.models import (
    Asset,
    AssetCategory,
    OpeningHours,
    Organisation,
    OrganisationMembership,
    Submission,
)
from assets_map.moderation_diff import changes, distance_m
from assets_map.versions import save_draft, snapshot
from tests.conftest import make_user

from .conftest import HARLESDEN

pytestmark = pytest.mark.django_db
QUEUE = "/admin/assets-map/moderation/"


@pytest.fixture
def officer_client(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    return client


@pytest.fixture
def live_asset(make_asset, organisation):
    asset = make_asset(name="Harlesden Food Bank", organisation=organisation,
                       summary="Emergency food.", address="Craven Park Road",
                       postcode="NW10 8SE", public_phone="020 7946 0123")
    OpeningHours.objects.create(asset=asset, weekday=0, opens=datetime.time(9),
                                closes=datetime.time(12))
    return asset


def send_edit(asset, user, **fields):
    """Save and send an edit of a published asset, as the organisation's preview does."""
    data = snapshot(asset)
    data["fields"].update(fields.pop("fields", {}))
    data.update(fields)
    save_draft(asset, data, user)
    return moderation.submit_for_moderation(asset, user)


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The cells of each body row of the table with this caption, tags stripped."""
    table = re.search(r"<table[^>]*>\s*<caption[^>]*>" + re.escape(caption)
                      + r"</caption>(.*?)</table>", html, re.S).group(1)
    body = table.split("<tbody>")[1]
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


CHANGED = "Changed fields, published value beside proposed value"


def test_an_edit_shows_only_the_changed_fields_old_beside_new(
        officer_client, live_asset, vcs_member):
    moved = (HARLESDEN[0] + 0.0009, HARLESDEN[1])  # about 100 m north
    advice = AssetCategory.objects.get(slug="advice")
    submission = send_edit(live_asset, vcs_member, fields={
        "summary": "Emergency food and a community fridge.", "latitude": moved[0],
        "longitude": moved[1], "address": "12 Manor Park Road", "postcode": "NW10 4JJ",
        "public_phone": "020 7946 0456", "category_id": advice.pk},
        hours=[[0, "09:00", "13:00"], [2, "10:00", "12:00"]])
    html = officer_client.get(f"{QUEUE}{submission.pk}/").content.decode()
    rows = {row[0]: row[1:] for row in table_rows(html, CHANGED)}
    assert rows["Summary"] == ["Emergency food.", "Emergency food and a community fridge."]
    assert rows["Public phone"] == ["020 7946 0123", "020 7946 0456"]
    assert rows["Category"] == [live_asset.category.name, advice.name]
    assert rows["Opening hours: Monday"] == ["09:00–12:00", "09:00–13:00"]
    assert rows["Opening hours: Wednesday"] == ["Closed", "10:00–12:00"]
    before, after = rows["Location"]
    assert before == "Craven Park Road, NW10 8SE"
    assert after == "12 Manor Park Road, NW10 4JJ Moved by 100 metres"
    assert "Name" not in rows and "Opening hours: Tuesday" not in rows
    unchanged = {row[0]: row[1:] for row in table_rows(html, "Unchanged fields")}
    assert unchanged["Name"] == ["Harlesden Food Bank", "Harlesden Food Bank"]
    assert "Opening hours: Tuesday" in unchanged and "Photos" in unchanged
    assert "<details" in html and "unchanged fields" in html


def test_the_diff_stays_right_when_the_live_asset_changes_after_sending(
        officer_client, live_asset, vcs_member):
    submission = send_edit(live_asset, vcs_member, fields={"summary": "Now with a fridge."})
    Asset.objects.filter(pk=live_asset.pk).update(summary="Changed by an officer meanwhile.")
    html = officer_client.get(f"{QUEUE}{submission.pk}/").content.decode()
    rows = {row[0]: row[1:] for row in table_rows(html, CHANGED)}
    assert rows["Summary"] == ["Emergency food.", "Now with a fridge."]
    assert "The published asset has changed since this edit was sent" in html


def test_an_edit_that_changes_nothing_visible_says_so(officer_client, live_asset, vcs_member):
    submission = send_edit(live_asset, vcs_member, themes=[])
    submission.data["fields"]["summary"] = "Emergency food."
    submission.save()
    html = officer_client.get(f"{QUEUE}{submission.pk}/").content.decode()
    assert "This edit changes nothing that is published." in html
    assert "published asset has changed" not in html


def test_photos_and_contact_details_are_compared(live_asset):
    before = snapshot(live_asset)
    after = snapshot(live_asset)
    after["photos"] = [{"image_id": 7, "alt_text": "The hall's front door", "decorative": False,
                        "caption": ""}]
    after["fields"]["website"] = "https://harlesden-food.org.uk/"
    rows = {row.label: row for row in changes(before, after) if row.changed}
    assert rows["Photos"].before == "No photos"
    assert rows["Photos"].after == "1 photo: The hall's front door"
    assert rows["Website"].after == "https://harlesden-food.org.uk/"
    assert set(rows) == {"Photos", "Website"}


def test_distance_between_two_points():
    assert round(distance_m({"latitude": 51.5, "longitude": -0.25},
                            {"latitude": 51.5009, "longitude": -0.25})) == 100


@pytest.fixture
def new_group(db, library):
    """An organisation that registered itself and has nothing published yet."""
    owner = make_user("sewing@example.org")
    group = Organisation.objects.create(name="Stonebridge Sewing Circle")
    OrganisationMembership.objects.create(organisation=group, user=owner,
                                          role=OrganisationMembership.OWNER)
    asset = Asset.objects.create(name="Sewing at the Hillside Hub", organisation=group,
                                 latitude=HARLESDEN[0], longitude=HARLESDEN[1],
                                 category=library, created_by=owner)
    return moderation.submit_for_moderation(asset, owner)


@pytest.fixture
def established(organisation, vcs_member, make_asset):
    """A new asset from an organisation that already has one published."""
    make_asset(name="Harlesden Library", organisation=organisation)
    asset = make_asset(name="Harlesden Pantry", organisation=organisation, status=Asset.DRAFT,
                       at=(HARLESDEN[0] + 0.01, HARLESDEN[1]))
    return moderation.submit_for_moderation(asset, vcs_member)


def test_queue_marks_a_new_organisations_first_submission(officer_client, new_group,
                                                          established):
    html = officer_client.get(QUEUE).content.decode()
    row_new = re.search(r"<tr>\s*<td><a[^>]*>Sewing at the Hillside Hub</a>.*?</tr>", html, re.S)
    row_old = re.search(r"<tr>\s*<td><a[^>]*>Harlesden Pantry</a>.*?</tr>", html, re.S)
    assert "First submission from a new organisation" in row_new.group(0)
    assert "First submission from a new organisation" not in row_old.group(0)


def test_queue_filter_shows_only_new_organisations(officer_client, new_group, established):
    html = officer_client.get(QUEUE, {"show": "new-organisations"}).content.decode()
    assert "Sewing at the Hillside Hub" in html and "Harlesden Pantry" not in html
    assert 'value="new-organisations" id="show-new" checked' in html
    Submission.objects.filter(pk=new_group.pk).update(status=Submission.APPROVED,
                                                      decided_at=timezone.now())
    html = officer_client.get(QUEUE, {"show": "new-organisations"}).content.decode()
    assert "No first submission from a new organisation is waiting." in html
    everything = officer_client.get(QUEUE, {"show": "nonsense"}).content.decode()
    assert "Harlesden Pantry" in everything


def test_review_screen_marks_a_new_organisations_first_submission(
        officer_client, new_group, established):
    html = officer_client.get(f"{QUEUE}{new_group.pk}/").content.decode()
    assert "First submission from a new organisation" in html
    html = officer_client.get(f"{QUEUE}{established.pk}/").content.decode()
    assert "First submission from a new organisation" not in html


def test_after_approval_the_organisation_is_no_longer_new(officer, new_group, library):
    moderation.approve(new_group, officer, verify_organisation=True)
    group = new_group.asset.organisation
    owner = new_group.submitted_by
    second = Asset.objects.create(name="Mending at Stonebridge", organisation=group,
                                  latitude=HARLESDEN[0] + 0.01, longitude=HARLESDEN[1],
                                  category=library, created_by=owner)
    submission = moderation.submit_for_moderation(second, owner)
    assert not submission.data["new_organisation"]
