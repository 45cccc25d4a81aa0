"""The asset map offers published assets, hubs first, as venues through `portal.venues`."""

import pytest

from assets_map.models import Asset
from portal.extension_points import venues

from .conftest import KILBURN

pytestmark = pytest.mark.django_db


def test_provider_lists_published_assets_hubs_first_and_not_drafts(make_asset, map_page):
    library = make_asset("Alpha Library")
    hub = make_asset("Zeta Hub Library", at=KILBURN, is_hub=True, postcode="NW6 6NN",
                     address="Salusbury Road")
    draft = make_asset("Beta Draft Centre", status=Asset.DRAFT)
    pending = make_asset("Gamma Pending Centre", status=Asset.PENDING)
    choices = [(key, label) for key, label in venues.choices() if key.startswith("asset:")]
    keys = [key for key, _label in choices]
    assert keys == [f"asset:{hub.uuid}", f"asset:{library.uuid}"]
    assert choices[0][1] == "Hub: Zeta Hub Library, NW6 6NN"
    assert f"asset:{draft.uuid}" not in keys and f"asset:{pending.uuid}" not in keys

    venue = venues.find(f"asset:{hub.uuid}")
    assert venue.is_hub and venue.name == "Zeta Hub Library"
    assert (venue.address, venue.postcode) == ("Salusbury Road", "NW6 6NN")
    assert (venue.latitude, venue.longitude) == KILBURN
    assert venue.url == f"{map_page.url}{hub.slug}/"
    assert venues.find(f"asset:{draft.uuid}") is None
    assert venues.find("asset:not-a-uuid") is None

    hub.status = Asset.ARCHIVED
    hub.save()
    assert venues.find(f"asset:{hub.uuid}") is None  # the forum then shows its stored copy
