"""Every kind of bad input gets a clear message, and nothing is written (all or nothing)."""

import json

import pytest

from portal.deprivation.importer import import_deprivation
from portal.deprivation.models import StatisticalArea

from .conftest import BRENT_LSOAS, IMD_FILE

pytestmark = pytest.mark.django_db

HEADER = ("LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
          "Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,"
          "Index of Multiple Deprivation (IMD) Decile\r\n")


def square(x=-0.30, y=51.50, size=0.01):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size],
                                                [x, y + size], [x, y]]]}


def collection(*features, crs=None):
    document = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(document)


def feature(code="E01000471", geometry=None):
    return {"type": "Feature", "properties": {"LSOA11CD": code, "LSOA11NM": "Brent 026A"},
            "geometry": geometry or square()}


def imd(*rows):
    return HEADER + "".join(f"{row}\r\n" for row in rows)


POPULATION = ("LSOA code (2011),Total population: mid 2015 (excluding prisoners)\r\n"
              "E01000471,\"1,586\"\r\n")
GOOD_ROW = 'E01000471,Brent 026A,E09000005,Brent,"13,163",5'


def run(boundaries=None, imd_text=None, population=POPULATION, **kwargs):
    return import_deprivation(boundaries=boundaries or collection(feature()),
                              imd=imd_text or imd(GOOD_ROW), population=population, **kwargs)


def messages(report) -> str:
    assert not report.ok
    assert not StatisticalArea.objects.filter(code="E01000471", imd_rank=13163).exists()
    return "\n".join(report.messages)


@pytest.fixture(autouse=True)
def existing(db):
    """An area already imported, which a failed import must leave exactly as it is."""
    return StatisticalArea.objects.create(code="E01000471", name="Old", geometry=square(),
                                          imd_rank=7, imd_decile=1)


def test_a_good_small_import_with_thousands_separators_and_crlf():
    report = run()
    assert report.ok and report.updated == ["E01000471"]
    area = StatisticalArea.objects.get()
    assert (area.imd_rank, area.imd_decile, area.population) == (13163, 5, 1586)


def test_missing_columns_are_named():
    text = messages(run(imd_text="LSOA code (2011),Index of Multiple Deprivation (IMD) Rank\r\n"
                                 "E01000471,5\r\n"))
    assert "missing the columns" in text
    assert "“Index of Multiple Deprivation (IMD) Decile”" in text
    no_code = messages(run(population="Code,Total population\r\nE01000471,5\r\n"))
    assert "“LSOA code (2011)”" in no_code


def test_extra_columns_are_reported_as_ignored():
    report = run(imd_text=HEADER.replace("\r\n", ",Notes\r\n") + GOOD_ROW + ",hello\r\n")
    assert report.ok
    assert any("“IMD file (File 1): Notes”" in note for note in report.notes())


@pytest.mark.parametrize(("row", "expected"), [
    ('E01000471,Brent 026A,E09000005,Brent,"13,163",11', "a decile must be from 1 to 10"),
    ("E01000471,Brent 026A,E09000005,Brent,13163,0", "a decile must be from 1 to 10"),
    ('E01000471,Brent 026A,E09000005,Brent,"32,845",5', "a rank must be from 1 to 32,844"),
    ("E01000471,Brent 026A,E09000005,Brent,0,5", "a rank must be from 1 to 32,844"),
    ("E01000471,Brent 026A,E09000005,Brent,high,5", "“high” is not a whole number"),
    ("E01000471,Brent 026A,E09000005,Brent,12.5,5", "“12.5” is not a whole number"),
    ("E01000471,Brent 026A,E09000005,Brent,,5", "“” is not a whole number"),
    ("Brent 026A,E01000471,E09000005,Brent,1,5", "is not an LSOA code"),
])
def test_bad_values_name_their_row(row, expected):
    text = messages(run(imd_text=imd(row)))
    assert "row 2" in text and expected in text


def test_a_code_twice_is_refused_with_both_rows():
    text = messages(run(imd_text=imd(GOOD_ROW, GOOD_ROW)))
    assert "row 3" in text and "appears twice (first on row 2)" in text


def test_codes_not_in_the_boundary_set_are_skipped_and_counted():
    rows = [GOOD_ROW] + [f"E0100{n:04d},X,E09000005,Brent,100,1" for n in range(9000, 9008)]
    report = run(imd_text=imd(*rows))
    assert report.ok
    [skipped] = report.skipped
    assert skipped.message.startswith("8 areas skipped: not in the boundary file (E01009000")
    assert "and 3 more" in skipped.message


def test_no_code_in_common_is_an_error():
    text = messages(run(boundaries=collection(feature("E01009999"))))
    assert "No LSOA code is in both" in text


def test_british_national_grid_coordinates_say_to_convert_to_wgs84():
    metres = {"type": "Polygon", "coordinates": [[[520000, 180000], [521000, 180000],
                                                  [521000, 181000], [520000, 180000]]]}
    text = messages(run(boundaries=collection(feature(geometry=metres),
                                              feature("E01000472", metres))))
    assert "British National Grid" in text and "WGS84" in text and "ogr2ogr" in text
    assert text.count("British National Grid") == 1  # said once, not once per feature


def test_a_crs_member_naming_epsg_27700_is_refused():
    text = messages(run(boundaries=collection(
        feature(), crs="urn:ogc:def:crs:EPSG::27700")))
    assert "EPSG::27700" in text and "WGS84" in text


def test_the_obsolete_crs84_member_is_accepted():
    assert run(boundaries=collection(feature(), crs="urn:ogc:def:crs:OGC:1.3:CRS84")).ok


@pytest.mark.parametrize(("boundaries", "expected"), [
    ("{not json", "not valid JSON"),
    ("  ", "The file is empty"),
    ('{"type": "Polygon", "coordinates": []}', "FeatureCollection"),
    (json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature",
                 "properties": {}, "geometry": square()}]}), "no LSOA code"),
    (json.dumps({"type": "FeatureCollection", "features": [feature(geometry={
        "type": "Polygon", "coordinates": [[[-0.3, 51.5], [-0.29, 51.5], [-0.3, 51.51]]]})]}),
     "feature 1 (E01000471)"),
])
def test_invalid_geojson(boundaries, expected):
    assert expected in messages(run(boundaries=boundaries))


def test_a_file_that_is_not_utf8_or_not_csv():
    assert "not UTF-8" in messages(run(imd_text="é".encode("latin-1") + b"\r\n"))
    assert "has no rows" in messages(run(imd_text=HEADER))


def test_problems_in_several_files_are_all_listed(data):
    report = import_deprivation(boundaries=BRENT_LSOAS, imd=IMD_FILE,
                                population="LSOA code (2011)\r\nE01000471\r\n")
    text = messages(report)
    assert "Population file (File 6) is missing the columns" in text
    assert StatisticalArea.objects.count() == 1  # the area from before, untouched
    assert "Nothing was imported" in report.summary()
