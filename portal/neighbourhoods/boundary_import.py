"""Boundary imports from GeoJSON: all-or-nothing and idempotent by neighbourhood code.

Plain functions that return reports; the management command and the admin view only format
them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.errors import InputError
from portal.json_input import NestedTooDeep, loads_json

from .geometry import Boundary, BoundaryError, check_crs, parse_boundary
from .models import Locality, Neighbourhood, unique_slug
from .overlaps import Area, find_overlaps
from .services import boundary_changes_batched

CODE_MAX_LENGTH = Neighbourhood._meta.get_field("code").max_length
NAME_MAX_LENGTH = Neighbourhood._meta.get_field("name").max_length

# ONS property names (code, name) in the order they are tried when none are given:
# wards (WD13CD/WD13NM, WD22CD/...), LSOAs, MSOAs, then local authority districts.
KNOWN_PROPERTY_PATTERNS = [
    (re.compile(r"WD\d{2}CD"), re.compile(r"WD\d{2}NM")),
    (re.compile(r"LSOA\d{2}CD"), re.compile(r"LSOA\d{2}NM")),
    (re.compile(r"MSOA\d{2}CD"), re.compile(r"MSOA\d{2}NM")),
    (re.compile(r"LAD\d{2}CD"), re.compile(r"LAD\d{2}NM")),
]


class BoundaryImportError(InputError):
    """A file that cannot be read as a FeatureCollection at all."""


@dataclass(frozen=True)
class ImportProblem:
    """One reason an import cannot go ahead.

    `feature_number` counts features from 1 as a person would; `parameter` names the
    import_boundaries argument at fault (document, code_property, name_property) when the
    problem is not with one feature.
    """

    message: str
    code: str
    feature_number: int | None = None
    parameter: str | None = None

    def __str__(self):
        return self.message


@dataclass
class ImportReport:
    """What an import did (or, for a dry run or a failed import, would have done)."""

    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    # What the import did or would do that the person should check: it does not stop it.
    warnings: list[ImportProblem] = field(default_factory=list)
    failed_features: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def saved(self) -> bool:
        """True when the import changed the database (it may have had nothing to change)."""
        return self.ok and not self.dry_run

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "failed": self.failed_features,
        }

    @property
    def messages(self) -> list[str]:
        return [problem.message for problem in self.problems]

    @property
    def warning_messages(self) -> list[str]:
        return [warning.message for warning in self.warnings]

    def summary(self) -> str:
        """One sentence with the counts, for command output and admin messages."""
        counts = self.counts
        if not self.ok and not counts["failed"]:
            return _("Nothing was imported.")
        if not self.ok:
            return ngettext(
                "Nothing was imported: %(failed)d feature has a problem.",
                "Nothing was imported: %(failed)d features have problems.",
                counts["failed"],
            ) % counts
        if self.dry_run:
            text = _(
                "Dry run, nothing was saved: %(created)d neighbourhoods would be created, "
                "%(updated)d updated and %(unchanged)d left unchanged."
            )
        else:
            text = _(
                "Boundaries imported: %(created)d neighbourhoods created, %(updated)d updated "
                "and %(unchanged)d unchanged."
            )
        text %= counts
        if self.warnings:
            text += " " + ngettext(
                "%(count)d feature has a warning: check it below.",
                "%(count)d features have warnings: check them below.",
                len(self.warnings),
            ) % {"count": len(self.warnings)}
        return text


@dataclass
class _Row:
    number: int
    code: str
    name: str
    boundary: Boundary


def load_feature_collection(source) -> dict:
    """A GeoJSON FeatureCollection from text, bytes, a dict, a path or an open file.

    A lone Feature is accepted as a collection of one. Raises BoundaryImportError.
    """
    if isinstance(source, Path):
        source = source.read_bytes()
    elif hasattr(source, "read"):
        source = source.read()
    if isinstance(source, (bytes, bytearray)):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BoundaryImportError(
                _("The file is not a GeoJSON text file: it is not UTF-8 encoded."), "not_json"
            ) from exc
    if isinstance(source, str):
        if not source.strip():
            raise BoundaryImportError(_("The file is empty."), "empty")
        try:
            source = loads_json(source)
        except json.JSONDecodeError as exc:
            raise BoundaryImportError(
                _("The file is not valid JSON (line %(line)s, column %(col)s: %(msg)s).")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
                "not_json",
            ) from exc
        except NestedTooDeep as exc:
            raise BoundaryImportError(
                _("The file is not GeoJSON: its arrays or objects are nested too deeply to "
                  "read."),
                "too_deep",
            ) from exc
    if not isinstance(source, dict):
        raise BoundaryImportError(
            _("The file must hold a GeoJSON FeatureCollection object."), "not_feature_collection"
        )
    if source.get("type") == "Feature":
        source = {"type": "FeatureCollection", "features": [source]}
    if source.get("type") == "FeatureCollection" and not isinstance(source.get("features"), list):
        raise BoundaryImportError(
            _("The FeatureCollection has no “features” list: put the boundaries in a "
              "“features” array, one Feature for each neighbourhood."),
            "no_features_member",
        )
    if source.get("type") != "FeatureCollection":
        raise BoundaryImportError(
            _("The file must hold a GeoJSON FeatureCollection (a list of features, each with a "
              "code and a name), not %(kind)s.") % {"kind": _kind(source.get("type"))},
            "not_feature_collection",
        )
    if not source["features"]:
        raise BoundaryImportError(_("The file has no features."), "no_features")
    return source


def _kind(value) -> str:
    if not value or not isinstance(value, str):
        return _("an object")
    return value if len(value) <= 60 else value[:59] + "…"


def property_names(collection: dict) -> list[str]:
    """Every property name used by the collection's features, in first-seen order."""
    names: dict[str, None] = {}
    for feature in collection.get("features", []):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(properties, dict):
            names.update(dict.fromkeys(properties))
    return list(names)


