"""Business logic of the asset map: search, moderation, open data, neighbourhood assignment."""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import re
import uuid
from collections import defaultdict
from difflib import SequenceMatcher

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.errors import InputError
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

from .models import (
    ACCESSIBILITY_FEATURES,
    METRES_PER_DEGREE,
    Asset,
    AssetCategory,
    AssetMapPage,
    AssetPhoto,
    AuditEvent,
    JoinRequest,
    OpeningHours,
    Organisation,
    OrganisationMembership,
    Service,
    Submission,
)

VERSION_KEY = "assets_map:version"
ASSET_FIELDS = [
    "name", "summary", "description", "category_id", "address", "postcode", "latitude",
    "longitude", "hours_notes", "step_free_access", "accessible_toilet", "hearing_loop", "bsl",
    "languages", "public_email", "public_phone", "website", "is_hub",
]
PHOTO_FIELDS = ["image_id", "alt_text", "decorative", "caption"]
PHOTO_SALT = "assets_map.photo"
SERVICE_FIELDS = ["name", "description", "eligibility", "cost", "how_to_access"]


# --- cache versioning -------------------------------------------------------------------------

def data_version() -> str:
    """A token that changes whenever any asset changes, for keys of cached open-data output."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    return version


def assets_changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


# --- where assets are shown -------------------------------------------------------------------

def map_page() -> AssetMapPage | None:
    """The live asset map page in the active language (or any, if it is not translated)."""
    from wagtail.models import Locale

    pages = AssetMapPage.objects.live().order_by("pk")
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return pages.first()
    return pages.filter(locale=locale).first() or pages.first()


def asset_base_url(request=None) -> str:
    """The URL prefix of asset pages ("/community-assets/"), or "" without a live map page."""
    page = map_page()
    return page.get_url(request) if page else ""


def asset_url(asset, base: str) -> str:
    return f"{base}{asset.slug}/" if base else ""


# --- neighbourhoods ---------------------------------------------------------------------------

def recompute_neighbourhoods() -> int:
    """Re-derive every asset's neighbourhood from the current boundaries; returns changes."""
    from portal.neighbourhoods.services import NeighbourhoodLocator

    locator = NeighbourhoodLocator(Neighbourhood.objects.values_list("id", "code", "boundary"))
    rows = list(Asset.objects.values_list("id", "latitude", "longitude", "neighbourhood_id"))
    found = locator.locate_many([(lat, lng) for _, lat, lng, _n in rows])
    changed = [Asset(id=row[0], neighbourhood_id=new)
               for row, new in zip(rows, found, strict=True) if row[3] != new]
    Asset.objects.bulk_update(changed, ["neighbourhood_id"], batch_size=500)
    if changed:
        assets_changed()
    return len(changed)


# --- search -----------------------------------------------------------------------------------

def search_assets(filters: dict, base_qs=None):
    """Published assets matching cleaned filter values (see forms.AssetFilterForm)."""
    qs = base_qs if base_qs is not None else Asset.objects.published()
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("theme"):
        qs = qs.filter(themes=filters["theme"])
    if filters.get("neighbourhood"):
        qs = qs.filter(neighbourhood=filters["neighbourhood"])
    for feature in filters.get("features") or []:
        qs = qs.filter(**{feature: True})
    if filters.get("hubs"):
        qs = qs.filter(is_hub=True)
    if filters.get("q"):
        text = filters["q"]
        qs = qs.filter(Q(name__icontains=text) | Q(summary__icontains=text)
                       | Q(description__icontains=text) | Q(services__name__icontains=text))
    if filters.get("open_now"):
        now = timezone.localtime()
        qs = qs.filter(opening_hours__weekday=now.weekday(), opening_hours__opens__lte=now.time(),
                       opening_hours__closes__gt=now.time())
    if filters.get("bbox"):
        qs = qs.in_bbox(*filters["bbox"])
    if filters.get("q") or filters.get("open_now"):
        qs = qs.distinct()  # these join to many-valued relations
    if filters.get("location"):
        location = filters["location"]
        return qs.near(location.latitude, location.longitude)
    return qs.order_by("name")


