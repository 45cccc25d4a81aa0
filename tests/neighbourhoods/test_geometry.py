"""Boundary validation: each kind of bad input gets its own code and a message saying what to do."""

import json

import pytest
from shapely.geometry import LinearRing, shape

from portal.neighbourhoods.geometry import BoundaryError, check_crs, parse_boundary

# A small square in Harlesden, [lng, lat], counter-clockwise.
SQUARE = [[-0.25, 51.53], [-0.24, 51.53], [-0.24, 51.54], [-0.25, 51.54], [-0.25, 51.53]]
CLOCKWISE_SQUARE = list(reversed(SQUARE))


def polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(ring) for ring in rings]}


def assert_rejected(value, code, *fragments):
    with pytest.raises(BoundaryError) as caught:
        parse_boundary(value)
    assert caught.value.code == code, caught.value.message
    for fragment in fragments:
        assert fragment in caught.value.message
    return caught.value


@pytest.mark.parametrize(
    ("value", "code", "fragments"),
    [
        pytest.param("{not json", "not_json", ["not valid JSON", "line 1, column 2"],
                     id="not-json"),
        pytest.param("   ", "empty", ["empty"], id="blank-text"),
        pytest.param("[1, 2]", "not_geojson", ["GeoJSON object"], id="json-array"),
        pytest.param({"type": "Point", "coordinates": [-0.24, 51.53]}, "not_polygon",
                     ["Polygon or MultiPolygon, not Point"], id="point"),
        pytest.param({"type": "LineString", "coordinates": SQUARE}, "not_polygon",
                     ["not LineString"], id="linestring"),
        pytest.param({"coordinates": [SQUARE]}, "not_polygon", ["without a type"], id="no-type"),
        pytest.param({"type": "Polygon", "coordinates": []}, "empty", ["no coordinates"],
                     id="no-coordinates"),
        pytest.param({"type": "MultiPolygon", "coordinates": [[[]]]}, "empty", ["no coordinates"],
                     id="no-positions"),
        pytest.param(polygon([[-0.25, 51.53]] * 4), "empty", ["enclose no area"],
                     id="all-one-point"),
        pytest.param(polygon([[-0.25, 51.53], [-0.24, 51.54], [-0.23, 51.55], [-0.25, 51.53]]),
                     "empty", ["enclose no area"], id="collinear"),
        pytest.param(polygon([[-0.25, 51.53], ["x", 51.54], [-0.24, 51.54], [-0.25, 51.53]]),
                     "malformed", ["not a pair of numbers"], id="position-not-numbers"),
        pytest.param(polygon([[-0.25, 51.53], [-0.24, 51.54]]), "malformed",
                     ["at least four positions"], id="ring-too-short"),
    ],
)
def test_bad_input_gets_specific_error(value, code, fragments):
    assert_rejected(value, code, *fragments)


def test_bow_tie_is_a_self_intersection_with_its_location():
    # The two lobes' signed areas cancel out, so this must not be mistaken for "empty".
    bow_tie = polygon([[-0.25, 51.53], [-0.24, 51.54], [-0.24, 51.53], [-0.25, 51.54],
                       [-0.25, 51.53]])
    error = assert_rejected(bow_tie, "self_intersection", "crosses itself")
    assert "longitude -0.245, latitude 51.535" in error.message


def test_hole_outside_its_ring_is_invalid_but_not_called_a_crossing():
    hole = [[-0.20, 51.50], [-0.19, 51.50], [-0.19, 51.51], [-0.20, 51.51], [-0.20, 51.50]]
    error = assert_rejected(polygon(SQUARE, hole), "invalid", "Hole lies outside shell")
    assert "holes lie inside" in error.message


def test_swapped_latitude_and_longitude():
    swapped = [[lat, lng] for lng, lat in SQUARE]
    assert_rejected(polygon(swapped), "swapped", "swapped", "[longitude, latitude]")


def test_outside_the_uk():
    paris = [[2.34 + dx, 48.85 + dy] for dx, dy in [(0, 0), (0.01, 0), (0.01, 0.01), (0, 0)]]
    assert_rejected(polygon(paris), "outside_uk", "outside the UK", "2.34, 48.85")


