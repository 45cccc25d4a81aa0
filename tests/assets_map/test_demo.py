"""The demo command: idempotent, with hubs, galleries and a request to join; logins need DEBUG."""

import io

import pytest
from django.core.management import call_command

from assets_map.models import Asset, AssetPhoto, JoinRequest, Organisation
from portal.neighbourhoods.models import Neighbourhood

pytestmark = pytest.mark.django_db


def test_demo_command_is_idempotent(demo_site, settings):
    settings.DEBUG = True
    call_command("load_demo_assets", "--users", stdout=io.StringIO())
    counts = (Asset.objects.count(), Organisation.objects.count())
    call_command("load_demo_assets", stdout=io.StringIO())
    assert (Asset.objects.count(), Organisation.objects.count()) == counts
    assert 140 <= counts[0] <= 160
    assert Asset.objects.filter(is_hub=True).count() == 3
    harlesden = Asset.objects.get(external_id="library:209")
    assert harlesden.is_hub and harlesden.colocated_organisations.count() == 3
    assert Asset.objects.filter(neighbourhood__isnull=True).count() == 0
    for neighbourhood in Neighbourhood.objects.all():
        assert neighbourhood.assets.count() >= 28


def test_demo_has_hub_galleries_and_a_pending_request_to_join(demo_site, settings):
    settings.DEBUG = True
    call_command("load_demo_assets", "--users", stdout=io.StringIO())
    call_command("load_demo_assets", "--users", stdout=io.StringIO())
    for hub in Asset.objects.filter(is_hub=True):
        photos = list(hub.photos.all())
        assert len(photos) == 3 and all(p.alt_text for p in photos)
    assert AssetPhoto.objects.count() == 9
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequest.PENDING
    assert join_request.user.email == "volunteer@example.org"
    assert join_request.organisation.name == "Harlesden Community Trust"
    # One group registered itself and waits for an officer; every other one is verified.
    (waiting,) = Organisation.objects.unverified()
    assert waiting.name == "Stonebridge Sewing Circle"
    assert waiting.assets.get().status == Asset.PENDING


def test_demo_logins_need_debug(demo_site, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_assets", "--users", stdout=io.StringIO())