# --- GeoJSON and CSV --------------------------------------------------------------------------

def _themes_by_asset(qs) -> dict[int, list[str]]:
    """Theme slugs per asset of a queryset, in two small queries whatever its size."""
    slugs = dict(Theme.objects.values_list("pk", "slug"))
    names = dict(Theme.objects.values_list("pk", "name"))
    through = Asset.themes.through
    themes = defaultdict(list)
    pairs = through.objects.filter(asset__in=qs.order_by().values("pk"))
    for asset_id, theme_id in sorted(pairs.values_list("asset_id", "theme_id"),
                                     key=lambda pair: (pair[0], names[pair[1]])):
        themes[asset_id].append(slugs[theme_id])
    return themes


def geojson(qs, base_url: str) -> dict:
    """An RFC 7946 FeatureCollection of assets as Points (lon, lat), in a constant number of
    queries. Each feature's id is the asset's slug (stable, and its page's address).

    Names of categories, organisations and neighbourhoods come from small look-up tables rather
    than joins, and the date as text, which keeps the per-row cost low at 10,000 assets.
    """
    rows = list(qs.annotate(checked=Cast("last_verified", CharField())).values_list(
        "id", "slug", "name", "summary", "address", "postcode", "latitude", "longitude",
        "is_hub", "checked", "category_id", "organisation_id", "neighbourhood_id",
    ))
    if not rows:
        return {"type": "FeatureCollection", "features": []}
    themes = _themes_by_asset(qs)
    categories = {pk: (name, slug) for pk, name, slug in
                  AssetCategory.objects.values_list("pk", "name", "slug")}
    organisations = dict(Organisation.objects.filter(assets__in=qs.order_by().values("pk"))
                         .values_list("pk", "name").distinct())
    neighbourhoods = {pk: (name, code) for pk, name, code in
                      Neighbourhood.objects.values_list("pk", "name", "code")}
    no_area = (None, None)
    features = []
    for (pk, slug, name, summary, address, postcode, lat, lng, hub, checked, category_id,
         organisation_id, neighbourhood_id) in rows:
        category, category_slug = categories[category_id]
        area, code = neighbourhoods.get(neighbourhood_id, no_area)
        features.append({
            "type": "Feature",
            "id": slug,
            "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
            "properties": {
                "name": name, "summary": summary, "category": category,
                "category_slug": category_slug,
                "organisation": organisations.get(organisation_id),
                "address": address, "postcode": postcode, "neighbourhood": area,
                "neighbourhood_code": code, "themes": themes.get(pk, []), "hub": hub,
                "last_checked": checked, "url": f"{base_url}{slug}/" if base_url else None,
            },
        })
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(qs, base_url: str, cache_key: str | None = None) -> bytes:
    """The FeatureCollection serialised, cached per filter set until an asset changes."""
    if cache_key:
        key = f"assets_map:geojson:{data_version()}:{base_url}:{cache_key}"
        cached = cache.get(key)
        if cached is not None:
            return cached
    body = json.dumps(geojson(qs, base_url), separators=(",", ":")).encode()
    if cache_key:
        cache.set(key, body, 600)
    return body


CSV_HEADER = [
    "external_id", "name", "category", "organisation", "summary", "address", "postcode",
    "latitude", "longitude", "neighbourhood_code", "themes", "hub", "step_free_access",
    "accessible_toilet", "hearing_loop", "bsl", "languages", "website", "status", "last_checked",
]


