"""CSV import of assets: row by row, idempotent by external id, bad rows reported and skipped.

Two layouts are recognised from the header:
- the portal's own export (`opendata.CSV_HEADER`: external_id, name, category, ...);
- the LibrariesHacked / DCMS public libraries list (name, id, address, postcode, lat, lng, type,
  closed, url, ...): every row is a "Library"; external id "library:<id>"; a row with `closed`
  set (XL, XLR) is kept as an *archived* asset (it was a real place; it is no longer shown).
  E-mail columns are not imported: they may name a person.
An asset outside every neighbourhood is imported with no neighbourhood and listed as a warning
(it still appears on the map and in open data; the gaps table ignores it).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import spreadsheets
from portal.csv_input import CSVRows
from portal.json_input import NestedTooDeep, loads_json
from portal.neighbourhoods.geocoding import PostcodeError, geocode, normalise_postcode
from portal.neighbourhoods.geometry import point_in_uk
from portal.themes.models import Theme
from portal.validators import validate_name

from .audit import record
from .features import deferred_features
from .models import Asset, AssetCategory, Organisation, Service

PORTAL_REQUIRED = {"external_id", "name", "category"}
NAME_MAX_LENGTH = Asset._meta.get_field("name").max_length
ADDRESS_MAX_LENGTH = Asset._meta.get_field("address").max_length
SUMMARY_MAX_LENGTH = Asset._meta.get_field("summary").max_length
LANGUAGES_MAX_LENGTH = Asset._meta.get_field("languages").max_length
EXTERNAL_ID_MAX_LENGTH = Asset._meta.get_field("external_id").max_length
WEBSITE_MAX_LENGTH = Asset._meta.get_field("website").max_length
_validate_website = URLValidator(schemes=["http", "https"])
LIBRARY_REQUIRED = {"name", "id", "address", "postcode", "lat", "lng", "closed"}
LIBRARY_TYPES = {"LAL": "Run by the council", "ICL": "Independent community library",
                 "CRL": "Community-run library, commissioned by the council"}
YES = {"yes", "y", "true", "t", "1"}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        prefix = _("Dry run: nothing was saved. ") if self.dry_run else ""
        out = [prefix + _("%(created)d created, %(updated)d updated, %(skipped)d skipped.") % {
            "created": self.created, "updated": self.updated, "skipped": len(self.errors)}]
        out += [_("Line %(line)d: %(message)s") % {"line": line, "message": message}
                if line else message for line, message in self.errors]
        out += [_("Line %(line)d (warning): %(message)s") % {"line": line, "message": message}
                for line, message in self.warnings]
        return out


class RowError(ValueError):
    pass


def read_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = _("The file is not UTF-8 text (byte %(position)d cannot be read). "
                    "Save it as “CSV UTF-8” and try again.") % {"position": exc.start}
        raise RowError(message) from exc


def import_assets_csv(data: bytes, dry_run: bool = False, user=None) -> ImportReport:
    """Import assets from CSV bytes; see the module docstring for the layouts."""
    report = ImportReport(dry_run=dry_run)
    try:
        text = read_text(data)
    except RowError as exc:
        report.errors.append((0, str(exc)))
        return report
    reader = CSVRows(text)
    if reader.problem:
        report.errors.append((reader.line_num, reader.problem))
        return report
    header = set(reader.fieldnames)
    if LIBRARY_REQUIRED <= header:
        parse = _library_row
    elif PORTAL_REQUIRED <= header:
        parse = _portal_row
    else:
        report.errors.append((0, _(
            "The header is not one this importer knows. It needs the columns %(portal)s (the "
            "portal's own CSV) or %(library)s (the public libraries list). Found: %(found)s."
        ) % {"portal": ", ".join(sorted(PORTAL_REQUIRED)),
             "library": ", ".join(sorted(LIBRARY_REQUIRED)),
             "found": ", ".join(sorted(header)) or _("nothing")}))
        return report
    categories = {c.slug: c for c in AssetCategory.objects.all()}
    categories.update({c.name.lower(): c for c in categories.values()})
    themes = {t.slug: t for t in Theme.objects.all()}
    with transaction.atomic(), deferred_features():  # each asset's feature built once
        for line, row, problem in reader:
            if problem is not None:
                report.errors.append((line, problem))
                continue
            _import_row(line, row, parse, categories, themes, report, user)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import_row(line, row, parse, categories, themes, report, user) -> None:
    """Import one CSV row; its problem, or what was cut or left out of it, goes to `report`."""
    # restore: take off the quote the portal's CSV export puts before formula-like text
    row = {(k or "").strip(): spreadsheets.restore((v or "").strip())
           for k, v in row.items() if not isinstance(v, list)}
    notes: list[str] = []
    try:
        _refuse_nul(row)
        values, theme_slugs, organisation_name = parse(row, categories, notes)
        with transaction.atomic():
            created, asset = _save(values, theme_slugs, themes, organisation_name)
    except RowError as exc:
        report.errors.append((line, str(exc)))
        return
    if created:
        report.created += 1
    else:
        report.updated += 1
    report.warnings.extend((line, note) for note in notes)
    if asset.neighbourhood_id is None:
        report.warnings.append((line, _("“%(name)s” is outside every neighbourhood; "
                                        "imported without one.") % {"name": asset.name}))
    record(asset, user, "imported")


def _refuse_nul(row: dict) -> None:
    for column, value in row.items():
        if "\x00" in value:
            raise RowError(_("The “%(column)s” column contains a null character (NUL); the row "
                             "was skipped. Remove it and import the file again.")
                           % {"column": _excerpt(column)})


def _excerpt(value: str, length: int = 60) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def _fit(row: dict, column: str, max_length: int, notes: list[str]) -> str:
    """The column's value, cut to `max_length` characters with a note when it is longer."""
    value = row.get(column, "")
    if len(value) > max_length:
        notes.append(_("The “%(column)s” was %(length)s characters long; only its first "
                       "%(max)s were imported.") % {
            "column": column, "length": f"{len(value):,}", "max": max_length})
        return value[:max_length]
    return value


