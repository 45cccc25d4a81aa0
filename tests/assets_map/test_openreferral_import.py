"""Open Referral UK import: round trip of our own export, the real examples' quirks, bad JSON."""

import io
import json

import pytest
from django.core.management import call_command

from assets_map.importers import import_openreferral
from assets_map.models import Asset, Service

pytestmark = pytest.mark.django_db


def test_own_export_round_trips_idempotently(map_page, make_asset, client):
    asset = make_asset("Harlesden Library", postcode="NW10 8SE", address="Craven Park Road, "
                       "London")
    Service.objects.create(asset=asset, name="Advice drop-in", description="Free advice.")
    listing = client.get("/api/openreferral/services").json()
    service_id = listing["contents"][0]["id"]
    full = client.get(f"/api/openreferral/services/{service_id}").content
    Service.objects.all().delete()
    Asset.objects.all().delete()
    report = import_openreferral(full)
    assert (report.created, report.errors) == (1, [])
    imported = Asset.objects.get()
    assert imported.name == "Harlesden Library" and imported.neighbourhood.name == "Harlesden"
    assert imported.postcode == "NW10 8SE" and str(imported.services.get().uuid) == service_id
    again = import_openreferral(full)
    assert (again.created, again.updated) == (0, 1) and Service.objects.count() == 1


def test_uk_example_with_an_impossible_location_is_reported(demo_site, shared_data):
    path = shared_data / "schemas/openreferral/examples/uk-profile-valid/service_full.json"
    report = import_openreferral(path.read_bytes())
    assert report.created == 0
    assert "outside the United Kingdom" in report.errors[0][1]  # latitude 100, longitude 101


def test_list_without_locations_reports_each_item(demo_site, shared_data):
    path = shared_data / "schemas/openreferral/examples/uk-profile-valid/service_list.json"
    report = import_openreferral(path.read_bytes())
    assert report.errors and all("no location" in message for _n, message in report.errors)


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "not valid JSON (line 1, column 2"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b'"a string"', "Expected an Open Referral service"),
])
def test_files_that_are_not_oruk_json_are_refused(demo_site, content, message):
    report = import_openreferral(content)
    assert message in report.errors[0][1] and not Asset.objects.exists()


def test_command_dry_run(demo_site, tmp_path):
    path = tmp_path / "services.json"
    path.write_text(json.dumps([{"id": "not-a-uuid", "name": "X"}]))
    out = io.StringIO()
    call_command("import_openreferral", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "is not a UUID" in out.getvalue()
