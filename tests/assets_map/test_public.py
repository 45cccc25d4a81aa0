"""The public map page and list, filters, postcode search, asset pages, neighbourhood pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets_map.models import Asset, Organisation, Service
from portal.themes.models import Theme

from .conftest import KILBURN

pytestmark = pytest.mark.django_db


def test_map_page_lists_published_assets_with_hubs_distinct(map_page, make_asset, client):
    make_asset("Harlesden Library", is_hub=True)
    make_asset("Kilburn Library", at=KILBURN)
    make_asset("Secret draft", status=Asset.DRAFT)
    response = client.get("/community-assets/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 assets" in html
    assert "Harlesden Library" in html and "Kilburn Library" in html
    assert "Secret draft" not in html
    assert "asset-card--hub" in html and 'class="tag tag--hub"' in html
    assert 'data-geojson-url="/api/assets.geojson"' in html
    assert "<script>" not in html and "style=" not in html


def test_filters_narrow_the_list_and_the_map_url(map_page, make_asset, client, library):
    housing = Theme.objects.get(slug="housing")
    hub = make_asset("Harlesden Library", step_free_access=True)
    hub.themes.add(housing)
    make_asset("Kilburn Library", at=KILBURN)
    for query in ["theme=housing", "features=step_free_access", "neighbourhood=harlesden",
                  "q=harlesden", "category=library&neighbourhood=harlesden"]:
        html = client.get(f"/community-assets/?{query}").content.decode()
        assert "1 asset" in html and "Kilburn Library" not in html, query
        assert f"/api/assets.geojson?{query}" in html.replace("&amp;", "&")


def test_search_matches_services_by_name(map_page, make_asset, client):
    asset = make_asset("Kilburn Library", at=KILBURN)
    Service.objects.create(asset=asset, name="Citizens Advice drop-in")
    html = client.get("/community-assets/?q=citizens").content.decode()
    assert "1 asset" in html and "Kilburn Library" in html


def test_postcode_search_sorts_by_distance(map_page, make_asset, client):
    make_asset("Kilburn Library", at=KILBURN)
    make_asset("Harlesden Library")
    html = client.get("/community-assets/?postcode=nw66nn").content.decode()
    assert "2 assets, nearest to NW6 6NN first" in html
    assert html.index("Kilburn Library") < html.index("Harlesden Library")
    assert "0 metres away" in html


def test_unknown_postcode_gets_an_error_and_keeps_the_list(map_page, make_asset, client):
    make_asset()
    html = client.get("/community-assets/?postcode=NW10+9ZZ").content.decode()
    assert "There is a problem" in html and "could not find the postcode" in html
    assert "Harlesden Library" in html


def test_list_paginates_with_a_constant_number_of_queries(map_page, make_asset, client):
    for number in range(3):
        make_asset(f"Asset {number}")
    client.get("/community-assets/")  # warm the per-process caches (site, settings)
    with CaptureQueriesContext(connection) as few:
        client.get("/community-assets/")
    for number in range(3, 45):
        make_asset(f"Asset {number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/community-assets/?page=2")
    assert len(many) == len(few)
    assert "Page 2 of 3" in response.content.decode()


def test_asset_page_shows_hours_services_colocation_and_last_checked(map_page, make_asset, client):
    import datetime

    asset = make_asset("Harlesden Library", is_hub=True, hearing_loop=True,
                       last_verified=datetime.date(2020, 1, 2),
                       description="<script>alert('x')</script> Books & more")
    asset.opening_hours.create(weekday=0, opens=datetime.time(9), closes=datetime.time(17))
    advice = Organisation.objects.create(name="Citizens Advice Brent")
    asset.colocated_organisations.add(advice)
    Service.objects.create(asset=asset, organisation=advice, name="Advice drop-in", cost="Free")
    response = client.get("/community-assets/harlesden-library/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "09:00–17:00" in html and "Closed" in html
    assert "Advice drop-in" in html and "by Citizens Advice Brent" in html
    assert "Co-located services" in html and "Hearing loop" in html
    assert "2 January 2020" in html and "May be out of date" in html
    assert "openstreetmap.org/directions?to=51.538652%2C-0.250540" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_unpublished_asset_pages_are_not_found(map_page, make_asset, client):
    make_asset("Draft", status=Asset.DRAFT)
    assert client.get("/community-assets/draft/").status_code == 404


def test_neighbourhood_page_lists_its_assets(map_page, make_asset, client):
    make_asset("Harlesden Library", is_hub=True)
    make_asset("Kilburn Library", at=KILBURN)
    html = client.get("/neighbourhoods/harlesden/").content.decode()
    assert "Community assets" in html
    assert 'href="/community-assets/harlesden-library/"' in html
    assert "Kilburn Library" not in html
    assert "/community-assets/?neighbourhood=harlesden" in html


def test_welsh_copy_of_the_map_page_links_to_welsh_asset_pages(map_page, make_asset, client):
    from wagtail.models import Locale

    make_asset("Harlesden Library")
    welsh = map_page.copy_for_translation(Locale.objects.get(language_code="cy"),
                                          copy_parents=True)
    welsh.save_revision().publish()
    html = client.get("/cy/community-assets/").content.decode()
    assert 'href="/cy/community-assets/harlesden-library/"' in html
    assert client.get("/cy/community-assets/harlesden-library/").status_code == 200
    # The open data stays language-neutral (English URLs).
    feature = client.get("/api/assets.geojson").json()["features"][0]
    assert feature["properties"]["url"] == "/community-assets/harlesden-library/"


def test_open_now_uses_the_opening_hours(map_page, make_asset, client):
    import datetime

    import time_machine

    open_monday = make_asset("Open on Monday mornings")
    open_monday.opening_hours.create(weekday=0, opens=datetime.time(9), closes=datetime.time(12))
    make_asset("No hours given", at=KILBURN)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):  # a Monday
        html = client.get("/community-assets/?open_now=on").content.decode()
        assert "1 asset" in html and "Open on Monday mornings" in html
    with time_machine.travel(datetime.datetime(2026, 11, 23, 13, 0), tick=False):
        assert "0 assets" in client.get("/community-assets/?open_now=on").content.decode()


def test_sitemap_lists_published_asset_pages(map_page, make_asset, client):
    make_asset("Harlesden Library")
    make_asset("Draft", status=Asset.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert "/community-assets/harlesden-library/</loc>" in xml
    assert "/community-assets/draft/" not in xml