def _website(value: str) -> str:
    """The value if it is an http(s) address the asset can hold, else RowError."""
    try:
        _validate_website(value)
    except ValidationError as exc:
        raise RowError(_("The website “%(url)s” is not a web address starting with http:// or "
                         "https:// (of at most %(max)d characters).")
                       % {"url": _excerpt(value), "max": WEBSITE_MAX_LENGTH}) from exc
    return value


def _float(value: str, label: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise RowError(_("%(label)s “%(value)s” is not a number.") % {
            "label": label, "value": value[:30]}) from exc


def _location(row: dict, lat_key: str, lng_key: str) -> tuple[float, float, str]:
    postcode = row.get("postcode", "")
    if postcode:
        try:
            postcode = normalise_postcode(postcode)
        except PostcodeError as exc:
            raise RowError(str(exc.message)) from exc
    if row.get(lat_key) or row.get(lng_key):
        lat = _float(row.get(lat_key, ""), _("Latitude"))
        lng = _float(row.get(lng_key, ""), _("Longitude"))
        if not point_in_uk(lat, lng):
            if point_in_uk(lng, lat):
                raise RowError(_("Latitude and longitude look swapped (%(lat)s, %(lng)s).")
                               % {"lat": lat, "lng": lng})
            raise RowError(_("The location (%(lat)s, %(lng)s) is outside the United Kingdom.")
                           % {"lat": lat, "lng": lng})
        return lat, lng, postcode
    if not postcode:
        raise RowError(_("Give a latitude and longitude or a postcode."))
    try:
        location = geocode(postcode)
    except PostcodeError as exc:
        raise RowError(str(exc.message)) from exc
    return location.latitude, location.longitude, location.postcode


def _name(row: dict, column: str = "name") -> str:
    """The name, refused (not cut) when too long or not one line of text."""
    name = row.get(column, "")
    if not name:
        raise RowError(_("The name is missing."))
    if len(name) > NAME_MAX_LENGTH:
        raise RowError(_("The “%(column)s” is %(length)s characters long; it may have at most "
                         "%(max)s.") % {"column": column, "length": f"{len(name):,}",
                                        "max": NAME_MAX_LENGTH})
    try:
        validate_name(name)
    except ValidationError as exc:
        raise RowError(exc.messages[0]) from exc
    return name


def _library_row(row: dict, categories: dict, notes: list[str]):
    if not row.get("id"):
        raise RowError(_("The library id is missing."))
    external_id = _external_id(f"library:{row['id']}")
    name = _name(row)
    if "library" not in name.lower() and len(name) + len(" Library") <= NAME_MAX_LENGTH:
        name = f"{name} Library"
    lat, lng, postcode = _location(row, "lat", "lng")
    closed = bool(row.get("closed"))
    kind = LIBRARY_TYPES.get(row.get("type", ""), "")
    summary = (_("Closed in %(year)s.") % {"year": row["closed_year"]}
               if closed and row.get("closed_year") else _("Closed.") if closed else kind)
    website = _library_website(row.get("url", ""), notes)
    values = {
        "external_id": external_id, "name": name,
        "category": categories.get("library") or _missing("library"),
        "address": _fit(row, "address", ADDRESS_MAX_LENGTH, notes), "postcode": postcode,
        "latitude": lat, "longitude": lng, "summary": summary[:SUMMARY_MAX_LENGTH],
        "description": row.get("notes", ""), "website": website,
        "status": Asset.ARCHIVED if closed else Asset.PUBLISHED,
    }
    return values, [], ""


def _library_website(url: str, notes: list[str]) -> str:
    """The url as a website; "www.example.org" gets "http://" (noted), anything else that is
    not an http(s) address is left out (noted)."""
    if not url:
        return ""
    if ":" not in url.split("/", 1)[0] and "." in url.split("/", 1)[0]:
        try:
            website = _website(f"http://{url}")
        except RowError:
            pass
        else:
            notes.append(_("The website “%(url)s” has no http:// or https://; it was imported "
                           "as %(website)s.") % {"url": _excerpt(url), "website": website})
            return website
    try:
        return _website(url)
    except RowError as exc:
        notes.append(_("%(problem)s The library was imported without a website.")
                     % {"problem": exc})
        return ""


def _optional_website(url: str, notes: list[str]) -> str:
    """The url if it is an http(s) address, else "" with a note saying it was left out."""
    try:
        return _website(url) if url else ""
    except RowError as exc:
        notes.append(_("%(problem)s It was left out.") % {"problem": exc})
        return ""


def _external_id(value: str) -> str:
    # Cutting an id could make two rows one asset: refused instead.
    if len(value) > EXTERNAL_ID_MAX_LENGTH:
        raise RowError(_("The id “%(id)s” is longer than %(max)d characters.")
                       % {"id": _excerpt(value), "max": EXTERNAL_ID_MAX_LENGTH})
    return value


def _missing(slug):
    raise RowError(_("There is no asset category “%(slug)s”.") % {"slug": slug})


def _portal_row(row: dict, categories: dict, notes: list[str]):
    external_id = _external_id(row.get("external_id", ""))
    if not external_id:
        raise RowError(_("The external_id is missing."))
    name = _name(row)
    category_key = row.get("category", "").lower()
    if not category_key:
        raise RowError(_("The category is missing."))
    category = categories.get(category_key) or _missing(category_key)
    lat, lng, postcode = _location(row, "latitude", "longitude")
    status = row.get("status") or Asset.PUBLISHED
    if status not in dict(Asset.STATUS_CHOICES):
        raise RowError(_("Unknown status “%(status)s”.") % {"status": status[:30]})
    website = _website(row["website"]) if row.get("website") else ""
    organisation_name = _name(row, "organisation") if row.get("organisation") else ""
    values = {
        "external_id": external_id, "name": name, "category": category,
        "summary": _fit(row, "summary", SUMMARY_MAX_LENGTH, notes),
        "address": _fit(row, "address", ADDRESS_MAX_LENGTH, notes),
        "postcode": postcode, "latitude": lat, "longitude": lng, "website": website,
        "languages": _fit(row, "languages", LANGUAGES_MAX_LENGTH, notes), "status": status,
        "is_hub": row.get("hub", "").lower() in YES,
        "step_free_access": row.get("step_free_access", "").lower() in YES,
        "accessible_toilet": row.get("accessible_toilet", "").lower() in YES,
        "hearing_loop": row.get("hearing_loop", "").lower() in YES,
        "bsl": row.get("bsl", "").lower() in YES,
    }
    theme_slugs = [s.strip() for s in row.get("themes", "").split(";") if s.strip()]
    return values, theme_slugs, organisation_name


def _save(values: dict, theme_slugs: list, themes: dict, organisation_name: str):
    unknown = [slug for slug in theme_slugs if slug not in themes]
    if unknown:
        raise RowError(_("Unknown themes: %(themes)s.")
                       % {"themes": _excerpt(", ".join(unknown), 200)})
    if organisation_name:
        values["organisation"] = (Organisation.objects.filter(name=organisation_name).first()
                                  # an officer's import: verified by whoever ran it
                                  or Organisation.objects.create(name=organisation_name[:200],
                                                                 verified_at=timezone.now()))
    asset = Asset.objects.filter(external_id=values["external_id"]).first()
    created = asset is None
    asset = asset or Asset()
    for name, value in values.items():
        setattr(asset, name, value)
    asset.save()
    if theme_slugs:
        asset.themes.set([themes[slug] for slug in theme_slugs])
    return created, asset


# --- Open Referral UK -------------------------------------------------------------------------

def import_openreferral(data: bytes, dry_run: bool = False, user=None) -> ImportReport:
    """Import ORUK 3.0 services (a list page, a list, or one service) with their locations.

    Each service needs at least one service_at_location with a physical location that has a
    latitude and longitude. Organisations match on "oruk:<id>", assets on "oruk:<location id>",
    services on their UUID, so running it again updates rather than duplicates. Items are
    numbered from 1 in the report.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        document = loads_json(read_text(data))
    except RowError as exc:
        report.errors.append((0, str(exc)))
        return report
    except json.JSONDecodeError as exc:
        report.errors.append((0, _("The file is not valid JSON (line %(line)d, column "
                                   "%(column)d: %(message)s).") % {
            "line": exc.lineno, "column": exc.colno, "message": exc.msg}))
        return report
    except NestedTooDeep:
        report.errors.append((0, _("The file is not Open Referral JSON: its arrays or objects "
                                   "are nested too deeply to read.")))
        return report
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items = document["contents"]
    elif isinstance(document, list):
        items = document
    elif isinstance(document, dict) and "id" in document:
        items = [document]
    else:
        report.errors.append((0, _("Expected an Open Referral service, a list of services or a "
                                   "page with “contents”.")))
        return report
    category = AssetCategory.objects.filter(slug="vcs-service").first()
    with transaction.atomic(), deferred_features():  # each asset's feature built once
        for number, item in enumerate(items, start=1):
            notes: list[str] = []
            try:
                with transaction.atomic():
                    created, asset = _oruk_service(item, category, notes)
            except (RowError, ValueError, TypeError, AttributeError, KeyError) as exc:
                report.errors.append((number, str(exc) if isinstance(exc, RowError) else
                                      _("The service is not in the expected shape (%(error)s).")
                                      % {"error": exc}))
                continue
            report.created += created
            report.updated += not created
            report.warnings.extend((number, note) for note in notes)
            if asset.neighbourhood_id is None:
                report.warnings.append((number, _("“%(name)s” is outside every neighbourhood; "
                                                  "imported without one.") % {"name": asset.name}))
            record(asset, user, "imported")
        if dry_run:
            transaction.set_rollback(True)
    return report


def _oruk_text(item: dict, key: str, max_length: int, notes: list[str]) -> str:
    """A text member of an ORUK object: refused if not text or holding NUL, cut with a note."""
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str) or "\x00" in value:
        raise RowError(_("“%(key)s” must be text without null characters.") % {"key": key})
    value = value.strip()
    if max_length and len(value) > max_length:
        notes.append(_("The “%(column)s” was %(length)s characters long; only its first "
                       "%(max)s were imported.") % {
            "column": key, "length": f"{len(value):,}", "max": max_length})
        return value[:max_length]
    return value


def _oruk_service(item: dict, category, notes: list[str]) -> tuple[bool, Asset]:
    if not isinstance(item, dict):
        raise RowError(_("Each item must be a JSON object."))
    name = _name({"name": _oruk_text(item, "name", 0, notes)})
    try:
        service_id = uuid.UUID(str(item.get("id")))
    except ValueError as exc:
        raise RowError(_("The service id “%(id)s” is not a UUID.") % {
            "id": str(item.get("id"))[:40]}) from exc
    locations = [sal.get("location") for sal in item.get("service_at_locations") or []
                 if isinstance(sal, dict) and isinstance(sal.get("location"), dict)]
    location = next((loc for loc in locations if loc.get("latitude") is not None), None)
    if location is None:
        raise RowError(_("“%(name)s” has no location with a latitude and longitude.")
                       % {"name": name})
    lat, lng = location.get("latitude"), location.get("longitude")
    if not isinstance(lat, int | float) or not isinstance(lng, int | float):
        raise RowError(_("The location's latitude and longitude must be numbers."))
    if not point_in_uk(lat, lng):
        raise RowError(_("The location (%(lat)s, %(lng)s) is outside the United Kingdom.")
                       % {"lat": lat, "lng": lng})
    if category is None:
        _missing("vcs-service")
    organisation = None
    org = item.get("organization")
    if isinstance(org, dict) and org.get("name"):
        org = {**org, "name": _name({"name": _oruk_text(org, "name", 0, notes)}),
               "description": _oruk_text(org, "description", 0, notes),
               "website": _optional_website(_oruk_text(org, "website", 0, notes), notes)}
        organisation, _created = Organisation.objects.update_or_create(
            external_id=f"oruk:{org.get('id')}"[:100], defaults={
                "name": org["name"][:200], "description": org.get("description") or "",
                "website": org.get("website") or ""}, create_defaults={
                "name": org["name"][:200], "description": org.get("description") or "",
                "website": org.get("website") or "", "verified_at": timezone.now()})
    address = (location.get("addresses") or [{}])[0] or {}
    postcode = address.get("postal_code") or ""
    try:
        postcode = normalise_postcode(postcode) if postcode else ""
    except PostcodeError:
        postcode = ""
    asset = Asset.objects.filter(external_id=f"oruk:{location.get('id')}"[:100]).first()
    created = asset is None
    asset = asset or Asset(external_id=f"oruk:{location.get('id')}"[:100],
                           status=Asset.PUBLISHED, category=category)
    asset.name = _name({"name": _oruk_text(location, "name", 0, notes) or name})
    asset.latitude, asset.longitude = float(lat), float(lng)
    asset.postcode = postcode
    asset.address = _fit({"address": ", ".join(
        _oruk_text(address, key, 0, notes) for key in ("address_1", "city") if address.get(key))},
        "address", ADDRESS_MAX_LENGTH, notes)
    asset.organisation = asset.organisation or organisation
    asset.save()
    service = Service.objects.filter(uuid=service_id).first() or Service(uuid=service_id)
    service.asset, service.organisation = asset, organisation
    service.name = name
    service.description = _oruk_text(item, "description", 0, notes)
    service.save()
    return created, asset
