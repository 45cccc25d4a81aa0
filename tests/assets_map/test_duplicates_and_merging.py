"""Likely duplicates (a similar name within 200 m): warned about in the preview, merged by
officers."""

import pytest

from assets_map import moderation
from assets_map.models import Asset, AuditEvent, Service
from portal.themes.models import Theme

from .conftest import HARLESDEN, KILBURN

pytestmark = pytest.mark.django_db

NEAR_HARLESDEN = (HARLESDEN[0] + 0.0009, HARLESDEN[1])  # about 100 m north


def test_likely_duplicates_need_a_similar_name_and_200_m(demo_site, make_asset):
    make_asset("Harlesden Library")
    make_asset("Harlesden Library", at=KILBURN)  # same name, 3 km away
    make_asset("Craven Park Food Bank", at=NEAR_HARLESDEN)  # near, different name
    new = make_asset("The Harlesden Library", at=NEAR_HARLESDEN, status=Asset.DRAFT)
    assert [a.name for a in moderation.likely_duplicates(new)] == ["Harlesden Library"]
    assert 90 < moderation.likely_duplicates(new)[0].distance_m < 110


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
