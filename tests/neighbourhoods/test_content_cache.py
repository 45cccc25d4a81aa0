"""Parts of pages kept against the content version (portal/neighbourhoods/content_cache.py):
served from the cache until something they show is saved, or until they go out of date."""

import time

import pytest

from assets_map.models import Asset, AssetCategory
from portal.neighbourhoods import content_cache
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

pytestmark = pytest.mark.django_db


def counting(value, fresh_until=None):
    calls = []

    def compute():
        calls.append(1)
        return value, fresh_until
    return compute, calls


def test_a_value_is_worked_out_once_until_content_changes():
    compute, calls = counting({"a": 1})
    assert content_cache.cached("test:one", compute) == {"a": 1}
    assert content_cache.cached("test:one", compute) == {"a": 1}
    assert len(calls) == 1
    content_cache.content_changed()
    content_cache.cached("test:one", compute)
    assert len(calls) == 2


def test_saving_what_the_parts_show_moves_the_version_on():
    compute, calls = counting("x")
    content_cache.cached("test:two", compute)
    Theme.objects.create(name="Play streets", slug="play-streets")
    content_cache.cached("test:two", compute)
    assert len(calls) == 2


def test_a_value_out_of_date_by_itself_is_worked_out_again():
    compute, calls = counting("soon", fresh_until=time.time() + 0.05)
    content_cache.cached("test:three", compute)
    time.sleep(0.1)
    content_cache.cached("test:three", compute)
    assert len(calls) == 2


def test_a_new_asset_shows_on_the_neighbourhood_page_at_once(client, demo_site):
    url = "/neighbourhoods/harlesden/"
    client.get(url)
    harlesden = Neighbourhood.objects.get(slug="harlesden")
    category = AssetCategory.objects.create(name="Libraries", slug="libraries")
    Asset.objects.create(name="Harlesden Reading Room", category=category,
                         status=Asset.PUBLISHED, neighbourhood=harlesden,
                         latitude=harlesden.centroid_lat, longitude=harlesden.centroid_lng)
    assert "Harlesden Reading Room" in client.get(url).content.decode()
    Asset.objects.filter(name="Harlesden Reading Room").get().delete()
    assert "Harlesden Reading Room" not in client.get(url).content.decode()
