"""Likely duplicates (similar name within 200 m), merging, and the staleness reminders."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command

from assets_map import services
from assets_map.models import Asset, AuditEvent, OrganisationMembership, Service
from portal.themes.models import Theme

from .conftest import HARLESDEN, KILBURN

pytestmark = pytest.mark.django_db

NEAR_HARLESDEN = (HARLESDEN[0] + 0.0009, HARLESDEN[1])  # about 100 m north


def test_likely_duplicates_need_a_similar_name_and_200_m(demo_site, make_asset):
    make_asset("Harlesden Library")
    make_asset("Harlesden Library", at=KILBURN)  # same name, 3 km away
    make_asset("Craven Park Food Bank", at=NEAR_HARLESDEN)  # near, different name
    new = make_asset("The Harlesden Library", at=NEAR_HARLESDEN, status=Asset.DRAFT)
    assert [a.name for a in services.likely_duplicates(new)] == ["Harlesden Library"]
    assert 90 < services.likely_duplicates(new)[0].distance_m < 110


def test_preview_warns_about_duplicates(demo_site, client, organisation, vcs_member,
                                        make_asset):
    make_asset("Harlesden Library")
    new = make_asset("Harlesden library", at=NEAR_HARLESDEN, status=Asset.DRAFT,
                     organisation=organisation)
    client.force_login(vcs_member)
    html = client.get(f"/organisations/{organisation.slug}/assets/{new.pk}/preview/")
    assert "Is this already on the map?" in html.content.decode()


def test_officer_merges_two_assets(demo_site, make_asset, officer, client, settings):
    keep = make_asset("Harlesden Library")
    drop = make_asset("Harlesden Library (old entry)", at=NEAR_HARLESDEN,
                      summary="Books and computers", hearing_loop=True)
    drop.themes.add(Theme.objects.get(slug="housing"))
    Service.objects.create(asset=drop, name="Homework club")
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    assert client.post("/admin/assets-map/merge/", {"keep": keep.pk, "drop": keep.pk}
                       ).status_code == 200  # "Choose two different assets."
    response = client.post("/admin/assets-map/merge/", {"keep": keep.pk, "drop": drop.pk})
    assert response.status_code == 302
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert drop.status == Asset.ARCHIVED
    assert keep.services.get().name == "Homework club" and keep.hearing_loop
    assert keep.summary == "Books and computers" and keep.themes.get().slug == "housing"
    assert AuditEvent.objects.filter(action="merged").count() == 2


def test_staleness_reminder_sends_a_one_click_link(demo_site, client, organisation,
                                                   vcs_member, make_asset):
    today = datetime.date.today()
    stale = make_asset("Old hall", organisation=organisation,
                       last_verified=today - datetime.timedelta(days=400))
    make_asset("Fresh hall", organisation=organisation, at=KILBURN,
               last_verified=today - datetime.timedelta(days=10))
    call_command("send_staleness_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [vcs_member.email]
    assert "Old hall" in message.body and "Fresh hall" not in message.body
    path = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    page = client.get(path)  # no sign-in needed; looking changes nothing
    assert "Is “Old hall” still correct?" in page.content.decode()
    stale.refresh_from_db()
    assert stale.is_stale
    client.post(path)
    stale.refresh_from_db()
    assert stale.last_verified == today and not stale.is_stale
    assert client.get(path.replace("still-correct/", "still-correct/x")).status_code == 404


def test_reminders_go_to_every_member_and_skip_organisations_without_members(
        demo_site, organisation, make_asset):
    from tests.conftest import make_user

    editor = make_user("editor@example.org")
    OrganisationMembership.objects.create(organisation=organisation, user=editor)
    make_asset("Old hall", organisation=organisation)
    make_asset("Orphan", at=KILBURN)
    assert services.send_staleness_reminders(lambda path: path) == 1
    assert sorted(mail.outbox[0].to) == ["editor@example.org", "vcs@example.org"]