def test_british_national_grid_metres_are_not_wgs84():
    # Harlesden in British National Grid (EPSG:27700) easting/northing.
    bng = [[520000, 183000], [521000, 183000], [521000, 184000], [520000, 184000],
           [520000, 183000]]
    assert_rejected(polygon(bng), "not_wgs84", "not WGS84", "British National Grid", "EPSG:4326")


@pytest.mark.parametrize("name", ["urn:ogc:def:crs:EPSG::27700", "EPSG:3857"])
def test_unsupported_crs(name):
    value = {**polygon(SQUARE), "crs": {"type": "name", "properties": {"name": name}}}
    assert_rejected(value, "crs", name, "EPSG:4326")


def test_unsupported_crs_on_a_feature_collection():
    with pytest.raises(BoundaryError) as caught:
        check_crs({"type": "FeatureCollection", "features": [],
                   "crs": {"type": "name", "properties": {"name": "EPSG:27700"}}})
    assert caught.value.code == "crs"


@pytest.mark.parametrize(
    "crs", [None, {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}]
)
def test_obsolete_wgs84_crs_member_is_accepted(crs):
    value = {**polygon(SQUARE), "crs": crs}
    assert parse_boundary(value).geometry.area > 0


@pytest.mark.parametrize(
    "value",
    [
        polygon(SQUARE),
        json.dumps(polygon(SQUARE)),
        json.dumps(polygon(SQUARE)).encode(),
        {"type": "Feature", "properties": {}, "geometry": polygon(SQUARE)},
    ],
    ids=["dict", "text", "bytes", "feature"],
)
def test_valid_polygon_is_accepted_in_every_form(value):
    boundary = parse_boundary(value)
    assert boundary.geojson["type"] == "Polygon"
    assert boundary.geometry.area == pytest.approx(0.0001)
    lat, lng = boundary.centroid
    assert boundary.geometry.contains(shape({"type": "Point", "coordinates": [lng, lat]}))


def test_valid_multipolygon_is_accepted_and_stays_multi():
    east = [[lng + 0.05, lat] for lng, lat in SQUARE]
    boundary = parse_boundary({"type": "MultiPolygon", "coordinates": [[SQUARE], [east]]})
    assert boundary.geojson["type"] == "MultiPolygon"
    assert len(boundary.geojson["coordinates"]) == 2
    assert boundary.bbox == (-0.25, 51.53, -0.19, 51.54)


def test_clockwise_rings_are_reoriented_to_rfc_7946():
    hole = [[-0.248, 51.532], [-0.246, 51.532], [-0.246, 51.534], [-0.248, 51.534],
            [-0.248, 51.532]]  # counter-clockwise: the wrong way for a hole
    boundary = parse_boundary(polygon(CLOCKWISE_SQUARE, hole))
    exterior, interior = boundary.geojson["coordinates"]
    assert LinearRing(exterior).is_ccw
    assert not LinearRing(interior).is_ccw


def test_geojson_is_plain_json_that_round_trips():
    geojson = parse_boundary(polygon(SQUARE)).geojson
    assert json.loads(json.dumps(geojson)) == geojson
    assert isinstance(geojson["coordinates"][0][0], list)


def test_bounding_box_never_cuts_off_the_boundary():
    ring = [[-0.2500004, 51.5300004], [-0.2399996, 51.5300004], [-0.2399996, 51.5399996],
            [-0.2500004, 51.5399996], [-0.2500004, 51.5300004]]
    boundary = parse_boundary(polygon(ring))
    min_lng, min_lat, max_lng, max_lat = boundary.bbox
    bounds = boundary.geometry.bounds
    assert min_lng <= bounds[0] and min_lat <= bounds[1]
    assert max_lng >= bounds[2] and max_lat >= bounds[3]


def test_real_ons_wards_are_clockwise_and_come_out_counter_clockwise(brent_wards):
    for feature in brent_wards["features"]:
        assert not LinearRing(feature["geometry"]["coordinates"][0]).is_ccw
        boundary = parse_boundary(feature)
        assert LinearRing(boundary.geojson["coordinates"][0]).is_ccw
