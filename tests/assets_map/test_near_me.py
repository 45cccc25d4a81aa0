"""'Use my location': lat/lng from the browser sort the list by distance; bad values get a
clear message (never a 500) and the postcode search stays."""

import pytest

from .conftest import HARLESDEN, KILBURN

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_assets(map_page, make_asset):
    make_asset("Harlesden Library")
    make_asset("Kilburn Library", at=KILBURN)


def test_location_sorts_by_distance_and_is_kept_for_the_next_search(two_assets, client):
    html = client.get("/community-assets/", {"lat": f"{KILBURN[0]:.3f}",
                                             "lng": f"{KILBURN[1]:.3f}"}).content.decode()
    assert "2 assets, nearest to you first" in html
    assert html.index("Kilburn Library") < html.index("Harlesden Library")
    assert "metres away" in html
    # The hidden fields carry the location on to the next search and the map's data.
    assert 'name="lat" value="51.535"' in html and "lat=51.535" in html
    html = client.get("/community-assets/", {"lat": str(HARLESDEN[0]),
                                             "lng": str(HARLESDEN[1])}).content.decode()
    assert html.index("Harlesden Library") < html.index("Kilburn Library")


def test_the_geojson_endpoint_sorts_by_the_same_location(two_assets, client):
    data = client.get("/api/assets.geojson", {"lat": KILBURN[0], "lng": KILBURN[1]}).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["Kilburn Library",
                                                                   "Harlesden Library"]


@pytest.mark.parametrize(("lat", "lng", "message"), [
    ("abc", "-0.2", "the latitude and longitude must be numbers"),
    ("51.5", "", "the latitude and longitude must be numbers"),
    ("51.5", "0x10", "the latitude and longitude must be numbers"),
    ("91", "-0.2", "the latitude must be between -90 and 90"),
    ("51.5", "-181", "the latitude must be between -90 and 90"),
    ("nan", "-0.2", "the latitude must be between -90 and 90"),
    ("51.5", "inf", "the latitude must be between -90 and 90"),
    ("53.4808", "-2.2426", "Your location is outside the area this map covers."),  # Manchester
    ("-0.25", "51.54", "Your location is outside the area this map covers."),  # swapped
])
def test_bad_locations_get_a_clear_message_and_keep_the_list(two_assets, client, lat, lng,
                                                             message):
    response = client.get("/community-assets/", {"lat": lat, "lng": lng, "hubs": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert "Search by postcode instead." in html and 'href="#id_postcode"' in html
    assert "2 assets" in html and "nearest to you" not in html
    api = client.get("/api/assets.geojson", {"lat": lat, "lng": lng})
    assert api.status_code == 400 and message in api.json()["errors"]["postcode"][0]


def test_a_typed_postcode_wins_over_an_earlier_location(two_assets, client):
    html = client.get("/community-assets/", {
        "postcode": "NW10 8SE", "lat": f"{KILBURN[0]}", "lng": f"{KILBURN[1]}"}).content.decode()
    assert "nearest to NW10 8SE first" in html
    assert html.index("Harlesden Library") < html.index("Kilburn Library")
    assert 'name="lat" value=""' in html or 'name="lat" id="id_lat"' in html
    # Even a broken location does not matter when a postcode is given.
    html = client.get("/community-assets/", {"postcode": "NW10 8SE", "lat": "abc",
                                             "lng": ""}).content.decode()
    assert "There is a problem" not in html


def test_the_button_is_an_enhancement_without_inline_script(two_assets, client):
    html = client.get("/community-assets/").content.decode()
    assert "data-near-me hidden" in html and "Use my location" in html
    assert "assets_map/js/near-me" in html
    assert "<script>" not in html.replace('<script type="application/json"', "")


def test_the_area_is_the_neighbourhoods_with_a_margin(map_page):
    from assets_map import search

    assert search.in_covered_area(*KILBURN)
    assert search.in_covered_area(51.60, -0.35)  # just over the border, in Harrow
    assert not search.in_covered_area(53.4808, -2.2426)


def test_no_neighbourhoods_means_anywhere_in_the_uk(db):
    from assets_map import search

    assert search.in_covered_area(53.4808, -2.2426)
    assert not search.in_covered_area(48.85, 2.35)  # Paris
