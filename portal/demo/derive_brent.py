"""Derive the demo borough's neighbourhoods from the real public data in ../shared/data.

Run once by a developer (`python -m portal.demo.derive_brent`); the outputs,
`brent_neighbourhoods.json` and `brent_lsoas.json` (Brent's 173 LSOAs simplified to about 20 m,
with their population and IMD 2019 ranks and deciles), are committed so `make run` needs
nothing outside the repository.
Brent's five neighbourhood areas (the "Brent Connects" areas the Health and Wellbeing Board
papers refer to) are unions of its 2013 wards, simplified to keep the demo light.

Sources: ONS generalised clipped ward and LSOA boundaries via martinjc/UK-GeoJSON (CC BY 4.0;
contains OS and ONS data © Crown copyright and database right, OGL v3); MHCLG English Indices
of Deprivation 2019 (OGL v3).
"""

import csv
import json
from pathlib import Path

from shapely.geometry import mapping, shape
from shapely.ops import unary_union

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
OUTPUT = Path(__file__).with_name("brent_neighbourhoods.json")
LSOA_OUTPUT = Path(__file__).with_name("brent_lsoas.json")
LSOA_SIMPLIFY_DEGREES = 0.0002  # about 20 m
DOMAINS = {
    "income": "Income", "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability", "crime": "Crime",
    "housing": "Barriers to Housing and Services", "living_environment": "Living Environment",
}
ATTRIBUTION = ("Contains OS and ONS data © Crown copyright and database right (OGL v3); "
               "conversion by Martin Chorley (CC BY 4.0); IoD2019, MHCLG (OGL v3).")

NEIGHBOURHOODS = {
    "Harlesden": ["Harlesden", "Kensal Green", "Stonebridge"],
    "Kilburn": ["Kilburn", "Queens Park", "Brondesbury Park", "Mapesbury"],
    "Willesden": ["Willesden Green", "Dudden Hill", "Dollis Hill"],
    "Wembley": ["Wembley Central", "Alperton", "Tokyngton", "Sudbury", "Preston", "Barnhill",
                "Northwick Park"],
    "Kingsbury and Kenton": ["Kenton", "Queensbury", "Fryent", "Welsh Harp"],
}
SIMPLIFY_DEGREES = 0.0004  # about 30 m: keeps the shape recognisable at street-map zooms


def _number(text):
    return int(text.replace(",", ""))


def main():
    wards = json.loads((SHARED / "wards/brent_E09000005_wards.geojson").read_text())
    lsoas = json.loads((SHARED / "lsoa/brent_E09000005_lsoa.geojson").read_text())
    ward_shapes = {f["properties"]["WD13NM"]: shape(f["geometry"]) for f in wards["features"]}
    with open(SHARED / "imd/IMD2019_File1_brent_gateshead.csv", newline="") as handle:
        imd = {row["LSOA code (2011)"]: row for row in csv.DictReader(handle)}
    with open(SHARED / "imd/IoD2019_File6_population_brent_gateshead.csv", newline="") as handle:
        population = {row["LSOA code (2011)"]: row for row in csv.DictReader(handle)}
    decile_column = next(c for c in next(iter(imd.values())) if "Decile" in c)
    population_column = next(c for c in next(iter(population.values()))
                             if c.startswith("Total population"))

    features = []
    for name, ward_names in NEIGHBOURHOODS.items():
        area = unary_union([ward_shapes[w] for w in ward_names])
        inside = [f["properties"]["LSOA11CD"] for f in lsoas["features"]
                  if area.contains(shape(f["geometry"]).representative_point())]
        deprived = sum(1 for code in inside if int(imd[code][decile_column]) <= 2)
        people = sum(_number(population[code][population_column]) for code in inside)
        simplified = area.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        features.append({
            "type": "Feature",
            "properties": {
                "name": name,
                "code": "BRENT-" + name.upper().replace(" AND ", "-").replace(" ", "-"),
                "wards": ward_names,
                "population": people,
                "lsoa_count": len(inside),
                "lsoas_most_deprived_20pc": deprived,
            },
            "geometry": json.loads(json.dumps(mapping(simplified))),
        })
    document = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
    OUTPUT.write_text(json.dumps(document, indent=1) + "\n")
    for feature in features:
        p = feature["properties"]
        print(p["name"], p["population"], p["lsoa_count"], p["lsoas_most_deprived_20pc"])
    derive_lsoas(lsoas, imd, population, decile_column, population_column)


def _rounded(value):
    """Coordinates to 5 decimal places (about 1 m), to keep the file small."""
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], float):
        return [round(value[0], 5), round(value[1], 5)]
    return [_rounded(item) for item in value]


def _domain_values(row):
    values = {}
    for key, title in DOMAINS.items():
        rank = next(v for c, v in row.items() if c.startswith(f"{title} Rank"))
        decile = next(v for c, v in row.items() if c.startswith(f"{title} Decile"))
        values[key] = {"rank": _number(rank), "decile": _number(decile)}
    return values


def derive_lsoas(lsoas, imd, population, decile_column, population_column):
    """Write brent_lsoas.json: each LSOA simplified, with population, IMD and domain ranks."""
    with open(SHARED / "imd/IoD2019_File2_domains_brent_gateshead.csv", newline="") as handle:
        domains = {row["LSOA code (2011)"]: row for row in csv.DictReader(handle)}
    rank_column = next(c for c in next(iter(imd.values())) if c.endswith("Rank"))
    features = []
    for feature in lsoas["features"]:
        code = feature["properties"]["LSOA11CD"]
        geometry = shape(feature["geometry"]).simplify(LSOA_SIMPLIFY_DEGREES,
                                                       preserve_topology=True)
        geojson = json.loads(json.dumps(mapping(geometry)))
        geojson["coordinates"] = _rounded(geojson["coordinates"])
        features.append({"type": "Feature", "geometry": geojson, "properties": {
            "code": code, "name": feature["properties"]["LSOA11NM"],
            "population": _number(population[code][population_column]),
            "imd_rank": _number(imd[code][rank_column]),
            "imd_decile": _number(imd[code][decile_column]),
            "domains": _domain_values(domains[code]),
        }})
    document = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
    LSOA_OUTPUT.write_text(json.dumps(document, separators=(",", ":")) + "\n")
    print(len(features), "LSOAs,", LSOA_OUTPUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
