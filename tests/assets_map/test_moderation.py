"""Moderation in the Wagtail admin: queue, approve, reject with an emailed reason, audit trail;
an edit to a published asset is held while the published version stays live."""

import pytest
from django.core import mail

from assets_map import moderation
from assets_map.models import Asset, AuditEvent, Submission

from .conftest import asset_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    return client


def submitted(client, organisation, vcs_member, **overrides):
    client.force_login(vcs_member)
    client.post(f"/organisations/{organisation.slug}/assets/new/", asset_form_data(**overrides))
    asset = Asset.objects.get(name=overrides.get("name", "Harlesden Food Bank"))
    client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/submit/")
    client.logout()
    return asset


def test_officer_approves_a_new_asset_from_the_queue(map_page, client, organisation, vcs_member,
                                                     officer, settings):
    asset = submitted(client, organisation, vcs_member)
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    queue = client.get("/admin/assets-map/moderation/").content.decode()
    assert "Harlesden Food Bank" in queue and "New asset" in queue
    submission = Submission.objects.get(asset=asset)
    page = client.get(f"/admin/assets-map/moderation/{submission.pk}/").content.decode()
    assert "Food parcels" in page
    response = client.post(f"/admin/assets-map/moderation/{submission.pk}/", {"approve": "1"})
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == Asset.PUBLISHED and asset.last_verified is not None
    assert mail.outbox[-1].to == [vcs_member.email] and "published" in mail.outbox[-1].subject
    assert client.get("/community-assets/harlesden-food-bank/").status_code == 200
    actions = list(AuditEvent.objects.filter(asset=asset).order_by("at", "id")
                   .values_list("action", "actor__email"))
    assert actions == [("created", vcs_member.email), ("submitted", vcs_member.email),
                       ("approved", officer.email)]


def test_rejecting_needs_a_reason_which_is_emailed(map_page, client, organisation, vcs_member,
                                                    officer, settings):
    asset = submitted(client, organisation, vcs_member)
    submission = Submission.objects.get(asset=asset)
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    url = f"/admin/assets-map/moderation/{submission.pk}/"
    html = client.post(url, {"reject": "1", "reason": ""}).content.decode()
    assert "Give a reason" in html
    client.post(url, {"reject": "1", "reason": "Please add opening hours for Friday."})
    asset.refresh_from_db()
    assert asset.status == Asset.REJECTED
    assert "Please add opening hours for Friday." in mail.outbox[-1].body
    assert AuditEvent.objects.filter(asset=asset, action="rejected",
                                     reason__contains="Friday").exists()
    # The organisation fixes it and submits again.
    client.force_login(vcs_member)
    client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/edit/",
                asset_form_data(opens_4="09:00", closes_4="12:00"))
    client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/submit/")
    asset.refresh_from_db()
    assert asset.status == Asset.PENDING


def test_edit_of_a_published_asset_is_held_and_the_live_version_stays(
        map_page, client, organisation, vcs_member, officer):
    asset = submitted(client, organisation, vcs_member)
    moderation.approve(Submission.objects.get(asset=asset), officer)
    client.force_login(vcs_member)
    edit_url = f"/organisations/{organisation.slug}/assets/{asset.pk}/edit/"
    response = client.post(edit_url, asset_form_data(
        summary="Now also a community fridge.", **{"services-0-name": "Community fridge"}))
    assert response.status_code == 302 and response["Location"].endswith("/preview/")
    asset.refresh_from_db()
    assert asset.status == Asset.PUBLISHED and asset.summary == "Emergency food."
    # Saved as a draft version: not in the queue until it is sent from the preview.
    assert not Submission.objects.filter(asset=asset, status=Submission.PENDING,
                                         is_new=False).exists()
    client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/submit/")
    live = client.get("/community-assets/harlesden-food-bank/").content.decode()
    assert "Emergency food." in live and "Community fridge" not in live
    # The form shows the pending version for further edits.
    assert "Now also a community fridge." in client.get(edit_url).content.decode()
    pending = Submission.objects.get(asset=asset, status=Submission.PENDING)
    assert not pending.is_new
    moderation.approve(pending, officer)
    live = client.get("/community-assets/harlesden-food-bank/").content.decode()
    assert "Now also a community fridge." in live and "Community fridge" in live


def test_rejected_edit_leaves_the_published_asset_as_it_was(
        map_page, client, organisation, vcs_member, officer):
    asset = submitted(client, organisation, vcs_member)
    moderation.approve(Submission.objects.get(asset=asset), officer)
    client.force_login(vcs_member)
    client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/edit/",
                asset_form_data(name="Renamed"))
    client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/submit/")
    moderation.reject(Submission.objects.get(status=Submission.PENDING), officer, "No.")
    asset.refresh_from_db()
    assert asset.status == Asset.PUBLISHED and asset.name == "Harlesden Food Bank"


def test_officer_can_use_the_asset_snippets(demo_site, officer_client, make_asset):
    asset = make_asset("Harlesden Library")
    for url in ["/admin/snippets/assets_map/asset/",
                f"/admin/snippets/assets_map/asset/edit/{asset.pk}/",
                "/admin/snippets/assets_map/organisation/",
                "/admin/snippets/assets_map/assetcategory/",
                "/admin/assets-map/audit/", "/admin/assets-map/merge/"]:
        assert officer_client.get(url).status_code == 200, url