def csv_export(qs) -> str:
    """Published assets as CSV (the importer reads the same columns). No personal details."""
    rows = list(qs.values(
        "id", "uuid", "external_id", "name", "category__slug", "organisation__name", "summary",
        "address", "postcode", "latitude", "longitude", "neighbourhood__code", "is_hub",
        "step_free_access", "accessible_toilet", "hearing_loop", "bsl", "languages", "website",
        "status", "last_verified",
    ))
    themes = _themes_by_asset(qs) if rows else {}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([
            row["external_id"] or f"portal:{row['uuid']}", row["name"], row["category__slug"],
            row["organisation__name"] or "", row["summary"], row["address"], row["postcode"],
            f"{row['latitude']:.6f}", f"{row['longitude']:.6f}", row["neighbourhood__code"] or "",
            ";".join(themes.get(row["id"], [])), _yes(row["is_hub"]),
            _yes(row["step_free_access"]), _yes(row["accessible_toilet"]),
            _yes(row["hearing_loop"]), _yes(row["bsl"]), row["languages"], row["website"],
            row["status"], row["last_verified"].isoformat() if row["last_verified"] else "",
        ])
    return out.getvalue()


def _yes(value: bool) -> str:
    return "yes" if value else "no"


# --- self-service and moderation --------------------------------------------------------------

def payload(cleaned: dict, hours: list, services: list, photos: list | None = None) -> dict:
    """A JSON snapshot of a proposed asset version, from a form's cleaned data.

    `photos` are dicts with image_id, alt_text, decorative and caption, in gallery order.
    """
    fields = {}
    for name in ASSET_FIELDS:
        key = "category" if name == "category_id" else name
        value = cleaned.get(key)
        if name == "category_id" and value is not None:
            value = value.pk
        fields[name] = value
    return {
        "fields": fields,
        "themes": sorted(theme.pk for theme in cleaned.get("themes") or []),
        "hours": [[day, opens.strftime("%H:%M"), closes.strftime("%H:%M")]
                  for day, opens, closes in hours],
        "services": [{name: service.get(name, "") for name in SERVICE_FIELDS}
                     for service in services],
        "photos": [{name: photo.get(name) for name in PHOTO_FIELDS} for photo in photos or []],
    }


def max_photo_bytes() -> int:
    """The largest photo an organisation may upload (settings.ASSETS_MAP_MAX_PHOTO_BYTES)."""
    return getattr(settings, "ASSETS_MAP_MAX_PHOTO_BYTES", 5 * 1024 * 1024)


def max_photos() -> int:
    """How many photos an asset may have (settings.ASSETS_MAP_MAX_PHOTOS)."""
    return getattr(settings, "ASSETS_MAP_MAX_PHOTOS", 10)


def store_photo(upload, description: str, title: str):
    """Save an uploaded photo as a Wagtail image in the root collection; returns the image.

    The image is not shown anywhere until a version of an asset that uses it is published.
    """
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    Image = get_image_model()
    image = Image(title=(title or upload.name)[:255], description=description[:255],
                  collection=Collection.get_first_root_node())
    image.file.save(upload.name, upload, save=False)
    image.save()
    return image


def photo_token(image_id: int) -> str:
    """A signed reference to an uploaded image, so a form can keep it between requests
    without letting anyone point at somebody else's image."""
    return signing.dumps(image_id, salt=PHOTO_SALT)


def image_id_from_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=PHOTO_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def snapshot(asset: Asset) -> dict:
    """The current version of an asset in payload form (to prefill forms and compare)."""
    return {
        "fields": {name: getattr(asset, name) for name in ASSET_FIELDS},
        "themes": sorted(asset.themes.values_list("pk", flat=True)),
        "hours": [[h.weekday, h.opens.strftime("%H:%M"), h.closes.strftime("%H:%M")]
                  for h in asset.opening_hours.all()],
        "services": [{name: getattr(s, name) for name in SERVICE_FIELDS}
                     for s in asset.services.all()],
        "photos": [{name: getattr(p, name) for name in PHOTO_FIELDS}
                   for p in asset.photos.all()],
    }


