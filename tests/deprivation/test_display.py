"""The deprivation layer's display: GeoJSON features clipped to the neighbourhood, the legend
and its colours, the table and summary, the SVG for the PDF and the template tags."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.template import Context, Template
from shapely.geometry import shape
from shapely.geometry.polygon import LinearRing

from portal.deprivation import display
from portal.deprivation.models import NeighbourhoodNeed, StatisticalArea
from portal.deprivation.svg import deprivation_svg
from portal.neighbourhoods.models import Neighbourhood

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(display.__file__).resolve().parents[1] / "static/portal/css/deprivation.css"


def box(min_lng, min_lat, max_lng, max_lat):
    """A clockwise rectangle, as the ONS files draw them."""
    return {"type": "Polygon", "coordinates": [[
        [min_lng, min_lat], [min_lng, max_lat], [max_lng, max_lat], [max_lng, min_lat],
        [min_lng, min_lat]]]}


@pytest.fixture
def neighbourhood(db):
    return Neighbourhood.objects.create(name="Testwick", slug="testwick", code="E05999999",
                                        boundary=box(-0.26, 51.54, -0.22, 51.56))


@pytest.fixture
def need(neighbourhood):
    """West half decile 2, east half decile 7, and an area half outside in decile 1."""
    for code, name, geometry, decile, population in (
        ("E01000001", "Testwick 001A", box(-0.26, 51.54, -0.24, 51.56), 2, 1500),
        ("E01000002", "Testwick 001B", box(-0.24, 51.55, -0.22, 51.56), 7, 1200),
        ("E01000003", "Testwick 001C", box(-0.24, 51.53, -0.22, 51.55), 1, 1600),
    ):
        StatisticalArea.objects.create(code=code, name=name, geometry=geometry,
                                       population=population, imd_rank=decile * 3000,
                                       imd_decile=decile)
    return NeighbourhoodNeed.objects.create(
        neighbourhood=neighbourhood, population=3500, imd_rank=9000.0, imd_decile=3,
        quintile_population={"1": 2300, "2": 0, "3": 0, "4": 1200, "5": 0},
        areas=[
            {"code": "E01000001", "name": "Testwick 001A", "decile": 2, "area_share": 1.0,
             "people": 1500},
            {"code": "E01000002", "name": "Testwick 001B", "decile": 7, "area_share": 1.0,
             "people": 1200},
            {"code": "E01000003", "name": "Testwick 001C", "decile": 1, "area_share": 0.5,
             "people": 800},
        ])


def test_layer_has_every_area_clipped_to_the_neighbourhood(neighbourhood, need,
                                                          django_assert_num_queries):
    neighbourhood = Neighbourhood.objects.get(pk=neighbourhood.pk)
    with django_assert_num_queries(2):
        layer = display.neighbourhood_layer(neighbourhood)
    features = layer["geojson"]["features"]
    assert layer["geojson"]["type"] == "FeatureCollection"
    assert {f["properties"]["code"] for f in features} == {"E01000001", "E01000002", "E01000003"}
    boundary = shape(neighbourhood.boundary).buffer(1e-5)
    for feature in features:
        geometry = shape(feature["geometry"])
        assert geometry.within(boundary), feature["properties"]["code"]
        ring = feature["geometry"]["coordinates"][0]
        assert LinearRing(ring).is_ccw  # RFC 7946 winding, though the source was clockwise
        x, y = feature["properties"]["label_point"]
        assert geometry.buffer(1e-5).contains(shape({"type": "Point", "coordinates": [x, y]}))
    straddling = next(f for f in features if f["properties"]["code"] == "E01000003")
    assert shape(straddling["geometry"]).bounds[1] == pytest.approx(51.54)  # cut at the edge
    properties = straddling["properties"]
    assert properties["decile"] == 1
    assert properties["colour"] == display.PALETTE[0]
    assert properties["label"] == "Decile 1 (among the 10% most deprived in England)"
    assert layer["source"] == "English Indices of Deprivation 2019, MHCLG"


def test_table_is_most_deprived_first_with_whole_percent_shares(neighbourhood, need):
    layer = display.neighbourhood_layer(neighbourhood)
    rows = layer["table"]
    assert [row["code"] for row in rows] == ["E01000003", "E01000001", "E01000002"]
    assert [row["share"] for row in rows] == [23, 43, 34]  # 800, 1500, 1200 of 3,500
    assert [row["share_text"] for row in rows] == ["23%", "43%", "34%"]
    assert rows[2]["label"] == "Decile 7 (among the 40% least deprived in England)"
    summary = layer["summary"]
    assert summary["decile"] == 3
    assert summary["label"] == "Decile 3 (among the 30% most deprived in England)"
    assert summary["most_deprived_share"] == 66  # 2,300 of 3,500 in national quintile 1


def test_share_that_rounds_to_nothing_is_under_one_percent():
    assert display.percent_text(0.004) == "under 1%"
    assert display.percent_text(0.0) == "0%"
    assert display.percent_text(0.996) == "100%"
    assert display.percent_text(None) == "not known"


def test_area_without_a_stored_boundary_stays_in_the_table(neighbourhood, need):
    StatisticalArea.objects.filter(code="E01000002").delete()
    layer = display.neighbourhood_layer(neighbourhood)
    assert len(layer["table"]) == 3
    assert len(layer["geojson"]["features"]) == 2


def test_area_with_a_broken_stored_decile_is_left_off_not_a_crash(neighbourhood, need):
    need.areas[1]["decile"] = 11
    need.areas[2]["decile"] = None
    need.save()
    layer = display.neighbourhood_layer(neighbourhood)
    assert [row["code"] for row in layer["table"]] == ["E01000001"]
    need.imd_decile = 0
    need.save()
    assert display.neighbourhood_layer(neighbourhood) is None


def test_no_need_data_means_no_layer(neighbourhood):
    assert display.neighbourhood_layer(neighbourhood) is None
    assert display.neighbourhood_layer(None) is None
    NeighbourhoodNeed.objects.create(neighbourhood=neighbourhood, population=0, imd_rank=1.0,
                                     imd_decile=1, areas=[])
    assert display.neighbourhood_layer(Neighbourhood.objects.get(pk=neighbourhood.pk)) is None
    assert deprivation_svg(None) == ""


def test_legend_names_ten_steps_dark_to_light_with_readable_labels():
    steps = display.legend()
    assert [step["decile"] for step in steps] == list(range(1, 11))
    assert steps[0]["end"] == "most deprived" and steps[-1]["end"] == "least deprived"
    assert all(step["label"].startswith(f"Decile {step['decile']} (") for step in steps)
    luminance = [display._luminance(step["colour"]) for step in steps]
    assert luminance == sorted(luminance)  # dark = most deprived, getting lighter
    for step in steps:
        assert display.contrast_ratio(step["colour"], step["text_colour"]) >= 4.5, step


def test_decile_out_of_range_is_a_clear_error():
    with pytest.raises(ValueError, match="1 to 10"):
        display.decile_label(11)
    with pytest.raises(ValueError, match="1 to 10"):
        display.decile_colour(0)


def test_stylesheet_swatches_match_the_palette():
    css = CSS.read_text()
    for decile, colour in enumerate(display.PALETTE, start=1):
        rule = re.search(rf"\.deprivation-swatch--{decile} \{{ background: (#[0-9a-f]{{6}}); "
                         r"color: (#[0-9a-f]{6}); \}", css)
        assert rule, decile
        assert rule.groups() == (colour, display.text_colour(colour))


def test_svg_is_well_formed_with_title_desc_legend_and_decile_numbers(neighbourhood, need):
    svg = deprivation_svg(display.neighbourhood_layer(neighbourhood))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Deprivation by area in Testwick"
    assert "3 statistical areas" in root.find(f"{SVG}desc").text
    paths = root.findall(f"{SVG}path")
    assert {path.get("fill") for path in paths} == {display.PALETTE[0], display.PALETTE[1],
                                                    display.PALETTE[6]}
    assert all(path.find(f"{SVG}title").text.count("Decile") == 1 for path in paths)
    texts = [text.text for text in root.iter(f"{SVG}text")]
    legend_swatches = [rect for rect in root.iter(f"{SVG}rect")]
    assert len(legend_swatches) == 10
    assert texts.count("1") == 2 and texts.count("2") == 2 and texts.count("7") == 2
    assert "most deprived" in texts and "least deprived" in texts
    for x in (float(t.get("x")) for t in root.iter(f"{SVG}text")):
        assert 0 <= x <= 640


def test_svg_escapes_names(neighbourhood, need):
    layer = display.neighbourhood_layer(neighbourhood)
    layer["name"] = "Brook & <Vale>"
    layer["geojson"]["features"][0]["properties"]["name"] = "A & B"
    root = ET.fromstring(deprivation_svg(layer))  # would fail on a bare & or <
    assert root.find(f"{SVG}title").text == "Deprivation by area in Brook & <Vale>"


def render(source, **context):
    return Template("{% load deprivation %}" + source).render(Context(context))


def test_web_tag_renders_heading_map_legend_table_and_data_island(neighbourhood, need):
    html = render("{% deprivation_layer neighbourhood heading_class='heading-m' %}",
                  neighbourhood=neighbourhood, PORTAL_MAP_TILES_URL="")
    assert '<h2 class="heading-m" id="deprivation-heading">Need: deprivation by area</h2>' in html
    assert 'role="region" aria-label="Map of deprivation by area in Testwick"' in html
    assert '<script id="deprivation-map-data" type="application/json">' in html
    assert "English Indices of Deprivation 2019, MHCLG" in html
    assert html.count('class="deprivation-legend__item"') == 10
    assert "Testwick 001C <span" in html and "23%" in html and "Share of residents" in html
    assert "66% of its residents live in areas among the most deprived 20% in England." in html
    assert "Testwick as a whole is in decile 3, among the 30% most deprived in England." in html
    assert "style=" not in html  # the Content Security Policy allows no inline style


def test_tags_render_nothing_without_need_data(neighbourhood):
    assert not render("{% deprivation_layer neighbourhood %}", neighbourhood=neighbourhood).strip()
    assert render("{% deprivation_layer_pdf neighbourhood %}",
                  neighbourhood=neighbourhood).strip() == ""
    assert render("{% deprivation_layer None %}").strip() == ""


def test_pdf_tag_has_svg_and_table_and_leaves_the_svg_out_without_graphics(neighbourhood, need):
    html = render("{% deprivation_layer_pdf neighbourhood %}", neighbourhood=neighbourhood)
    assert '<h2 id="need">Need: deprivation by area</h2>' in html
    assert "<svg" in html and "<table>" in html
    assert "Decile 7 (among the 40% least deprived in England)" in html
    plain = render("{% deprivation_layer_pdf neighbourhood without_graphics=True %}",
                   neighbourhood=neighbourhood)
    assert "<svg" not in plain and "<table>" in plain
