"""Derive the demo's postcode sample, `brent_postcodes.json`, from the real data in ../shared/data.

Run once by a developer (`python -m portal.demo.derive_postcodes`); the output is committed so
`make run` needs nothing outside the repository. `load_demo_data` loads every row into the
offline postcode table. Three kinds of row, each marked in its `source`:

- `library`: the 13 Brent public libraries of the LibrariesHacked / DCMS list (MIT; 2017
  snapshot), with the coordinates the list gives. The demo's assets, hubs and forum venues
  use these postcodes.
- `neighbour-library`: libraries of the neighbouring boroughs (Barnet, Camden, Ealing,
  Harrow) within 1 km of Brent, from the same list. They are real postcodes outside every
  neighbourhood, so the demo answers them "not in our area", some in a district Brent shares
  (NW2 2QE, NW6 5UH).
- `sample`: a few more real Brent postcodes, placed at an approximate point inside the
  neighbourhood they belong to (not the ONS grid reference); NW10 4LB is the one residents
  reported.

Every point is checked against the demo neighbourhoods: a `library` or `sample` row must lie in
the neighbourhood it names, a `neighbour-library` row in none. This is a sample: a council
loads the whole ONS Postcode Directory instead (docs/data-formats.md, "Postcodes").
"""

import csv
import json
from pathlib import Path

from shapely.geometry import Point, shape
from shapely.ops import unary_union

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "assets"
BOUNDARIES = Path(__file__).with_name("brent_neighbourhoods.json")
OUTPUT = Path(__file__).with_name("brent_postcodes.json")
BRENT_AUTHORITY_ID = "14"
NEIGHBOUR_WITHIN_METRES = 1000
METRES_PER_DEGREE = 70_000  # rough, at London's latitude; only used to pick neighbours
ATTRIBUTION = ("Library postcodes and points: LibrariesHacked/england-librarydata (MIT), from "
               "the DCMS Libraries Taskforce list, 2017.")

# postcode, latitude, longitude, neighbourhood code, what is there
SAMPLE = [
    ("NW10 4LB", 51.5372, -0.2462, "BRENT-HARLESDEN", "Harlesden town centre"),
    ("HA9 0WS", 51.5560, -0.2796, "BRENT-WEMBLEY", "Wembley Stadium"),
]


def _normalise(postcode: str) -> str:
    compact = postcode.replace(" ", "").upper()
    return f"{compact[:-3]} {compact[-3:]}"


def _library(name: str) -> str:
    return name if "library" in name.lower() else f"{name} library"


def _where(neighbourhoods, lat: float, lng: float):
    point = Point(lng, lat)
    return next((code for code, polygon in neighbourhoods if polygon.covers(point)), None)


def _rows(path: Path):
    with open(path, newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def main():
    features = json.loads(BOUNDARIES.read_text())["features"]
    neighbourhoods = [(f["properties"]["code"], shape(f["geometry"])) for f in features]
    area = unary_union([polygon for _code, polygon in neighbourhoods])
    postcodes = []
    for row in _rows(SHARED / "libraries_brent_gateshead.csv"):
        if row["authority_id"] != BRENT_AUTHORITY_ID:
            continue
        lat, lng = float(row["lat"]), float(row["lng"])
        code = _where(neighbourhoods, lat, lng)
        assert code, f"{row['name']} library is outside the demo neighbourhoods"
        postcodes.append({"postcode": _normalise(row["postcode"]), "latitude": lat,
                          "longitude": lng, "neighbourhood": code, "source": "library",
                          "note": _library(row["name"])})
    for row in _rows(SHARED / "libraries_neighbouring_authorities.csv"):
        lat, lng = float(row["lat"]), float(row["lng"])
        distance = area.exterior.distance(Point(lng, lat)) * METRES_PER_DEGREE
        if not row["postcode"] or distance > NEIGHBOUR_WITHIN_METRES:
            continue
        assert _where(neighbourhoods, lat, lng) is None, f"{row['name']} is inside Brent"
        postcodes.append({"postcode": _normalise(row["postcode"]), "latitude": lat,
                          "longitude": lng, "neighbourhood": None,
                          "source": "neighbour-library", "note": _library(row["name"])})
    for postcode, lat, lng, code, note in SAMPLE:
        assert _where(neighbourhoods, lat, lng) == code, f"{postcode} is not in {code}"
        postcodes.append({"postcode": postcode, "latitude": lat, "longitude": lng,
                          "neighbourhood": code, "source": "sample",
                          "note": f"{note} (approximate point)"})
    OUTPUT.write_text(json.dumps({"attribution": ATTRIBUTION, "postcodes": postcodes},
                                 indent=1, ensure_ascii=False) + "\n")
    print(f"Wrote {len(postcodes)} postcodes to {OUTPUT.name}")


if __name__ == "__main__":
    main()
