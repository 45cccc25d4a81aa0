"""The demo borough's deprivation data, loaded through the same importer officers use.

`brent_lsoas.json` (made by `derive_brent`) holds Brent's 173 LSOAs with their population and
IMD 2019 ranks and deciles; here it is written out as the three published CSV layouts (File 1,
File 2, File 6) and passed to `portal.deprivation.importer.import_deprivation`, which also
aggregates every neighbourhood's need.
"""

from __future__ import annotations

import json
from pathlib import Path

from portal.deprivation.imd_files import (
    CODE_COLUMN,
    DOMAIN_COLUMNS,
    IMD_COLUMNS,
    NAME_COLUMN,
    POPULATION_COLUMNS,
)
from portal.deprivation.importer import DeprivationImportReport, import_deprivation
from portal.deprivation.models import DOMAIN_KEYS
from portal.spreadsheets import write_csv

LSOAS = Path(__file__).with_name("brent_lsoas.json")


def _csv(header: list[str], rows: list[list]) -> str:
    return write_csv(rows, header)


def demo_files() -> dict[str, object]:
    """The importer's arguments (boundaries, imd, domains, population) from brent_lsoas.json."""
    document = json.loads(LSOAS.read_text())
    features = document["features"]
    boundaries = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": f["geometry"],
         "properties": {"LSOA11CD": f["properties"]["code"],
                        "LSOA11NM": f["properties"]["name"]}} for f in features]}
    first = [CODE_COLUMN, NAME_COLUMN]
    props = [f["properties"] for f in features]
    imd = _csv(first + list(IMD_COLUMNS.values()),
               [[p["code"], p["name"], f"{p['imd_rank']:,}", p["imd_decile"]] for p in props])
    population = _csv(first + list(POPULATION_COLUMNS.values()),
                      [[p["code"], p["name"], f"{p['population']:,}"] for p in props])
    domains = _csv(first + list(DOMAIN_COLUMNS.values()), [
        [p["code"], p["name"], *(p["domains"][key][part] for key in DOMAIN_KEYS
                                 for part in ("rank", "decile"))] for p in props])
    return {"boundaries": json.dumps(boundaries), "imd": imd, "domains": domains,
            "population": population}


def load_demo_deprivation() -> DeprivationImportReport:
    """Import the demo LSOAs and aggregate them to the demo neighbourhoods."""
    return import_deprivation(**demo_files())