def guess_property_names(collection: dict) -> tuple[str | None, str | None]:
    """The (code, name) properties of a common ONS file (WD13CD/WD13NM, LSOA11CD/...), if any."""
    available = property_names(collection)
    for code_pattern, name_pattern in KNOWN_PROPERTY_PATTERNS:
        code = next((name for name in available if code_pattern.fullmatch(name)), None)
        name = next((name for name in available if name_pattern.fullmatch(name)), None)
        if code and name:
            return code, name
    return None, None


def import_boundaries(
    feature_collection,
    code_property: str,
    name_property: str,
    locality: Locality | str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Create or update one neighbourhood per feature, matched by code; all or nothing.

    `locality` (a Locality, or a name to find or create) is set on every imported
    neighbourhood; without it, existing neighbourhoods keep theirs.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        collection = load_feature_collection(feature_collection)
        check_crs(collection)
    except (BoundaryImportError, BoundaryError) as exc:
        report.problems.append(ImportProblem(exc.message, exc.code, parameter="document"))
        return report

    report.problems.extend(_missing_property_problems(collection, code_property, name_property))
    if report.problems:
        return report

    rows = _validated_rows(collection, code_property, name_property, report)
    if report.problems:
        return report

    report.warnings.extend(_overlap_warnings(rows))
    existing = _existing_by_code([row.code for row in rows])
    taken_slugs = set(Neighbourhood.objects.values_list("slug", flat=True))
    with transaction.atomic(), boundary_changes_batched():
        locality = _resolve_locality(locality, create=not dry_run)
        for row in rows:
            neighbourhood = existing.get(row.code)
            if neighbourhood is None:
                neighbourhood = Neighbourhood(code=row.code, name=row.name, locality=locality)
                neighbourhood.slug = unique_slug(row.name, row.code, taken_slugs.__contains__)
                taken_slugs.add(neighbourhood.slug)
                report.created.append(row.code)
            elif _differs(neighbourhood, row, locality):
                neighbourhood.name = row.name
                if locality is not None:
                    neighbourhood.locality = locality
                report.updated.append(row.code)
            else:
                report.unchanged.append(row.code)
                continue
            neighbourhood.set_boundary(row.boundary)
            if not dry_run:
                neighbourhood.save()
    return report


def _overlap_warnings(rows: list[_Row]):
    areas = [Area(row.code, row.name, row.boundary.geometry) for row in rows]
    for overlap in find_overlaps(areas):
        row = rows[overlap.index]
        parts = []
        if overlap.existing:
            parts.append(_("It overlaps neighbourhoods already in the portal: %(names)s.")
                         % {"names": _name_list(overlap.existing)})
        if overlap.incoming:
            parts.append(_("It overlaps other features in this file: %(names)s.")
                         % {"names": _name_list(overlap.incoming)})
        yield ImportProblem(_feature_message(row.number, row.code, row.name, " ".join(parts)),
                            "overlap", feature_number=row.number)


def _name_list(areas, shown: int = 5) -> str:
    names = ", ".join(area.label for area in areas[:shown])
    if len(areas) > shown:
        names += " " + ngettext("and %(count)d more", "and %(count)d more",
                                len(areas) - shown) % {"count": len(areas) - shown}
    return names


def _existing_by_code(codes: list[str], chunk_size: int = 500) -> dict[str, Neighbourhood]:
    # In chunks: a national file has more codes than some databases accept in one IN (...).
    existing = {}
    for start in range(0, len(codes), chunk_size):
        chunk = codes[start : start + chunk_size]
        existing.update((n.code, n) for n in Neighbourhood.objects.filter(code__in=chunk))
    return existing


def _missing_property_problems(collection, code_property, name_property):
    available = property_names(collection)
    listed = ", ".join(available) if available else _("none")
    for parameter, wanted in (("code_property", code_property), ("name_property", name_property)):
        if not wanted:
            yield ImportProblem(
                _("Say which property holds each feature's %(what)s. The features have these "
                  "properties: %(available)s.")
                % {"what": _("code") if parameter == "code_property" else _("name"),
                   "available": listed},
                "property_required",
                parameter=parameter,
            )
        elif wanted not in available:
            yield ImportProblem(
                _("No feature has a property called “%(wanted)s”. The features have these "
                  "properties: %(available)s.") % {"wanted": wanted, "available": listed},
                "missing_property",
                parameter=parameter,
            )


def _validated_rows(collection, code_property, name_property, report) -> list[_Row]:
    """Parse every feature, adding a problem to `report` for each one that cannot be imported."""
    rows: list[_Row] = []
    first_number_of_code: dict[str, int] = {}
    for number, feature in enumerate(collection["features"], start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        code = _text(properties.get(code_property))
        name = _text(properties.get(name_property))

        def fail(message, error_code, number=number, code=code, name=name):
            report.problems.append(ImportProblem(
                _feature_message(number, code, name, message), error_code, feature_number=number
            ))
            report.failed_features += 1

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            fail(_("It is not a GeoJSON Feature."), "not_feature")
            continue
        if not code:
            fail(_("It has no value for the code property “%(property)s”.")
                 % {"property": code_property}, "no_code")
            continue
        if len(code) > CODE_MAX_LENGTH:
            fail(_("The code is longer than %(max)d characters.") % {"max": CODE_MAX_LENGTH},
                 "code_too_long")
            continue
        if code in first_number_of_code:
            fail(_("Feature %(number)d has the same code.")
                 % {"number": first_number_of_code[code]}, "duplicate_code")
            continue
        first_number_of_code[code] = number
        if not name:
            fail(_("It has no value for the name property “%(property)s”.")
                 % {"property": name_property}, "no_name")
            continue
        if len(name) > NAME_MAX_LENGTH:
            fail(_("The name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH},
                 "name_too_long")
            continue
        if not feature.get("geometry"):
            fail(_("It has no geometry."), "no_geometry")
            continue
        try:
            boundary = parse_boundary(feature)
        except BoundaryError as exc:
            fail(exc.message, exc.code)
            continue
        rows.append(_Row(number, code, name, boundary))
    return rows


def _text(value) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def _feature_message(number: int, code: str, name: str, message: str) -> str:
    label = " ".join(part for part in (code, name) if part)
    if label:
        return _("Feature %(number)d (%(label)s): %(message)s") % {
            "number": number, "label": label, "message": message}
    return _("Feature %(number)d: %(message)s") % {"number": number, "message": message}


def _resolve_locality(locality, create: bool) -> Locality | None:
    if locality is None or isinstance(locality, Locality):
        return locality
    name = str(locality).strip()
    if not name:
        return None
    found = Locality.objects.filter(name=name).first()
    if found is not None:
        return found
    # A dry run must not save the locality either; an unsaved one still counts as a change.
    new_locality = Locality(name=name, slug=_locality_slug(name))
    if create:
        new_locality.save()
    return new_locality


def _locality_slug(name: str) -> str:
    taken = set(Locality.objects.values_list("slug", flat=True))
    return unique_slug(name, "", taken.__contains__)


def _differs(neighbourhood: Neighbourhood, row: _Row, locality: Locality | None) -> bool:
    return (
        neighbourhood.name != row.name
        or neighbourhood.boundary != row.boundary.geojson
        or (locality is not None
            and (locality.pk is None or neighbourhood.locality_id != locality.pk))
    )
