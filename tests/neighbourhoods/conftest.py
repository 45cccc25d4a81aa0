"""Fixtures for the neighbourhoods tests: the real ward files and a clean locator cache."""

import csv
import json
from pathlib import Path

import pytest
from django.core.cache import cache

from portal.neighbourhoods import services

# The repository is <X>/main and the shared data <X>/shared/data.
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
WARDS = SHARED_DATA / "wards"
BRENT_WARDS = WARDS / "brent_E09000005_wards.geojson"
GATESHEAD_WARDS = WARDS / "gateshead_E08000037_wards.geojson"
ASSETS = SHARED_DATA / "assets"


@pytest.fixture(autouse=True)
def fresh_locator(request):
    """Each test starts with no cached locator, as a newly started process would."""
    # The cache is a database table: only a test with database access can (and need) clear it,
    # once that access is set up (autouse fixtures come before the test's own).
    for access in ("transactional_db", "db"):
        if access in request.fixturenames:
            request.getfixturevalue(access)
            cache.delete(services.VERSION_KEY)
            break
    services._cached = None
    yield
    services._cached = None


@pytest.fixture
def wards_dir():
    if not WARDS.is_dir():
        pytest.skip(f"The shared ward boundaries are not at {WARDS} (see shared/data/README.md)")
    return WARDS


@pytest.fixture
def assets_dir():
    if not ASSETS.is_dir():
        pytest.skip(f"The shared library data is not at {ASSETS} (see shared/data/README.md)")
    return ASSETS


@pytest.fixture
def brent_wards(wards_dir):
    """The 21 Brent 2013 wards as a parsed FeatureCollection."""
    return json.loads(BRENT_WARDS.read_text(encoding="utf-8"))


@pytest.fixture
def gateshead_wards(wards_dir):
    """The 22 Gateshead 2013 wards as a parsed FeatureCollection."""
    return json.loads(GATESHEAD_WARDS.read_text(encoding="utf-8"))


@pytest.fixture
def imported_wards(db, wards_dir):
    """Brent and Gateshead wards imported as neighbourhoods."""
    from portal.neighbourhoods.boundary_import import import_boundaries

    for path in (BRENT_WARDS, GATESHEAD_WARDS):
        report = import_boundaries(path.read_bytes(), "WD13CD", "WD13NM")
        assert report.ok, report.messages
    return services.get_locator()


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
