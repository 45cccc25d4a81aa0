"""Verifying organisations: an officer checks a self-registered organisation once before any
of its assets can be published, and sees likely duplicates of its name while doing so."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from .audit import record_organisation
from .models import Organisation, OrganisationMembership

# The queue shows this many unverified organisations at once (oldest first).
QUEUE_LENGTH = 50


@transaction.atomic
def verify(organisation: Organisation, officer) -> Organisation:
    """Mark an organisation as checked by an officer (once; later calls change nothing)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verified_at is None:
        organisation.verified_at, organisation.verified_by = timezone.now(), officer
        organisation.save(update_fields=["verified_at", "verified_by"])
        record_organisation(organisation, officer, "organisation verified")
    return organisation


def waiting():
    """Unverified organisations, oldest first, with their owners (the people to contact)."""
    owners = OrganisationMembership.objects.filter(
        role=OrganisationMembership.OWNER).select_related("user")
    return (Organisation.objects.unverified().order_by("created_at", "pk")
            .prefetch_related(Prefetch("memberships", queryset=owners, to_attr="owners")))


def owners(organisation: Organisation):
    """The organisation's owners' memberships (the people an officer would contact)."""
    return organisation.memberships.filter(role=OrganisationMembership.OWNER) \
        .select_related("user")


def duplicates(organisation: Organisation) -> list[Organisation]:
    """Other organisations whose name probably means the same body."""
    return list(Organisation.objects.likely_duplicates(organisation.name,
                                                       exclude_pk=organisation.pk))


def duplicates_by_organisation(organisations) -> dict[int, list[Organisation]]:
    """Likely duplicates of each organisation (by pk), in one query for the whole list."""
    keys = {organisation.name_key for organisation in organisations if organisation.name_key}
    by_key: dict[str, list[Organisation]] = {}
    for other in Organisation.objects.filter(name_key__in=keys):
        by_key.setdefault(other.name_key, []).append(other)
    return {organisation.pk: [other for other in by_key.get(organisation.name_key, [])
                              if other.pk != organisation.pk]
            for organisation in organisations}
