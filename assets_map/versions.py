"""An asset's versions: the JSON payload of a proposed version, organisations' drafts, the
version a member continues from, previews, and writing a version onto the live asset."""

from __future__ import annotations

import datetime

from django.db import transaction
from wagtail.images import get_image_model

from portal.themes.models import Theme

from .audit import record
from .models import Asset, AssetPhoto, OpeningHours, Service, Submission, locate
from .opendata import assets_changed

ASSET_FIELDS = [
    "name", "summary", "description", "category_id", "address", "postcode", "latitude",
    "longitude", "hours_notes", "step_free_access", "accessible_toilet", "hearing_loop", "bsl",
    "languages", "public_email", "public_phone", "website", "is_hub",
]
PHOTO_FIELDS = ["image_id", "alt_text", "decorative", "caption"]
SERVICE_FIELDS = ["name", "description", "eligibility", "cost", "how_to_access"]


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


def preview_state(asset: Asset) -> tuple[Submission | None, bool]:
    """What a member's preview shows and offers: the published asset's edit (unsent, else
    waiting), if any, and whether there is something to send for moderation."""
    edit = None
    if asset.status == Asset.PUBLISHED:
        edit = draft_edit(asset) or pending_edit(asset)
    can_submit = (asset.status in (Asset.DRAFT, Asset.REJECTED)
                  or (edit is not None and edit.status == Submission.DRAFT))
    return edit, can_submit
