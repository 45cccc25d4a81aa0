"""Postcodes told apart: the covered districts, the three outcomes, and the demo's sample."""

import io
import json

import pytest
from django.core.management import call_command
from shapely.geometry import shape

from portal.demo import content
from portal.neighbourhoods import districts
from portal.neighbourhoods.districts import check_postcode_districts, covered_districts
from portal.neighbourhoods.geocoding import PostcodeError, geocode, place_postcode
from portal.neighbourhoods.models import Neighbourhood, Postcode
from portal.neighbourhoods.postcode_import import import_postcodes
from portal.neighbourhoods.services import get_locator

from .test_geocoding import postcode_service  # noqa: F401 (a fixture)

DEMO_DISTRICTS = {"HA0", "HA9", "NW10", "NW2", "NW6", "NW9"}
SAMPLE = json.loads(content.POSTCODES_FILE.read_text(encoding="utf-8"))["postcodes"]


@pytest.fixture(autouse=True)
def no_worked_out_districts():
    districts.forget_districts()
    yield
    districts.forget_districts()


def inside(code: str):
    return shape(Neighbourhood.objects.get(code=code).boundary).representative_point()


def outcome(typed: str) -> str:
    try:
        geocode(typed)
    except PostcodeError as error:
        return error.code
    return "found"


# The districts ----------------------------------------------------------------------------

def test_the_demo_covers_the_districts_of_its_postcodes_inside_a_neighbourhood(demo_site):
    # HA3 8UJ (Kenton library, Harrow) and HA8 0UB are loaded but outside every neighbourhood.
    assert Postcode.objects.filter(postcode="HA3 8UJ").exists()
    assert covered_districts() == DEMO_DISTRICTS


def test_the_setting_overrides_what_is_worked_out(demo_site, settings):
    settings.PORTAL_POSTCODE_DISTRICTS = ["nw10", "HA3"]
    assert covered_districts() == {"NW10", "HA3"}
    assert outcome("HA9 9ZZ") == "outside"  # not in the setting, though in the table's area
    assert outcome("HA3 9ZZ") == "not_found"
    settings.PORTAL_POSTCODE_DISTRICTS = "NW10, nw2"  # text split on commas works too
    assert covered_districts() == {"NW10", "NW2"}


@pytest.mark.django_db
def test_with_no_district_known_a_missing_postcode_is_not_found():
    assert covered_districts() == frozenset()
    assert outcome("SW1A 1AA") == "not_found"


def test_postcodes_far_from_the_neighbourhoods_count_for_nothing(demo_site):
    Postcode.objects.create(postcode="NE8 4LN", latitude=54.9527, longitude=-1.6034)
    assert "NE8" not in districts.derive_districts(get_locator())
    assert outcome("NE8 4LX") == "outside"


def test_an_import_adds_the_districts_of_new_postcodes_inside_a_neighbourhood(demo_site, tmp_path):
    assert "HA3" not in covered_districts()
    point = inside("BRENT-KINGSBURY-KENTON")
    csv_file = tmp_path / "onspd.csv"
    csv_file.write_text(f"pcds,lat,long,doterm\nHA3 0ZZ,{point.y},{point.x},\n")
    out = io.StringIO()
    call_command("import_postcodes", str(csv_file), stdout=out)
    assert "HA3" in covered_districts()
    assert "Postcode districts in the area (from the postcodes inside a neighbourhood): HA0, " \
           "HA3, HA9" in out.getvalue()
    assert outcome("HA3 0ZY") == "not_found"


def test_a_postcode_added_by_another_process_is_noticed(demo_site):
    assert "HA3" not in covered_districts()
    locator = get_locator()  # the same boundaries: only the postcode table changes
    point = inside("BRENT-KINGSBURY-KENTON")
    Postcode.objects.create(postcode="HA3 0ZZ", latitude=point.y, longitude=point.x)
    assert get_locator() is locator
    assert "HA3" in covered_districts()


def test_a_dry_run_import_leaves_the_districts_alone(demo_site, tmp_path):
    covered_districts()
    csv_file = tmp_path / "onspd.csv"
    csv_file.write_text("pcds,lat,long,doterm\nHA3 0ZZ,51.58,-0.28,\n")
    import_postcodes(csv_file, dry_run=True)
    assert covered_districts() == DEMO_DISTRICTS


