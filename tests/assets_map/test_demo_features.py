"""The demo shows off galleries and a request to join, and stays idempotent."""

import io

import pytest
from django.core.management import call_command

from assets_map.models import Asset, AssetPhoto, JoinRequest

pytestmark = pytest.mark.django_db


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
