"""Moderation: sending versions to officers, approving, rejecting, likely duplicates and
merging them, and keeping published assets checked (staleness reminders, "still correct")."""

from __future__ import annotations

import datetime
import math
import re
from collections import defaultdict
from difflib import SequenceMatcher

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import InputError
from portal.mail import in_language, send_email_later

from . import verification
from .audit import record
from .models import (
    ACCESSIBILITY_FEATURES,
    METRES_PER_DEGREE,
    Asset,
    OrganisationMembership,
    Submission,
)
from .moderation_diff import (
    NEW_ORGANISATION_KEY,
    PUBLISHED_KEY,
    is_new_organisation,
    json_safe,
    published_version,
)
from .opendata import assets_changed
from .versions import apply_payload, draft_edit, snapshot

# --- sending and deciding ---------------------------------------------------------------------

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
        # The published values as they are now, so the officer sees what this edit changes
        # even if the live asset changes before the decision.
        edit.data = {**edit.data, PUBLISHED_KEY: published_version(asset)}
        edit.save()
        record(asset, user, "edit submitted")
        return edit
    if asset.status not in (Asset.DRAFT, Asset.REJECTED):
        raise InputError(_("This asset is already waiting for moderation."), "already_pending")
    asset.submissions.filter(status=Submission.PENDING).update(status=Submission.WITHDRAWN)
    data = {**json_safe(snapshot(asset)), NEW_ORGANISATION_KEY: is_new_organisation(asset)}
    submission = Submission.objects.create(asset=asset, data=data, is_new=True,
                                           submitted_by=user)
    asset.status = Asset.PENDING
    asset.save(update_fields=["status", "updated_at"])
    record(asset, user, "submitted")
    return submission


@transaction.atomic
def approve(submission: Submission, officer, verify_organisation: bool = False) -> Asset:
    """Publish a submission: a new asset goes live; an edit replaces the live version.

    An asset of an organisation no officer has verified is not published: InputError
    `organisation_unverified`, unless `verify_organisation` says the officer checked the
    organisation in this same step (it is then marked verified).
    """
    asset = submission.asset
    organisation = asset.organisation
    if organisation is not None and not organisation.is_verified:
        if not verify_organisation:
            raise InputError(
                _("%(name)s is not verified yet. Check that it is a genuine organisation, "
                  "then tick the box to verify it and publish this asset.")
                % {"name": organisation.name}, "organisation_unverified")
        asset.organisation = verification.verify(organisation, officer)
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
    with in_language(_language_of(submission)):
        _notify(submission,
                _("Your community asset “%(name)s” is published") % {"name": asset.name},
                _("An officer approved your submission for “%(name)s”. It is now on the asset "
                  "map.") % {"name": asset.name})
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
    with in_language(_language_of(submission)):
        _notify(submission, _("Changes needed to “%(name)s”") % {"name": asset.name},
                _("An officer could not publish your submission for “%(name)s”.\n\nReason: "
                  "%(reason)s\n\nYou can edit it and submit it again.")
                % {"name": asset.name, "reason": reason})
    return asset


def _language_of(submission: Submission) -> str:
    """The language of the person who sent a submission (`User.language`): the officer's
    decision is emailed to them in it."""
    return getattr(submission.submitted_by, "language", "")


def _send_staleness_reminder(organisation, assets, emails, build_url) -> None:
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
    send_email_later(_("Are %(name)s's community assets still correct?")
                     % {"name": organisation.name}, body, emails)


def _notify(submission: Submission, subject: str, body: str) -> None:
    if submission.submitted_by and submission.submitted_by.email:
        send_email_later(subject, body, [submission.submitted_by.email])


@transaction.atomic
def mark_verified(asset: Asset, user) -> None:
    """Record that an asset's details were checked today ("still correct")."""
    asset.last_verified = timezone.localdate()
    asset.save(update_fields=["last_verified", "updated_at"])
    record(asset, user, "confirmed still correct")
    assets_changed()


# --- duplicates and merging -------------------------------------------------------------------

DUPLICATE_RADIUS_M = 200
NAME_SIMILARITY = 0.6
_NAME_NOISE = re.compile(r"[^a-z0-9 ]+")


def _comparable(name: str) -> str:
    words = _NAME_NOISE.sub(" ", name.lower()).split()
    return " ".join(word for word in words if word not in {"the", "and", "of", "ltd"})


def similar_names(first: str, second: str) -> bool:
    """Whether two names probably mean the same place (ignoring case, punctuation, "the")."""
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
    """The signed token of an asset's emailed one-click "still correct" link."""
    return signing.dumps({"asset": asset.pk}, salt=VERIFY_SALT, compress=True)


def asset_from_token(token: str) -> Asset | None:
    """The published asset a "still correct" token names, or None if forged or expired."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:
        return None
    return Asset.objects.published().filter(pk=data.get("asset")).first()


def send_staleness_reminders(build_url, today: datetime.date | None = None) -> int:
    """Email each organisation's members a one-click "still correct" link per stale asset,
    each member in the language they last used (`User.language`).

    `build_url(path)` makes an absolute URL. Returns the number of organisations reminded.
    """
    stale = (Asset.objects.published().stale(today).filter(organisation__isnull=False)
             .select_related("organisation").order_by("organisation_id", "name"))
    by_organisation = defaultdict(list)
    for asset in stale:
        by_organisation[asset.organisation].append(asset)
    recipients = defaultdict(lambda: defaultdict(list))  # organisation -> language -> emails
    for membership in (OrganisationMembership.objects
                       .filter(organisation__in=list(by_organisation))
                       .select_related("user")):
        recipients[membership.organisation_id][membership.user.language].append(
            membership.user.email)
    sent = 0
    for organisation, assets in by_organisation.items():
        for language, emails in recipients[organisation.pk].items():
            with in_language(language):  # each member in the language they last used
                _send_staleness_reminder(organisation, assets, emails, build_url)
        if not recipients[organisation.pk]:
            continue
        for asset in assets:
            record(asset, None, "reminder sent")
        sent += 1
    return sent
