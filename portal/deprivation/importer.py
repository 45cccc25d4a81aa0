"""Import LSOA boundaries with the Indices of Deprivation 2019, all or nothing.

`import_deprivation(boundaries, imd, population, domains=None, dry_run=False)` checks every
file first; with any problem nothing is written. Otherwise, in one transaction, it creates or
updates one `StatisticalArea` per LSOA that has both a boundary and an IMD row, and then
recomputes every neighbourhood's need (`aggregation.aggregate_all`). Codes in the IMD file
without a boundary, and boundaries without an IMD row, are skipped and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from portal.csv_input import ProblemList
from portal.errors import InputError
from portal.neighbourhoods.boundary_import import load_feature_collection
from portal.neighbourhoods.content_cache import content_changed
from portal.neighbourhoods.geometry import BoundaryError, check_crs, parse_boundary

from .aggregation import aggregate_all
from .imd_files import DOMAIN_COLUMNS, IMD_COLUMNS, POPULATION_COLUMNS, read_file
from .models import DOMAIN_KEYS, StatisticalArea
from .services import areas_changed

CODE_PROPERTY = re.compile(r"^LSOA\d{2}CD$", re.IGNORECASE)
NAME_PROPERTY = re.compile(r"^LSOA\d{2}NM$", re.IGNORECASE)
SHOWN_CODES = 5
WRONG_SYSTEM = ("not_wgs84", "swapped")
CONVERT_HINT = _lazy("Convert the file to WGS84 longitude/latitude (EPSG:4326) first, for "
                     "example with: ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson")


@dataclass
class Skipped:
    """Codes left out for one reason: how many, and the first few."""

    reason: str
    codes: list[str]

    @property
    def message(self) -> str:
        first = ", ".join(self.codes[:SHOWN_CODES])
        more = len(self.codes) - SHOWN_CODES
        text = ngettext("%(count)s area skipped: %(reason)s (%(first)s",
                        "%(count)s areas skipped: %(reason)s (%(first)s",
                        len(self.codes)) % {
            "count": f"{len(self.codes):,}", "reason": self.reason, "first": first}
        if more > 0:
            text += _(" and %(more)s more") % {"more": f"{more:,}"}
        return text + ")."


@dataclass
class DeprivationImportReport:
    """What an import did or, for a dry run or a failed import, would have done."""

    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    neighbourhoods: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def messages(self) -> list[str]:
        return [message for _line, message in self.problems]

    def summary(self) -> str:
        """One sentence with the counts, for command output and admin messages."""
        if not self.ok:
            return ngettext("Nothing was imported: %(count)s problem.",
                            "Nothing was imported: %(count)s problems.",
                            self.problems.count) % {"count": f"{self.problems.count:,}"}
        counts = {"created": len(self.created), "updated": len(self.updated),
                  "skipped": sum(len(item.codes) for item in self.skipped),
                  "neighbourhoods": self.neighbourhoods}
        if self.dry_run:
            return _("Dry run, nothing was saved: %(created)s areas would be created, "
                     "%(updated)s updated and %(skipped)s skipped.") % counts
        return _("Deprivation imported: %(created)s areas created, %(updated)s updated and "
                 "%(skipped)s skipped; need recomputed for %(neighbourhoods)s "
                 "neighbourhoods.") % counts

    def notes(self) -> list[str]:
        """What was skipped or ignored, one line each."""
        lines = [item.message for item in self.skipped]
        if self.ignored_columns:
            lines.append(_("Columns ignored: %(columns)s.") % {
                "columns": "; ".join(f"“{name}”" for name in self.ignored_columns)})
        return lines


def _text(source) -> str:
    """Text from a path, bytes, an open file or text; raises InputError if not UTF-8."""
    if isinstance(source, Path):
        source = source.read_bytes()
    elif hasattr(source, "read"):
        source = source.read()
    if isinstance(source, (bytes, bytearray)):
        try:
            return bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(_("The file is not UTF-8 encoded text. Save it as CSV UTF-8."),
                             "encoding") from exc
    return source


def read_boundaries(source, problems: ProblemList) -> dict[str, tuple[str, dict]]:
    """{code: (name, GeoJSON geometry)} from an LSOA FeatureCollection; problems numbered by
    feature. A `crs` other than WGS84 (such as EPSG:27700) or coordinates in metres stop it."""
    try:
        document = load_feature_collection(source)
        check_crs(document)
    except BoundaryError as exc:
        problems.append((0, _("LSOA boundaries: %(error)s") % {"error": exc.message}
                         + (" " + str(CONVERT_HINT) if exc.code == "crs" else "")))
        return {}
    except InputError as exc:
        problems.append((0, _("LSOA boundaries: %(error)s") % {"error": exc.message}))
        return {}
    found: dict[str, tuple[str, dict]] = {}
    for number, feature in enumerate(document["features"], start=1):
        try:
            entry = _feature(number, feature, problems)
        except BoundaryError as exc:  # the whole file is in the wrong system: say it once
            problems.append((number, _("LSOA boundaries: %(error)s") % {"error": exc.message}
                             + " " + str(CONVERT_HINT)))
            return {}
        if entry is not None:
            found[entry[0]] = entry[1:]
    return found


def _feature(number: int, feature, problems: ProblemList):
    """(code, name, geometry) of one feature, or None with a problem listed."""
    properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
    code = next((str(value).strip().upper() for key, value in properties.items()
                 if CODE_PROPERTY.match(key) or key.lower() == "code"), "")
    name = next((str(value).strip() for key, value in properties.items()
                 if NAME_PROPERTY.match(key) or key.lower() == "name"), code)
    if not code:
        problems.append((number, _("LSOA boundaries, feature %(number)s: no LSOA code (a "
                                   "property such as LSOA11CD).") % {"number": number}))
        return None
    try:
        boundary = parse_boundary(feature.get("geometry"))
    except BoundaryError as exc:
        if exc.code in WRONG_SYSTEM:
            raise
        problems.append((number, _("LSOA boundaries, feature %(number)s (%(code)s): "
                                   "%(error)s") % {
            "number": number, "code": code, "error": exc.message}))
        return None
    return code, name[:120], boundary.geojson


def _skipped_lists(boundaries: dict, imd: dict, others: list) -> list[Skipped]:
    skipped = []
    no_boundary = sorted(set(imd) - set(boundaries))
    if no_boundary:
        skipped.append(Skipped(_("not in the boundary file"), no_boundary))
    no_imd = sorted(set(boundaries) - set(imd))
    if no_imd:
        skipped.append(Skipped(_("a boundary but no row in the IMD file"), no_imd))
    for parsed in others:
        extra = sorted(set(parsed.values) - set(imd) - set(boundaries))
        if extra:
            skipped.append(Skipped(_("in %(file)s only") % {"file": parsed.label}, extra))
    return skipped


def import_deprivation(boundaries, imd, population, domains=None,
                       dry_run: bool = False) -> DeprivationImportReport:
    """Check and import the files (paths, bytes, text or open files); see the module doc."""
    report = DeprivationImportReport(dry_run=dry_run)
    files = [("imd", imd, _("IMD file (File 1)"), IMD_COLUMNS, None),
             ("population", population, _("Population file (File 6)"), POPULATION_COLUMNS,
              "population")]
    if domains is not None:
        files.append(("domains", domains, _("Domains file (File 2)"), DOMAIN_COLUMNS, None))
    parsed = {}
    for key, source, label, wanted, prefix_key in files:
        try:
            parsed[key] = read_file(_text(source), label, wanted, prefix_key)
        except InputError as exc:
            report.problems.append((0, f"{label}: {exc.message}"))
            continue
        report.problems.extend(parsed[key].problems)
        report.ignored_columns += [f"{label}: {name}" for name in parsed[key].ignored_columns]
    shapes = read_boundaries(boundaries, report.problems)
    if not report.ok:
        return report
    report.skipped = _skipped_lists(shapes, parsed["imd"].values,
                                    [parsed[key] for key in parsed if key != "imd"])
    codes = sorted(set(shapes) & set(parsed["imd"].values))
    if not codes:
        report.problems.append((0, _("No LSOA code is in both the boundary file and the IMD "
                                     "file: check that they cover the same places.")))
        return report
    existing = set(StatisticalArea.objects.filter(code__in=codes).values_list("code", flat=True))
    report.created = [code for code in codes if code not in existing]
    report.updated = [code for code in codes if code in existing]
    if not dry_run:
        with transaction.atomic():
            _save(codes, shapes, parsed, existing)
            report.neighbourhoods = aggregate_all()
        areas_changed()
        content_changed()  # the areas are saved in bulk, without the signals that do this
    return report


def _save(codes, shapes, parsed, existing) -> None:
    imd, population = parsed["imd"], parsed["population"]
    domains = parsed.get("domains")
    objects = []
    for code in codes:
        name, geometry = shapes[code]
        values = imd.values[code]
        area = StatisticalArea(
            code=code, name=imd.names.get(code) or name, geometry=geometry,
            population=population.values.get(code, {}).get("population"),
            imd_rank=values["imd_rank"], imd_decile=values["imd_decile"],
            domains=_domains(domains.values.get(code)) if domains else {},
        )
        objects.append(area)
    StatisticalArea.objects.bulk_create(
        objects, batch_size=500, update_conflicts=True, unique_fields=["code"],
        update_fields=["name", "geometry", "population", "imd_rank", "imd_decile", "domains",
                       "updated_at"],
    )


def _domains(values: dict | None) -> dict:
    if not values:
        return {}
    return {key: {"rank": values[f"{key}_rank"], "decile": values[f"{key}_decile"]}
            for key in DOMAIN_KEYS}
