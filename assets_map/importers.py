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

import csv
import io
import json
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from portal.neighbourhoods.geocoding import PostcodeError, geocode, normalise_postcode
from portal.neighbourhoods.geometry import point_in_uk
from portal.themes.models import Theme

from .audit import record
from .models import Asset, AssetCategory, Organisation, Service

PORTAL_REQUIRED = {"external_id", "name", "category"}
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
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = {name.strip() for name in (reader.fieldnames or [])}
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
    with transaction.atomic():
        for row in reader:
            line = reader.line_num
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items()
                   if not isinstance(v, list)}
            try:
                values, theme_slugs, organisation_name = parse(row, categories)
                with transaction.atomic():
                    created, asset = _save(values, theme_slugs, themes, organisation_name)
            except RowError as exc:
                report.errors.append((line, str(exc)))
                continue
            if created:
                report.created += 1
            else:
                report.updated += 1
            if asset.neighbourhood_id is None:
                report.warnings.append((line, _("“%(name)s” is outside every neighbourhood; "
                                                "imported without one.") % {"name": asset.name}))
            record(asset, user, "imported")
        if dry_run:
            transaction.set_rollback(True)
    return report


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


def _name(row: dict) -> str:
    name = row.get("name", "")
    if not name:
        raise RowError(_("The name is missing."))
    return name[:200]


def _library_row(row: dict, categories: dict):
    if not row.get("id"):
        raise RowError(_("The library id is missing."))
    name = _name(row)
    lat, lng, postcode = _location(row, "lat", "lng")
    closed = bool(row.get("closed"))
    kind = LIBRARY_TYPES.get(row.get("type", ""), "")
    summary = (_("Closed in %(year)s.") % {"year": row["closed_year"]}
               if closed and row.get("closed_year") else _("Closed.") if closed else kind)
    url = row.get("url", "")
    values = {
        "external_id": f"library:{row['id']}", "name": name if "library" in name.lower()
        else f"{name} Library", "category": categories.get("library") or _missing("library"),
        "address": row.get("address", "")[:300], "postcode": postcode, "latitude": lat,
        "longitude": lng, "summary": summary[:300], "description": row.get("notes", ""),
        "website": url if url.startswith(("http://", "https://")) else "",
        "status": Asset.ARCHIVED if closed else Asset.PUBLISHED,
    }
    return values, [], ""


def _missing(slug):
    raise RowError(_("There is no asset category “%(slug)s”.") % {"slug": slug})


def _portal_row(row: dict, categories: dict):
    external_id = row.get("external_id", "")
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
    website = row.get("website", "")
    if website and not website.startswith(("http://", "https://")):
        raise RowError(_("The website must start with http:// or https://."))
    values = {
        "external_id": external_id[:100], "name": name, "category": category,
        "summary": row.get("summary", "")[:300], "address": row.get("address", "")[:300],
        "postcode": postcode, "latitude": lat, "longitude": lng, "website": website,
        "languages": row.get("languages", "")[:200], "status": status,
        "is_hub": row.get("hub", "").lower() in YES,
        "step_free_access": row.get("step_free_access", "").lower() in YES,
        "accessible_toilet": row.get("accessible_toilet", "").lower() in YES,
        "hearing_loop": row.get("hearing_loop", "").lower() in YES,
        "bsl": row.get("bsl", "").lower() in YES,
    }
    theme_slugs = [s.strip() for s in row.get("themes", "").split(";") if s.strip()]
    return values, theme_slugs, row.get("organisation", "")


def _save(values: dict, theme_slugs: list, themes: dict, organisation_name: str):
    unknown = [slug for slug in theme_slugs if slug not in themes]
    if unknown:
        raise RowError(_("Unknown themes: %(themes)s.") % {"themes": ", ".join(unknown)})
    if organisation_name:
        values["organisation"] = (Organisation.objects.filter(name=organisation_name).first()
                                  or Organisation.objects.create(name=organisation_name[:200]))
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
        document = json.loads(read_text(data))
    except RowError as exc:
        report.errors.append((0, str(exc)))
        return report
    except json.JSONDecodeError as exc:
        report.errors.append((0, _("The file is not valid JSON (line %(line)d, column "
                                   "%(column)d: %(message)s).") % {
            "line": exc.lineno, "column": exc.colno, "message": exc.msg}))
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
    with transaction.atomic():
        for number, item in enumerate(items, start=1):
            try:
                with transaction.atomic():
                    created, asset = _oruk_service(item, category)
            except (RowError, ValueError, TypeError, AttributeError, KeyError) as exc:
                report.errors.append((number, str(exc) if isinstance(exc, RowError) else
                                      _("The service is not in the expected shape (%(error)s).")
                                      % {"error": exc}))
                continue
            report.created += created
            report.updated += not created
            if asset.neighbourhood_id is None:
                report.warnings.append((number, _("“%(name)s” is outside every neighbourhood; "
                                                  "imported without one.") % {"name": asset.name}))
            record(asset, user, "imported")
        if dry_run:
            transaction.set_rollback(True)
    return report


def _oruk_service(item: dict, category) -> tuple[bool, Asset]:
    if not isinstance(item, dict):
        raise RowError(_("Each item must be a JSON object."))
    name = (item.get("name") or "").strip()
    if not name:
        raise RowError(_("The service name is missing."))
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
        organisation, _created = Organisation.objects.update_or_create(
            external_id=f"oruk:{org.get('id')}"[:100], defaults={
                "name": org["name"][:200], "description": org.get("description") or "",
                "website": org.get("website") or ""})
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
    asset.name = (location.get("name") or name)[:200]
    asset.latitude, asset.longitude = float(lat), float(lng)
    asset.postcode = postcode
    asset.address = ", ".join(part for part in (address.get("address_1"), address.get("city"))
                              if part)[:300]
    asset.organisation = asset.organisation or organisation
    asset.save()
    service = Service.objects.filter(uuid=service_id).first() or Service(uuid=service_id)
    service.asset, service.organisation = asset, organisation
    service.name = name[:200]
    service.description = item.get("description") or ""
    service.save()
    return created, asset
