"""What an edit of a published asset changes: rows of (label, before, after) for the review
screen, from the published values stored when the edit was sent (so the diff stays right even
if the live asset changes afterwards), and whether a submission is a new organisation's first."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.themes.models import Theme

from .models import WEEKDAYS, Asset, AssetCategory, Submission
from .versions import snapshot

# Keys added to a submission's JSON payload (apply_payload reads only its own keys).
PUBLISHED_KEY = "published"
NEW_ORGANISATION_KEY = "new_organisation"
EARTH_RADIUS_M = 6_371_000
_LOCATION_FIELDS = {"address", "postcode", "latitude", "longitude"}
_BOOLEAN_FIELDS = {"step_free_access", "accessible_toilet", "hearing_loop", "bsl", "is_hub"}


@dataclass
class Change:
    """One row of the review table."""

    label: str
    before: str
    after: str
    changed: bool
    note: str = ""


def json_safe(data: dict) -> dict:
    """A payload made of JSON types only (times and decimals become strings)."""
    return json.loads(json.dumps(data, default=str))


def published_version(asset: Asset) -> dict:
    """The live asset's values, to store with an edit when it is sent to the queue."""
    return json_safe(snapshot(asset))


def is_new_organisation(asset: Asset) -> bool:
    """Whether the asset's organisation has never had anything published: no live asset and
    no approved submission. Assets without an organisation (council entries) are never new."""
    organisation = asset.organisation
    if organisation is None:
        return False
    has_live = Asset.objects.filter(organisation=organisation, status=Asset.PUBLISHED).exists()
    approved = Submission.objects.filter(asset__organisation=organisation,
                                         status=Submission.APPROVED).exists()
    return not (has_live or approved)


def first_from_new_organisation(submission: Submission) -> bool:
    """Whether a submission was marked, when sent, as a new organisation's first."""
    return bool(submission.data.get(NEW_ORGANISATION_KEY))


def distance_m(before: dict, after: dict) -> float:
    """Great-circle distance in metres between two payloads' positions."""
    lat1, lng1 = math.radians(before["latitude"]), math.radians(before["longitude"])
    lat2, lng2 = math.radians(after["latitude"]), math.radians(after["longitude"])
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2)
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _field_labels() -> dict[str, str]:
    labels = {field.name: str(field.verbose_name) for field in Asset._meta.get_fields()
              if hasattr(field, "verbose_name")}
    labels["category_id"] = labels.get("category", _("category"))
    return {name: label[:1].upper() + label[1:] for name, label in labels.items()}


def _text(name: str, value, categories: dict) -> str:
    if name in _BOOLEAN_FIELDS:
        return _("Yes") if value else _("No")
    if name == "category_id":
        return categories.get(value, "") if value is not None else ""
    return "" if value is None else str(value)


def _address(fields: dict) -> str:
    return ", ".join(part for part in (fields.get("address"), fields.get("postcode")) if part)


def _location(before: dict, after: dict) -> Change:
    moved = (before.get("latitude"), before.get("longitude")) != \
        (after.get("latitude"), after.get("longitude"))
    changed = moved or _address(before) != _address(after)
    note = ""
    if moved and None not in (before.get("latitude"), after.get("latitude")):
        metres = round(distance_m(before, after))
        note = ngettext("Moved by %(metres)s metre", "Moved by %(metres)s metres",
                        metres) % {"metres": number_format(metres, force_grouping=True)}
    return Change(_("Location"), _address(before) or _("No address"),
                  _address(after) or _("No address"), changed, note)


def _field_rows(before: dict, after: dict) -> list[Change]:
    labels = _field_labels()
    categories = dict(AssetCategory.objects.values_list("pk", "name"))
    rows = []
    for name in after:
        if name in _LOCATION_FIELDS:
            if name == "address":
                rows.append(_location(before, after))
            continue
        old, new = _text(name, before.get(name), categories), _text(name, after.get(name),
                                                                     categories)
        rows.append(Change(labels.get(name, name), old, new, old != new))
    return rows


def _hours_rows(before: list, after: list) -> list[Change]:
    rows = []
    for day, day_name in WEEKDAYS:
        old = ", ".join(f"{o}–{c}" for d, o, c in before if d == day) or _("Closed")
        new = ", ".join(f"{o}–{c}" for d, o, c in after if d == day) or _("Closed")
        rows.append(Change(_("Opening hours: %(day)s") % {"day": day_name}, old, new,
                           old != new))
    return rows


def _service_text(service: dict | None) -> str:
    if not service:
        return _("None")
    details = [service.get(key) for key in ("description", "eligibility", "cost",
                                            "how_to_access")]
    return " – ".join([service.get("name", "")] + [part for part in details if part])


def _list_rows(before: dict, after: dict) -> list[Change]:
    themes = dict(Theme.objects.values_list("pk", "name"))
    old_themes = ", ".join(sorted(str(themes.get(pk, pk)) for pk in before.get("themes", [])))
    new_themes = ", ".join(sorted(str(themes.get(pk, pk)) for pk in after.get("themes", [])))
    rows = [Change(_("Themes"), old_themes or _("None"), new_themes or _("None"),
                   old_themes != new_themes)]
    old_services, new_services = before.get("services", []), after.get("services", [])
    for index in range(max(len(old_services), len(new_services))):
        old = _service_text(old_services[index] if index < len(old_services) else None)
        new = _service_text(new_services[index] if index < len(new_services) else None)
        rows.append(Change(_("Service %(number)d") % {"number": index + 1}, old, new,
                           old != new))
    rows.append(_photos_row(before.get("photos", []), after.get("photos", [])))
    return rows


def _photos_text(photos: list) -> str:
    if not photos:
        return _("No photos")
    names = [photo.get("alt_text") or photo.get("caption") or _("decorative photo")
             for photo in photos]
    return ngettext("%(count)d photo: %(names)s", "%(count)d photos: %(names)s",
                    len(photos)) % {"count": len(photos), "names": "; ".join(names)}


def _photos_row(before: list, after: list) -> Change:
    old_ids = [(p.get("image_id"), p.get("alt_text"), p.get("caption")) for p in before]
    new_ids = [(p.get("image_id"), p.get("alt_text"), p.get("caption")) for p in after]
    return Change(_("Photos"), _photos_text(before), _photos_text(after), old_ids != new_ids)


def changes(before: dict, after: dict) -> list[Change]:
    """Every row comparing two payloads, in the form's order; `changed` marks the differences."""
    before, after = json_safe(before), json_safe(after)
    return (_field_rows(before["fields"], after["fields"])
            + _hours_rows(before.get("hours", []), after.get("hours", []))
            + _list_rows(before, after))


def submission_changes(submission: Submission) -> tuple[list[Change], bool]:
    """The review table of an edit, and whether the live asset changed since it was sent.

    Compared with the published values stored when the edit was sent; an edit sent before
    those were stored is compared with the live asset.
    """
    live = published_version(submission.asset)
    before = submission.data.get(PUBLISHED_KEY) or live
    live_changed = any(row.changed for row in changes(before, live))
    return changes(before, submission.data), live_changed