@transaction.atomic
def apply_payload(asset: Asset, data: dict) -> Asset:
    """Write a payload onto an asset with its hours, services and photos (replacing them)."""
    for name, value in data["fields"].items():
        if name in ASSET_FIELDS:  # older payloads may carry fields that are gone
            setattr(asset, name, value)
    asset.save()
    asset.themes.set(Theme.objects.filter(pk__in=data["themes"]))
    asset.opening_hours.all().delete()
    OpeningHours.objects.bulk_create([
        OpeningHours(asset=asset, weekday=day, opens=datetime.time.fromisoformat(opens),
                     closes=datetime.time.fromisoformat(closes))
        for day, opens, closes in data["hours"]
    ])
    existing = list(asset.services.all())
    for index, service_data in enumerate(data["services"]):
        service = existing[index] if index < len(existing) else Service(asset=asset)
        for name, value in service_data.items():
            setattr(service, name, value)
        service.sort_order = index
        service.save()
    for service in existing[len(data["services"]):]:
        service.delete()
    if "photos" in data:
        asset.photos.all().delete()
        AssetPhoto.objects.bulk_create([
            AssetPhoto(asset=asset, image_id=photo["image_id"],
                       alt_text=photo.get("alt_text") or "",
                       decorative=bool(photo.get("decorative")),
                       caption=photo.get("caption") or "", sort_order=index)
            for index, photo in enumerate(data["photos"])
        ])
    assets_changed()
    return asset


def record(asset, actor, action: str, reason: str = "") -> AuditEvent:
    """Add an entry to an asset's audit trail."""
    return AuditEvent.objects.create(asset=asset, asset_name=asset.name[:200], actor=actor,
                                     action=action, reason=reason)


def record_organisation(organisation, actor, action: str, reason: str = "",
                        subject_user=None) -> AuditEvent:
    """Add an entry about an organisation's membership to the audit trail."""
    return AuditEvent.objects.create(organisation=organisation,
                                     asset_name=organisation.name[:200], actor=actor,
                                     action=action, reason=reason, subject_user=subject_user)


@transaction.atomic
def save_draft(asset: Asset, data: dict, user) -> tuple[Asset, Submission | None]:
    """Save an organisation's edit: drafts change in place; a published asset's edit is held.

    A published asset stays live and unchanged: the edit is kept as a draft Submission (in the
    database, so nothing typed is lost) for its author to preview and then submit. Saving again
    replaces that draft.
    """
    if asset.pk and asset.status == Asset.PUBLISHED:
        submission = draft_edit(asset)
        if submission is None:
            submission = Submission(asset=asset, is_new=False, status=Submission.DRAFT)
        submission.data, submission.submitted_by = data, user
        submission.save()
        record(asset, user, "edit saved")
        return asset, submission
    created = asset.pk is None
    if created:
        asset.created_by = user
    if asset.status in (Asset.REJECTED, Asset.PENDING):
        asset.status = Asset.DRAFT
        asset.submissions.filter(status=Submission.PENDING).update(status=Submission.WITHDRAWN)
    apply_payload(asset, data)
    record(asset, user, "created" if created else "draft saved")
    return asset, None


@transaction.atomic
def submit_for_moderation(asset: Asset, user) -> Submission:
    """Send a draft (new or rejected) asset, or a published asset's previewed edit, to the
    moderation queue. Earlier pending versions of the same asset are replaced."""
    if asset.status == Asset.PUBLISHED:
        edit = draft_edit(asset)
        if edit is None:
            raise InputError(_("There are no changes to send. Edit the asset first."),
                             "nothing_to_submit")
        asset.submissions.filter(status=Submission.PENDING).update(
            status=Submission.WITHDRAWN)
        edit.status, edit.submitted_by, edit.submitted_at = Submission.PENDING, user, \
            timezone.now()
        edit.save()
        record(asset, user, "edit submitted")
        return edit
    if asset.status not in (Asset.DRAFT, Asset.REJECTED):
        raise InputError(_("This asset is already waiting for moderation."), "already_pending")
    asset.submissions.filter(status=Submission.PENDING).update(status=Submission.WITHDRAWN)
    submission = Submission.objects.create(asset=asset, data=json.loads(
        json.dumps(snapshot(asset), default=str)), is_new=True, submitted_by=user)
    asset.status = Asset.PENDING
    asset.save(update_fields=["status", "updated_at"])
    record(asset, user, "submitted")
    return submission


