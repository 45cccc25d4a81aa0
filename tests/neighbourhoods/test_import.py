"""Boundary and postcode imports, through the service functions and the management commands."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from portal.neighbourhoods import services
from portal.neighbourhoods.boundary_import import guess_property_names, import_boundaries
from portal.neighbourhoods.models import Locality, Neighbourhood, Postcode
from portal.neighbourhoods.postcode_import import PostcodeImportError, import_postcodes

from .conftest import ASSETS, BRENT_WARDS, GATESHEAD_WARDS, read_csv

pytestmark = pytest.mark.django_db

BOW_TIE = {"type": "Polygon", "coordinates": [[
    [-0.25, 51.53], [-0.24, 51.54], [-0.24, 51.53], [-0.25, 51.54], [-0.25, 51.53]]]}


def import_wards(collection, **kwargs):
    return import_boundaries(collection, "WD13CD", "WD13NM", **kwargs)


# --- Real ward files ---------------------------------------------------------------------------


def test_real_ward_files_import_as_43_neighbourhoods(brent_wards, gateshead_wards):
    brent = import_boundaries(BRENT_WARDS.read_bytes(), "WD13CD", "WD13NM")
    gateshead = import_boundaries(GATESHEAD_WARDS.read_text(), "WD13CD", "WD13NM")

    assert brent.counts == {"created": 21, "updated": 0, "unchanged": 0, "failed": 0}
    assert gateshead.counts == {"created": 22, "updated": 0, "unchanged": 0, "failed": 0}
    assert Neighbourhood.objects.count() == 43
    harlesden = Neighbourhood.objects.get(code="E05000091")
    assert (harlesden.name, harlesden.slug) == ("Harlesden", "harlesden")
    assert harlesden.bbox_min_lng < harlesden.centroid_lng < harlesden.bbox_max_lng
    assert harlesden.boundary["type"] == "Polygon"
    assert "Boundaries imported: 21 neighbourhoods created" in brent.summary()


def test_reimport_is_idempotent(brent_wards):
    import_wards(brent_wards)
    before = dict(Neighbourhood.objects.values_list("code", "updated_at"))

    again = import_wards(brent_wards)

    assert again.counts == {"created": 0, "updated": 0, "unchanged": 21, "failed": 0}
    assert dict(Neighbourhood.objects.values_list("code", "updated_at")) == before


def test_reimport_updates_only_what_changed(brent_wards):
    import_wards(brent_wards)
    changed = copy.deepcopy(brent_wards)
    changed["features"][0]["properties"]["WD13NM"] = "Alperton Ward"
    ring = changed["features"][1]["geometry"]["coordinates"][0]
    ring.insert(1, [(ring[0][0] + ring[1][0]) / 2, (ring[0][1] + ring[1][1]) / 2])

    report = import_wards(changed)

    assert report.counts == {"created": 0, "updated": 2, "unchanged": 19, "failed": 0}
    assert report.updated == ["E05000085", "E05000086"]
    alperton = Neighbourhood.objects.get(code="E05000085")
    assert (alperton.name, alperton.slug) == ("Alperton Ward", "alperton")  # the URL stays


def test_every_library_lands_in_its_expected_ward(imported_wards, assets_dir):
    expected = {row["library_id"]: row for row in read_csv(ASSETS / "libraries_expected_wards.csv")}
    libraries = read_csv(ASSETS / "libraries_brent_gateshead.csv")
    codes = dict(Neighbourhood.objects.values_list("pk", "code"))
    assert len(libraries) == 29

    points = [(float(row["lat"]), float(row["lng"])) for row in libraries]
    found_one_by_one = [codes.get(imported_wards.locate(lat, lng)) for lat, lng in points]
    found_together = [codes.get(pk) for pk in imported_wards.locate_many(points)]

    wanted = [expected[row["id"]]["ward_code"] for row in libraries]
    assert found_one_by_one == wanted
    assert found_together == wanted
    willesden = next(row for row in libraries if row["name"] == "Willesden Green")
    assert services.neighbourhood_for_point(
        float(willesden["lat"]), float(willesden["lng"])).name == "Willesden Green"


def test_libraries_of_neighbouring_authorities_are_outside_every_neighbourhood(
    imported_wards, assets_dir
):
    libraries = read_csv(ASSETS / "libraries_neighbouring_authorities.csv")
    points = [(float(row["lat"]), float(row["lng"])) for row in libraries]
    assert len(points) == 120
    assert imported_wards.locate_many(points) == [None] * 120
    assert [imported_wards.locate(lat, lng) for lat, lng in points] == [None] * 120


# --- All or nothing, with every problem reported ----------------------------------------------


def test_one_bad_feature_saves_nothing_and_is_reported(brent_wards):
    brent_wards["features"][2]["geometry"] = BOW_TIE

    report = import_wards(brent_wards)

    assert not report.ok and not report.saved
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 0, "failed": 1}
    assert Neighbourhood.objects.count() == 0
    [message] = report.messages
    assert message.startswith("Feature 3 (E05000087 Brondesbury Park): The boundary is not a "
                              "valid shape: it crosses itself")
    assert report.problems[0].feature_number == 3
    assert report.summary() == "Nothing was imported: 1 feature has a problem."


def test_every_bad_feature_is_listed(brent_wards):
    features = brent_wards["features"]
    features[0]["geometry"] = {"type": "Point", "coordinates": [-0.3, 51.55]}
    features[4]["properties"]["WD13NM"] = None
    features[6]["properties"]["WD13CD"] = features[5]["properties"]["WD13CD"]
    ring = features[9]["geometry"]["coordinates"][0]
    features[9]["geometry"]["coordinates"][0] = [[lat, lng] for lng, lat in ring]
    features[12]["geometry"] = None

    report = import_wards(brent_wards)

    assert Neighbourhood.objects.count() == 0
    assert [(p.feature_number, p.code) for p in report.problems] == [
        (1, "not_polygon"), (5, "no_name"), (7, "duplicate_code"), (10, "swapped"),
        (13, "no_geometry"),
    ]
    assert report.messages[2] == (
        "Feature 7 (E05000090 Harlesden): Feature 6 has the same code.")
    assert report.messages[1] == (
        "Feature 5 (E05000089): It has no value for the name property “WD13NM”.")


def test_a_later_failure_leaves_earlier_rows_unsaved(brent_wards, gateshead_wards):
    import_wards(gateshead_wards)
    brent_wards["features"][-1]["geometry"] = BOW_TIE
    import_wards(brent_wards)
    assert Neighbourhood.objects.count() == 22


def test_wrong_property_names_list_the_ones_that_exist(brent_wards):
    report = import_boundaries(brent_wards, "code", "WD13NM")

    assert Neighbourhood.objects.count() == 0
    [problem] = report.problems
    assert problem.parameter == "code_property"
    assert problem.message == (
        "No feature has a property called “code”. The features have these properties: "
        "WD13CD, WD13CDO, WD13NM, WD13NMW.")


@pytest.mark.parametrize(
    ("document", "code", "fragment"),
    [
        ("{oops", "not_json", "not valid JSON (line 1, column 2"),
        (b"\xff\xfe\x00", "not_json", "not UTF-8"),
        ("", "empty", "empty"),
        ('{"type": "Polygon", "coordinates": []}', "not_feature_collection", "not Polygon"),
        ('{"type": "FeatureCollection", "features": []}', "no_features", "no features"),
        ('{"type": "FeatureCollection", "features": [], "crs": {"type": "name", "properties": '
         '{"name": "urn:ogc:def:crs:EPSG::27700"}}}', "no_features", "no features"),
    ],
)
def test_unreadable_files_get_one_clear_message(document, code, fragment):
    report = import_boundaries(document, "WD13CD", "WD13NM")
    [problem] = report.problems
    assert (problem.code, problem.parameter) == (code, "document")
    assert fragment in problem.message


def test_british_national_grid_file_is_refused_by_its_crs(brent_wards):
    brent_wards["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    [problem] = import_wards(brent_wards).problems
    assert problem.code == "crs"
    assert "EPSG::27700" in problem.message


def test_a_single_feature_is_accepted(brent_wards):
    report = import_wards(json.dumps(brent_wards["features"][6]))
    assert report.created == ["E05000091"]


# --- Slugs, localities, dry runs, invalidation ------------------------------------------------


def test_slugs_stay_unique_when_names_repeat(brent_wards):
    Neighbourhood.objects.create(
        name="Harlesden", code="OLD-1", boundary=brent_wards["features"][6]["geometry"])
    features = brent_wards["features"][:3]
    for feature in features:
        feature["properties"]["WD13NM"] = "Harlesden"

    import_wards({"type": "FeatureCollection", "features": features})

    assert sorted(Neighbourhood.objects.values_list("slug", flat=True)) == [
        "harlesden", "harlesden-2", "harlesden-3", "harlesden-4"]


def test_locality_is_created_and_assigned(brent_wards):
    report = import_wards(brent_wards, locality="Brent")
    brent = Locality.objects.get(name="Brent")
    assert brent.slug == "brent"
    assert brent.neighbourhoods.count() == 21 == len(report.created)

    gateshead = Locality.objects.create(name="Elsewhere", slug="elsewhere")
    moved = import_wards(brent_wards, locality=gateshead)
    assert len(moved.updated) == 21
    assert import_wards(brent_wards).counts["unchanged"] == 21  # no locality: keep theirs
    assert gateshead.neighbourhoods.count() == 21


def test_dry_run_reports_but_saves_nothing(brent_wards):
    report = import_wards(brent_wards, dry_run=True, locality="Brent")
    assert report.ok and not report.saved
    assert report.counts == {"created": 21, "updated": 0, "unchanged": 0, "failed": 0}
    assert Neighbourhood.objects.count() == 0
    assert not Locality.objects.exists()
    assert report.summary().startswith("Dry run, nothing was saved: 21 neighbourhoods would be")


def test_locator_is_invalidated_once_per_import(brent_wards, monkeypatch):
    bumps = []
    monkeypatch.setattr(services, "_bump_cache_version", lambda: bumps.append(1))
    import_wards(brent_wards)
    assert len(bumps) == 1


def test_import_is_visible_to_the_locator(brent_wards):
    point = (51.5365, -0.2486)  # Harlesden library
    assert services.get_locator().locate(*point) is None
    import_wards(brent_wards)
    assert services.get_locator().locate(*point) == Neighbourhood.objects.get(name="Harlesden").pk


def test_guess_property_names():
    def collection(*names):
        return {"features": [{"properties": dict.fromkeys(names, "x")}]}

    assert guess_property_names(collection("WD13CD", "WD13CDO", "WD13NM", "WD13NMW")) == (
        "WD13CD", "WD13NM")
    assert guess_property_names(collection("LSOA11CD", "LSOA11NM")) == ("LSOA11CD", "LSOA11NM")
    assert guess_property_names(collection("WD22CD", "WD22NM")) == ("WD22CD", "WD22NM")
    assert guess_property_names(collection("id", "title")) == (None, None)


# --- import_boundaries command ----------------------------------------------------------------


def run_command(*args):
    out = io.StringIO()
    call_command("import_boundaries", *args, stdout=out)
    return out.getvalue()


def test_command_imports_and_guesses_ons_property_names(wards_dir):
    output = run_command(str(BRENT_WARDS), "--locality", "Brent")
    assert "Reading codes from “WD13CD” and names from “WD13NM”." in output
    assert "21 neighbourhoods created, 0 updated and 0 unchanged" in output
    assert Locality.objects.get(name="Brent").neighbourhoods.count() == 21

    assert "0 neighbourhoods created, 0 updated and 21 unchanged" in run_command(str(BRENT_WARDS))


def test_command_dry_run_saves_nothing(wards_dir):
    output = run_command(str(GATESHEAD_WARDS), "--dry-run", "--locality", "Gateshead")
    assert "Dry run, nothing was saved: 22 neighbourhoods would be created" in output
    assert Neighbourhood.objects.count() == 0
    assert not Locality.objects.exists()


def test_command_takes_property_names(tmp_path, brent_wards):
    for feature in brent_wards["features"]:
        properties = feature["properties"]
        feature["properties"] = {"ref": properties["WD13CD"], "label": properties["WD13NM"]}
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps(brent_wards))

    with pytest.raises(CommandError) as caught:
        run_command(str(path))
    assert "Give --code-property and --name-property" in str(caught.value)
    assert "properties: ref, label" in str(caught.value)

    output = run_command(str(path), "--code-property", "ref", "--name-property", "label")
    assert "21 neighbourhoods created" in output


def test_command_fails_with_every_message(tmp_path, brent_wards):
    brent_wards["features"][2]["geometry"] = BOW_TIE
    brent_wards["features"][3]["geometry"] = None
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps(brent_wards))

    with pytest.raises(CommandError) as caught:
        run_command(str(path))

    message = str(caught.value)
    assert message.startswith("Nothing was imported: 2 features have problems.")
    assert "Feature 3 (E05000087 Brondesbury Park): The boundary is not a valid shape" in message
    assert "Feature 4 (E05000088 Dollis Hill): It has no geometry." in message
    assert Neighbourhood.objects.count() == 0


def test_command_reports_a_missing_or_broken_file(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        run_command(str(tmp_path / "missing.geojson"))
    broken = tmp_path / "broken.geojson"
    broken.write_text("{oops")
    with pytest.raises(CommandError, match="not valid JSON"):
        run_command(str(broken))


# --- Postcodes --------------------------------------------------------------------------------

ONSPD_HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,lat,long\n"
ONSPD_ROWS = [
    "NW108SE,NW10 8SE,NW10 8SE,198001,,E99999999,51.542300,-0.248700",
    "HA0 4BA,HA0  4BA,HA0 4BA,198001,,E99999999,51.552100,-0.301200",
    "NE8 4LN,NE8  4LN,NE8 4LN,198001,200512,E99999999,54.955000,-1.601000",  # terminated
    "ZZ9 9ZZ,ZZ9  9ZZ,ZZ9 9ZZ,202001,,E99999999,99.999999,0.000000",  # no location
    "NOTAPOSTCODE,,NOTAPOSTCODE,202001,,E99999999,51.5,-0.2",  # malformed
]


def write_onspd(tmp_path, rows=ONSPD_ROWS, header=ONSPD_HEADER, name="onspd.csv"):
    path = tmp_path / name
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_postcode_import_counts_and_skips(tmp_path):
    report = import_postcodes(write_onspd(tmp_path), batch_size=2)

    assert (report.rows, report.created, report.updated, report.terminated) == (5, 3, 0, 1)
    assert (report.skipped_no_location, report.skipped_invalid) == (1, 1)
    assert set(Postcode.objects.values_list("postcode", "terminated")) == {
        ("NW10 8SE", False), ("HA0 4BA", False), ("NE8 4LN", True)}
    assert Postcode.objects.get(postcode="NW10 8SE").latitude == 51.5423


def test_postcode_import_upserts(tmp_path):
    import_postcodes(write_onspd(tmp_path))
    moved = ["NW108SE,NW10 8SE,NW10 8SE,198001,202403,E99999999,51.600000,-0.250000"]

    report = import_postcodes(write_onspd(tmp_path, moved, name="newer.csv"))

    assert (report.created, report.updated) == (0, 1)
    nw10 = Postcode.objects.get(postcode="NW10 8SE")
    assert (nw10.latitude, nw10.terminated) == (51.6, True)
    assert Postcode.objects.count() == 3


def test_postcode_import_reads_pcd_when_there_is_no_pcds(tmp_path):
    rows = ["NW108SE,51.5423,-0.2487,", "HA0 4BA,51.5521,-0.3012,"]
    report = import_postcodes(write_onspd(tmp_path, rows, header="PCD,LAT,LONG,DOTERM\n"))
    assert report.created == 2
    assert Postcode.objects.filter(postcode="NW10 8SE").exists()


def test_postcode_dry_run_saves_nothing(tmp_path):
    report = import_postcodes(write_onspd(tmp_path), dry_run=True)
    assert report.created == 3
    assert not Postcode.objects.exists()
    assert report.summary().startswith("Dry run, nothing was saved: 5 rows read; 3 postcodes")


def test_postcode_import_refuses_other_csv_files(tmp_path):
    with pytest.raises(PostcodeImportError) as caught:
        import_postcodes(write_onspd(tmp_path, ["a,b"], header="name,address\n"))
    assert "Its columns are: name, address." in caught.value.message


def test_import_postcodes_command_shows_progress(tmp_path):
    out = io.StringIO()
    call_command("import_postcodes", str(write_onspd(tmp_path)), "--progress-every", "2",
                 stdout=out)
    output = out.getvalue()
    assert "2 rows read…" in output and "4 rows read…" in output
    assert "5 rows read; 3 postcodes added and 0 updated (1 of them terminated); 1 skipped " \
           "with no location and 1 skipped as invalid." in output
    assert Postcode.objects.count() == 3


def test_import_postcodes_command_dry_run_and_errors(tmp_path):
    out = io.StringIO()
    call_command("import_postcodes", str(write_onspd(tmp_path)), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert not Postcode.objects.exists()
    with pytest.raises(CommandError, match="not an ONS Postcode Directory file"):
        call_command("import_postcodes", str(write_onspd(tmp_path, ["x"], header="x\n")))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_postcodes", str(tmp_path / "missing.csv"))
