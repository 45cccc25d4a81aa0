"""area_for_point against the real library points, and quintile_for_area."""

import csv

import pytest

from portal.deprivation import services
from portal.deprivation.importer import import_deprivation
from portal.deprivation.models import StatisticalArea

from .conftest import IMD_FILE, LIBRARIES, POPULATION_FILE, both_authorities

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(data):
    assert import_deprivation(boundaries=both_authorities(), imd=IMD_FILE,
                              population=POPULATION_FILE).ok


def test_every_real_library_lies_in_its_expected_lsoa(both):
    with open(LIBRARIES, newline="") as handle:
        libraries = list(csv.DictReader(handle))
    assert len(libraries) == 29
    found = {row["name"]: services.area_for_point(float(row["lat"]), float(row["lng"]))
             for row in libraries}
    assert found == {row["name"]: row["lsoa_code"] for row in libraries}


def test_points_outside_every_area_and_bad_input_give_none(both):
    # Camden's Kilburn Library Centre, about 39 m outside Brent.
    assert services.area_for_point(51.5363673454131, -0.191142726312169) is None
    assert services.area_for_point(float("nan"), 0) is None
    assert services.area_for_point("not a number", None) is None


def test_the_locator_is_rebuilt_when_the_areas_change(both):
    code = "E01000608"
    assert services.area_for_point(51.5521326761337, -0.311224635372571) == code
    StatisticalArea.objects.filter(code=code).delete()
    assert services.area_for_point(51.5521326761337, -0.311224635372571) is None


def test_quintile_for_area(both):
    assert services.quintile_for_area("E01000601") == 1   # decile 1
    assert services.quintile_for_area("E01000471") == 3   # decile 5
    assert services.quintile_for_area("E01009999") is None
    assert services.quintile_for_area("") is None
    assert services.quintiles_by_code(["E01000601", "E01000471", "nope"]) == {
        "E01000601": 1, "E01000471": 3}
    assert [services.quintile_from_decile(d) for d in (1, 2, 3, 10, 0, None)] == [
        1, 1, 2, 5, None, None]