def pending_edit(asset: Asset) -> Submission | None:
    """A published asset's edit waiting for an officer, if any."""
    return asset.submissions.filter(status=Submission.PENDING, is_new=False).last()


def draft_edit(asset: Asset) -> Submission | None:
    """A published asset's edit saved for preview and not sent yet, if any."""
    return asset.submissions.filter(status=Submission.DRAFT, is_new=False).last()


def working_version(asset: Asset) -> tuple[dict, Submission | None]:
    """The version an organisation member continues from: their unsent edit, else the edit
    waiting for moderation, else the asset as it is."""
    edit = draft_edit(asset) or pending_edit(asset)
    return (edit.data, edit) if edit else (snapshot(asset), None)


def preview_version(asset: Asset, data: dict) -> dict:
    """An unsaved copy of `asset` as `data` would make it, with its hours, services and photos,
    for showing a version in the public page's template without touching the live asset."""
    from wagtail.images import get_image_model

    from .models import locate

    version = Asset(uuid=asset.uuid, slug=asset.slug, organisation=asset.organisation,
                    status=asset.status, last_verified=asset.last_verified)
    for name, value in data["fields"].items():
        if name in ASSET_FIELDS:
            setattr(version, name, value)
    version.neighbourhood_id = locate(version.latitude, version.longitude)
    existing = list(asset.services.all()) if asset.pk else []
    services = [
        Service(name=row.get("name", ""), description=row.get("description", ""),
                eligibility=row.get("eligibility", ""), cost=row.get("cost", ""),
                how_to_access=row.get("how_to_access", ""),
                organisation=existing[index].organisation if index < len(existing) else None)
        for index, row in enumerate(data["services"])
    ]
    hours = [OpeningHours(weekday=day, opens=datetime.time.fromisoformat(opens),
                          closes=datetime.time.fromisoformat(closes))
             for day, opens, closes in data["hours"]]
    rows = data.get("photos", [])
    images = get_image_model().objects.in_bulk([row["image_id"] for row in rows])
    photos = [AssetPhoto(image=images[row["image_id"]], alt_text=row.get("alt_text") or "",
                         decorative=bool(row.get("decorative")), caption=row.get("caption") or "")
              for row in rows if row["image_id"] in images]
    return {"asset": version, "hours": hours, "services": services, "photos": photos,
            "colocated": list(asset.colocated_organisations.all()) if asset.pk else []}


@transaction.atomic
def approve(submission: Submission, officer) -> Asset:
    """Publish a submission: a new asset goes live; an edit replaces the live version."""
    asset = submission.asset
    if not submission.is_new:
        apply_payload(asset, submission.data)
    asset.status = Asset.PUBLISHED
    asset.last_verified = timezone.localdate()
    asset.save()
    submission.status = Submission.APPROVED
    submission.decided_by, submission.decided_at = officer, timezone.now()
    submission.save()
    record(asset, officer, "approved")
    assets_changed()
    _notify(submission, _("Your community asset “%(name)s” is published") % {"name": asset.name},
            _("An officer approved your submission for “%(name)s”. It is now on the asset map.")
            % {"name": asset.name})
    return asset


@transaction.atomic
def reject(submission: Submission, officer, reason: str) -> Asset:
    """Turn a submission down with a reason, which is emailed to the person who sent it."""
    asset = submission.asset
    if submission.is_new:
        asset.status = Asset.REJECTED
        asset.save(update_fields=["status", "updated_at"])
    submission.status = Submission.REJECTED
    submission.reason = reason
    submission.decided_by, submission.decided_at = officer, timezone.now()
    submission.save()
    record(asset, officer, "rejected", reason)
    _notify(submission, _("Changes needed to “%(name)s”") % {"name": asset.name},
            _("An officer could not publish your submission for “%(name)s”.\n\nReason: %(reason)s"
              "\n\nYou can edit it and submit it again.") % {"name": asset.name, "reason": reason})
    return asset


