"""Fixtures for the deprivation tests: the real IMD and LSOA files in ../shared/data."""

import json
from pathlib import Path

import pytest

from portal.deprivation import aggregation, services

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
IMD = SHARED_DATA / "imd"
IMD_FILE = IMD / "IMD2019_File1_brent_gateshead.csv"
DOMAINS_FILE = IMD / "IoD2019_File2_domains_brent_gateshead.csv"
POPULATION_FILE = IMD / "IoD2019_File6_population_brent_gateshead.csv"
BRENT_LSOAS = SHARED_DATA / "lsoa" / "brent_E09000005_lsoa.geojson"
GATESHEAD_LSOAS = SHARED_DATA / "lsoa" / "gateshead_E08000020_lsoa.geojson"
BRENT_WARDS = SHARED_DATA / "wards" / "brent_E09000005_wards.geojson"
LIBRARIES = SHARED_DATA / "assets" / "libraries_expected_wards.csv"


@pytest.fixture(autouse=True)
def fresh_caches():
    """No area locator or index cached from another test's database."""
    services._cached = None
    aggregation._cached = None
    yield
    services._cached = None
    aggregation._cached = None


@pytest.fixture
def data():
    if not IMD.is_dir():
        pytest.skip(f"The shared IMD files are not at {IMD} (see shared/data/README.md)")
    return SHARED_DATA


@pytest.fixture
def real_files(data):
    """The importer's arguments for Brent's real files (Brent + Gateshead IMD rows)."""
    return {"boundaries": BRENT_LSOAS, "imd": IMD_FILE, "domains": DOMAINS_FILE,
            "population": POPULATION_FILE}


def both_authorities() -> dict:
    """Brent's and Gateshead's LSOAs as one FeatureCollection."""
    features = []
    for path in (BRENT_LSOAS, GATESHEAD_LSOAS):
        features += json.loads(path.read_text())["features"]
    return {"type": "FeatureCollection", "features": features}
