"""The audit trail: who did what to an asset or an organisation's membership, and when."""

from __future__ import annotations

from .models import AuditEvent


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