def _notify(submission: Submission, subject: str, body: str) -> None:
    if submission.submitted_by and submission.submitted_by.email:
        send_mail(subject, body, None, [submission.submitted_by.email], fail_silently=True)


@transaction.atomic
def mark_verified(asset: Asset, user) -> None:
    asset.last_verified = timezone.localdate()
    asset.save(update_fields=["last_verified", "updated_at"])
    record(asset, user, "confirmed still correct")
    assets_changed()


# --- gaps -------------------------------------------------------------------------------------

def gaps_table() -> dict:
    """Neighbourhoods x active themes -> number of published assets serving each (one query)."""
    neighbourhoods = list(Neighbourhood.objects.order_by("name").values("id", "name"))
    themes = list(Theme.objects.active().order_by("name").values("id", "name"))
    counts = {
        (row["neighbourhood"], row["themes"]): row["n"]
        for row in Asset.objects.published().filter(neighbourhood__isnull=False,
                                                   themes__isnull=False)
        .values("neighbourhood", "themes").annotate(n=Count("id", distinct=True))
    }
    rows = [{"neighbourhood": n["name"],
             "cells": [counts.get((n["id"], t["id"]), 0) for t in themes]}
            for n in neighbourhoods]
    return {"themes": [t["name"] for t in themes], "rows": rows}


# --- duplicates and merging -------------------------------------------------------------------

DUPLICATE_RADIUS_M = 200
NAME_SIMILARITY = 0.6
_NAME_NOISE = re.compile(r"[^a-z0-9 ]+")


def _comparable(name: str) -> str:
    words = _NAME_NOISE.sub(" ", name.lower()).split()
    return " ".join(word for word in words if word not in {"the", "and", "of", "ltd"})


def similar_names(first: str, second: str) -> bool:
    a, b = _comparable(first), _comparable(second)
    if not a or not b:
        return False
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY


def likely_duplicates(asset: Asset) -> list[Asset]:
    """Other live or pending assets with a similar name within 200 m, nearest first."""
    lat_pad = DUPLICATE_RADIUS_M / METRES_PER_DEGREE
    lng_pad = lat_pad / max(math.cos(math.radians(asset.latitude)), 0.01)
    candidates = (Asset.objects.filter(status__in=[Asset.PUBLISHED, Asset.PENDING])
                  .exclude(pk=asset.pk)
                  .in_bbox(asset.longitude - lng_pad, asset.latitude - lat_pad,
                           asset.longitude + lng_pad, asset.latitude + lat_pad)
                  .near(asset.latitude, asset.longitude).select_related("organisation"))
    return [other for other in candidates
            if other.distance_m <= DUPLICATE_RADIUS_M and similar_names(asset.name, other.name)]


@transaction.atomic
def merge(keep: Asset, drop: Asset, officer) -> Asset:
    """Fold `drop` into `keep`: services, themes, partners and missing details move; `drop` is
    archived (not deleted, so links and history survive) and both audit trails say so."""
    if keep.pk == drop.pk:
        raise ValueError("An asset cannot be merged into itself.")
    drop.services.update(asset=keep)
    keep.themes.add(*drop.themes.all())
    keep.colocated_organisations.add(*drop.colocated_organisations.all())
    if not keep.opening_hours.exists():
        drop.opening_hours.update(asset=keep)
    for name in ("summary", "description", "address", "postcode", "website", "languages",
                 "hours_notes"):
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
    for name, _label in ACCESSIBILITY_FEATURES:
        setattr(keep, name, getattr(keep, name) or getattr(drop, name))
    keep.is_hub = keep.is_hub or drop.is_hub
    keep.save()
    drop.submissions.filter(status=Submission.PENDING).update(status=Submission.WITHDRAWN)
    drop.status = Asset.ARCHIVED
    drop.save(update_fields=["status", "updated_at"])
    record(keep, officer, "merged", _("Merged “%(name)s” (#%(pk)d) into this asset.")
           % {"name": drop.name, "pk": drop.pk})
    record(drop, officer, "merged", _("Merged into “%(name)s” (#%(pk)d).")
           % {"name": keep.name, "pk": keep.pk})
    assets_changed()
    return keep