@pytest.mark.parametrize(("value", "wrong"), [
    (["NW10", "NW10 8SE"], "NW10 8SE"), (["NW"], "NW"), (["10NW", "HA9"], "10NW"),
])
def test_a_setting_that_is_not_a_list_of_districts_fails_the_system_check(settings, value,
                                                                        wrong):
    settings.PORTAL_POSTCODE_DISTRICTS = value
    errors = check_postcode_districts(None)
    assert [error.id for error in errors] == ["neighbourhoods.E001"]
    assert wrong in errors[0].msg


def test_good_districts_pass_the_system_check(settings):
    settings.PORTAL_POSTCODE_DISTRICTS = ["NW10", "HA0", "W1A", "EC1A", "GIR"]
    assert check_postcode_districts(None) == []


# The three outcomes -------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "code", "words"), [
    ("NW10", "malformed", "“NW10” is not a postcode"),
    ("SW1A 1AA", "outside", "SW1A 1AA is not in our area"),
    ("NW10 9ZZ", "not_found", "We could not find the postcode NW10 9ZZ"),
    ("ZZ1 1ZZ", "outside", "ZZ1 1ZZ is not in our area"),
])
def test_each_outcome_has_its_own_message_naming_the_postcode(demo_site, typed, code, words):
    with pytest.raises(PostcodeError) as caught:
        geocode(typed, "Next, do this.")
    assert caught.value.code == code
    assert str(caught.value.message).startswith(words)
    assert str(caught.value.message).endswith(" Next, do this.")


def test_a_real_postcode_outside_every_neighbourhood_is_found_but_not_in_our_area(demo_site):
    # Childs Hill library, in Barnet but in NW2, a district Brent shares.
    assert geocode("NW2 2QE").postcode == "NW2 2QE"  # an asset or a venue may be there
    with pytest.raises(PostcodeError) as caught:
        place_postcode("nw2 2qe")
    assert caught.value.code == "outside" and caught.value.postcode == "NW2 2QE"
    assert "NW2 2QE is not in our area" in str(caught.value.message)


def test_the_reported_postcode_now_finds_harlesden(demo_site):
    placed = place_postcode("nw10 4lb")
    assert Neighbourhood.objects.get(pk=placed.neighbourhood_id).name == "Harlesden"


def test_the_online_geocoder_tells_the_outcomes_apart_too(demo_site, settings,
                                                          postcode_service):  # noqa: F811
    settings.PORTAL_GEOCODER = "portal.neighbourhoods.geocoding.HttpPostcodeGeocoder"
    settings.PORTAL_GEOCODER_URL = postcode_service
    assert geocode("NW10 8SE").latitude == 51.5386
    assert outcome("SW1A 1AA") == "outside"  # the service does not know it: not our district
    assert outcome("NW10 9ZZ") == "not_found"
    with pytest.raises(PostcodeError) as broken:
        geocode("HA9 0FJ", "Choose from the list.")
    assert broken.value.code == "unavailable"
    assert str(broken.value.message).endswith("Choose from the list.")


# The demo's sample --------------------------------------------------------------------------

def test_the_sample_is_documented_row_by_row():
    assert {row["source"] for row in SAMPLE} == {"library", "neighbour-library", "sample"}
    assert all(row["note"] for row in SAMPLE)
    assert len({row["postcode"] for row in SAMPLE}) == len(SAMPLE)


def test_each_sample_postcode_is_where_the_sample_says(demo_site):
    codes = dict(Neighbourhood.objects.values_list("pk", "code"))
    locator = get_locator()
    for row in SAMPLE:
        found = locator.locate(row["latitude"], row["longitude"])
        assert codes.get(found) == row["neighbourhood"], row["postcode"]


def test_every_neighbourhood_has_sample_postcodes(demo_site):
    inside = {row["neighbourhood"] for row in SAMPLE if row["neighbourhood"]}
    assert inside == set(Neighbourhood.objects.values_list("code", flat=True))


def test_the_demo_loads_every_postcode_its_own_content_uses(demo_site):
    from assets_map.management.commands.load_demo_assets import BRENT_LIBRARIES
    from forums.management.commands.load_demo_forums import FORUMS

    loaded = set(Postcode.objects.values_list("postcode", flat=True))
    used = {geocode_ready(row[3]) for row in BRENT_LIBRARIES}
    used |= {spec["venue"][2] for spec in FORUMS.values()}
    assert len(used) == 13
    assert used <= loaded
    assert {row["postcode"] for row in SAMPLE} <= loaded


def geocode_ready(text: str) -> str:
    return geocode(text).postcode
