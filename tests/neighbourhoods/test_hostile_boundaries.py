"""Boundary files that are hostile or inconsistent: deeply nested JSON, a FeatureCollection
with no `features`, rings that do not close, and neighbourhoods that overlap those already in
the portal. Each gets a clear message (refused) or warning (imported), never a server error."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from portal.neighbourhoods.boundary_import import import_boundaries, load_feature_collection
from portal.neighbourhoods.geometry import BoundaryError, parse_boundary
from portal.neighbourhoods.models import Neighbourhood

from .conftest import BRENT_WARDS, SHARED_DATA

BRENT_LSOAS = SHARED_DATA / "lsoa" / "brent_E09000005_lsoa.geojson"
IMPORT_URL = "/admin/neighbourhoods/import/"
# 200 KB of nested arrays: Python's JSON parser recurses once per level.
DEEP = b"[" * 100_000 + b"]" * 100_000
SQUARE = [[-0.25, 51.53], [-0.24, 51.53], [-0.24, 51.54], [-0.25, 51.54], [-0.25, 51.53]]


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def feature(code, name, coordinates, kind="Polygon"):
    return {"type": "Feature", "properties": {"code": code, "name": name},
            "geometry": {"type": kind, "coordinates": coordinates}}


@pytest.fixture
def admin_client(client, superuser, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(superuser)
    return client


# Deep nesting ------------------------------------------------------------------------------


def test_deeply_nested_json_is_refused_by_the_importer(db):
    report = import_boundaries(DEEP, "code", "name")
    assert [problem.code for problem in report.problems] == ["too_deep"]
    assert "nested too deeply" in report.messages[0]


def test_deeply_nested_json_is_refused_by_the_boundary_field():
    with pytest.raises(BoundaryError) as caught:
        parse_boundary(DEEP.decode())
    assert caught.value.code == "too_deep"


def test_deeply_nested_coordinates_within_the_parser_limit_get_a_short_message():
    deep = {"type": "Polygon", "coordinates": json.loads("[" * 500 + "]" * 500)}
    with pytest.raises(BoundaryError) as caught:
        parse_boundary(deep)
    assert caught.value.code == "malformed" and len(caught.value.message) < 200


def test_deeply_nested_json_is_refused_by_the_admin_upload(admin_client):
    response = admin_client.post(IMPORT_URL, {"file": SimpleUploadedFile("deep.geojson", DEEP)})
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    assert not Neighbourhood.objects.exists()


def test_deeply_nested_json_is_refused_by_the_command(tmp_path, db):
    path = tmp_path / "deep.geojson"
    path.write_bytes(DEEP)
    with pytest.raises(CommandError, match="nested too deeply"):
        call_command("import_boundaries", str(path), stdout=io.StringIO())


# A FeatureCollection without features --------------------------------------------------------


@pytest.mark.parametrize("document", [{"type": "FeatureCollection"},
                                      {"type": "FeatureCollection", "features": {}}])
def test_a_feature_collection_without_features_is_named_as_such(document):
    from portal.neighbourhoods.boundary_import import BoundaryImportError

    with pytest.raises(BoundaryImportError) as caught:
        load_feature_collection(json.dumps(document))
    assert caught.value.code == "no_features_member"
    assert "The FeatureCollection has no “features” list" in caught.value.message
    assert "not FeatureCollection" not in caught.value.message


def test_a_type_that_is_not_text_is_described_safely():
    from portal.neighbourhoods.boundary_import import BoundaryImportError

    with pytest.raises(BoundaryImportError) as caught:
        load_feature_collection(json.dumps({"type": [[["x"]]] * 50}))
    assert caught.value.code == "not_feature_collection" and "an object" in caught.value.message


# Rings ------------------------------------------------------------------------------------


def test_an_unclosed_ring_is_refused_with_the_message_that_says_it_must_close(db):
    unclosed = SQUARE[:-1] + [[-0.25, 51.535]]
    report = import_boundaries(collection(feature("X1", "Open", [unclosed])), "code", "name")
    assert [problem.code for problem in report.problems] == ["unclosed_ring"]
    message = report.messages[0]
    assert "Ring 1 of the boundary does not close" in message
    assert "[-0.25, 51.53]" in message and "[-0.25, 51.535]" in message
    assert not Neighbourhood.objects.exists()


def test_an_unclosed_ring_in_a_multipolygon_names_its_part():
    with pytest.raises(BoundaryError) as caught:
        parse_boundary({"type": "MultiPolygon",
                        "coordinates": [[SQUARE], [[[-0.2, 51.5], [-0.19, 51.5], [-0.19, 51.51],
                                                    [-0.2, 51.51]]]]})
    assert caught.value.code == "unclosed_ring"
    assert caught.value.message.startswith("Ring 1 of part 2 of the boundary does not close")


def test_a_short_ring_names_its_position_count():
    with pytest.raises(BoundaryError) as caught:
        parse_boundary({"type": "Polygon", "coordinates": [SQUARE, SQUARE[:2]]})
    assert caught.value.code == "malformed"
    assert "Ring 2 of the boundary has 2 positions" in caught.value.message


# Overlaps ---------------------------------------------------------------------------------


def test_lsoas_over_the_wards_are_imported_with_a_warning_naming_the_wards(wards_dir, db):
    assert import_boundaries(BRENT_WARDS.read_bytes(), "WD13CD", "WD13NM").ok
    report = import_boundaries(BRENT_LSOAS.read_bytes(), "LSOA11CD", "LSOA11NM", dry_run=True)
    assert report.ok and len(report.created) == 173
    assert len(report.warnings) == 173
    assert {warning.code for warning in report.warnings} == {"overlap"}
    assert report.warning_messages[0] == (
        "Feature 1 (E01000471 Brent 026A): It overlaps neighbourhoods already in the portal: "
        "Alperton (E05000085).")
    assert "173 features have warnings" in report.summary()


def test_neighbouring_wards_do_not_warn_and_a_reimport_does_not_overlap_itself(wards_dir, db):
    report = import_boundaries(BRENT_WARDS.read_bytes(), "WD13CD", "WD13NM")
    assert report.ok and report.warnings == []
    again = import_boundaries(BRENT_WARDS.read_bytes(), "WD13CD", "WD13NM")
    assert again.warnings == [] and len(again.unchanged) == 21


def test_overlapping_features_in_one_file_warn(db):
    shifted = [[x + 0.005, y] for x, y in SQUARE]
    report = import_boundaries(collection(feature("A", "West", [SQUARE]),
                                          feature("B", "East", [shifted])), "code", "name")
    assert report.ok and len(report.created) == 2
    assert report.warning_messages == [
        "Feature 2 (B East): It overlaps other features in this file: West (A)."]


def test_the_admin_upload_shows_overlap_warnings(admin_client, wards_dir):
    assert import_boundaries(BRENT_WARDS.read_bytes(), "WD13CD", "WD13NM").ok
    response = admin_client.post(IMPORT_URL, {
        "file": SimpleUploadedFile("lsoa.geojson", BRENT_LSOAS.read_bytes()),
        "dry_run": "on"}, follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert "173 features have warnings" in messages[0]
    assert sum("overlaps neighbourhoods already in the portal" in m for m in messages) == 20
    assert "153 more features have warnings" in messages[-1]


def test_the_command_lists_every_overlap(tmp_path, wards_dir, db):
    assert import_boundaries(BRENT_WARDS.read_bytes(), "WD13CD", "WD13NM").ok
    out = io.StringIO()
    call_command("import_boundaries", str(BRENT_LSOAS), "--dry-run", stdout=out)
    assert out.getvalue().count("overlaps neighbourhoods already in the portal") == 173


def test_deeply_nested_json_in_the_neighbourhood_editor_is_a_field_error(admin_client,
                                                                         wards_dir):
    assert import_boundaries(BRENT_WARDS.read_bytes(), "WD13CD", "WD13NM").ok
    neighbourhood = Neighbourhood.objects.order_by("code").first()
    url = f"/admin/snippets/neighbourhoods/neighbourhood/edit/{neighbourhood.pk}/"
    page = admin_client.get(url)
    assert page.status_code == 200
    response = admin_client.post(url, {
        "name": neighbourhood.name, "slug": neighbourhood.slug, "code": neighbourhood.code,
        "locality": "", "population": "", "boundary": DEEP.decode()})
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    neighbourhood.refresh_from_db()
    assert neighbourhood.boundary["type"] in {"Polygon", "MultiPolygon"}