# --- staleness reminders ----------------------------------------------------------------------

VERIFY_SALT = "assets_map.verify"
VERIFY_MAX_AGE = 60 * 60 * 24 * 60  # a reminder's link works for 60 days


def verify_token(asset: Asset) -> str:
    return signing.dumps({"asset": asset.pk}, salt=VERIFY_SALT, compress=True)


def asset_from_token(token: str) -> Asset | None:
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:
        return None
    return Asset.objects.published().filter(pk=data.get("asset")).first()


def send_staleness_reminders(build_url, today: datetime.date | None = None) -> int:
    """Email each organisation's members a one-click "still correct" link per stale asset.

    `build_url(path)` makes an absolute URL. Returns the number of emails sent.
    """
    from django.urls import reverse

    stale = (Asset.objects.published().stale(today).filter(organisation__isnull=False)
             .select_related("organisation").order_by("organisation_id", "name"))
    by_organisation = defaultdict(list)
    for asset in stale:
        by_organisation[asset.organisation].append(asset)
    recipients = defaultdict(list)
    for membership in (OrganisationMembership.objects
                       .filter(organisation__in=list(by_organisation))
                       .select_related("user")):
        recipients[membership.organisation_id].append(membership.user.email)
    sent = 0
    for organisation, assets in by_organisation.items():
        if not recipients[organisation.pk]:
            continue
        lines = [
            f"- {asset.name}: "
            + build_url(reverse("assets_map:verify_link", args=[verify_token(asset)]))
            for asset in assets
        ]
        body = _(
            "These entries on the community asset map have not been checked for 12 months. "
            "If an entry is still correct, open its link and press one button. If something "
            "changed, sign in and edit it.\n\n%(lines)s"
        ) % {"lines": "\n".join(lines)}
        send_mail(_("Are %(name)s's community assets still correct?")
                  % {"name": organisation.name}, body, None, recipients[organisation.pk])
        for asset in assets:
            record(asset, None, "reminder sent")
        sent += 1
    return sent


# --- "near me" --------------------------------------------------------------------------------

NEAR_ME_MARGIN_M = 5000


def in_covered_area(lat: float, lng: float) -> bool:
    """Whether a point is within the neighbourhoods' bounding box (plus 5 km, so people just
    across a border still get results), or in the UK when no boundaries are loaded."""
    import shapely

    from portal.neighbourhoods.geometry import point_in_uk
    from portal.neighbourhoods.services import get_locator

    locator = get_locator()
    if not len(locator):
        return point_in_uk(lat, lng)
    west, south, east, north = shapely.total_bounds(locator.geometries).tolist()
    lat_pad = NEAR_ME_MARGIN_M / METRES_PER_DEGREE
    lng_pad = lat_pad / max(math.cos(math.radians(lat)), 0.01)
    return (south - lat_pad <= lat <= north + lat_pad
            and west - lng_pad <= lng <= east + lng_pad)


# --- requests to join an organisation ---------------------------------------------------------

_SPACES = re.compile(r"\s+")


def find_organisations(text: str):
    """Organisations whose name contains `text`, or whose charity or company number is it."""
    text = _SPACES.sub(" ", text or "").strip()
    if not text:
        return Organisation.objects.none()
    number = text.replace(" ", "")
    return Organisation.objects.filter(
        Q(name__icontains=text) | Q(charity_number__iexact=number)
        | Q(company_number__iexact=number)).order_by("name")


def _owner_emails(organisation) -> list[str]:
    return list(organisation.memberships.filter(role=OrganisationMembership.OWNER)
                .exclude(user__email="").values_list("user__email", flat=True))


@transaction.atomic
def request_to_join(organisation: Organisation, user, message: str, build_url) -> JoinRequest:
    """Ask to become a member of an organisation; its owners are emailed.

    Raises InputError (code `member` or `duplicate`) for people who are already members or
    already waiting. `build_url(path)` makes the owners' link absolute.
    """
    from django.urls import reverse

    if organisation.memberships.filter(user=user).exists():
        raise InputError(_("You are already a member of %(name)s.")
                         % {"name": organisation.name}, "member")
    earlier = organisation.join_requests.pending().filter(user=user).first()
    if earlier is not None:
        raise InputError(_("You asked to join %(name)s on %(date)s. Its owners have not "
                           "answered yet; you will get an email when they do.")
                         % {"name": organisation.name,
                            "date": date_format(timezone.localtime(earlier.created_at),
                                                "j F Y")},
                         "duplicate")
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(organisation=organisation, user=user,
                                                      message=message.strip()[:1000])
    except IntegrityError as exc:  # the same request sent twice at once
        raise InputError(_("You have already asked to join %(name)s.")
                         % {"name": organisation.name}, "duplicate") from exc
    record_organisation(organisation, user, "join requested", subject_user=user)
    link = build_url(reverse("assets_map:organisation", args=[organisation.slug]))
    who = user.get_full_name() or user.email
    body = _("%(who)s (%(email)s) has asked to join %(name)s on the community asset map, so "
             "they can edit its places and services.\n\n") % {
        "who": who, "email": user.email, "name": organisation.name}
    if join_request.message:
        body += _("Their message: %(message)s\n\n") % {"message": join_request.message}
    body += _("Approve or decline the request on your organisation's page: %(link)s") % {
        "link": link}
    owners = _owner_emails(organisation)
    if owners:
        send_mail(_("Request to join %(name)s") % {"name": organisation.name}, body, None,
                  owners, fail_silently=True)
    return join_request


@transaction.atomic
def decide_join_request(join_request: JoinRequest, owner, approve: bool,
                        role: str = OrganisationMembership.EDITOR, reason: str = "") -> JoinRequest:
    """An owner approves (with a role) or declines (with an optional reason) a request to join.

    The person who asked is emailed either way. Raises InputError (code `decided`) if the
    request was already answered, and PermissionError if `owner` is not an owner.
    """
    organisation = join_request.organisation
    if organisation.role_of(owner) != OrganisationMembership.OWNER:
        raise PermissionError("Only an organisation's owners can answer requests to join it.")
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.PENDING:
        raise InputError(_("This request was already answered."), "decided")
    user = join_request.user
    join_request.decided_by, join_request.decided_at = owner, timezone.now()
    join_request.reason = reason.strip()
    if approve:
        if role not in (OrganisationMembership.OWNER, OrganisationMembership.EDITOR):
            raise InputError(_("Choose a role."), "role")
        join_request.status, join_request.role = JoinRequest.APPROVED, role
        OrganisationMembership.objects.get_or_create(organisation=organisation, user=user,
                                                     defaults={"role": role})
        group = Group.objects.filter(name="VCS organisations").first()
        if group:
            user.groups.add(group)
        record_organisation(organisation, owner, "join approved",
                            reason=_("Role: %(role)s") % {
                                "role": dict(OrganisationMembership.ROLE_CHOICES)[role]},
                            subject_user=user)
        subject = _("You are now a member of %(name)s") % {"name": organisation.name}
        body = _("Your request to join %(name)s on the community asset map was approved. "
                 "Sign in and open “Your organisations” to edit its places and services.") % {
            "name": organisation.name}
    else:
        join_request.status = JoinRequest.DECLINED
        record_organisation(organisation, owner, "join declined", reason=join_request.reason,
                            subject_user=user)
        subject = _("Your request to join %(name)s") % {"name": organisation.name}
        if join_request.reason:
            body = _("The owners of %(name)s declined your request to join it.\n\nReason: "
                     "%(reason)s") % {"name": organisation.name, "reason": join_request.reason}
        else:
            body = _("The owners of %(name)s declined your request to join it.") % {
                "name": organisation.name}
    join_request.save()
    if user.email:
        send_mail(subject, body, None, [user.email], fail_silently=True)
    return join_request
