"""Who may do what on the asset map, in one place. Everything else asks
`user.has_perm("assets_map.<action>", obj)`.

Organisations' self-service (public site) depends on the person's role in the organisation
that the object belongs to: an Organisation, an Asset (its organisation) or a JoinRequest.
Officers' views in the Wagtail admin depend on roles (`portal.roles`).

Not redefined here: the snippet permissions Wagtail's admin checks itself (add, change,
delete, view of assets, organisations and categories: Officers all four, Councillors view,
granted by migration 0002). The self-service rules have names of their own
(`change_organisation_asset`, not `change_asset`), so that one name never means two things.
Superusers pass every check: Django gives them every permission.
"""

from __future__ import annotations

import rules

from portal.roles import is_councillor, is_officer, is_signed_in, is_superuser

from .models import Asset, JoinRequest, Organisation, OrganisationMembership


def organisation_of(obj) -> Organisation | None:
    """The organisation an object belongs to (an asset may have none)."""
    if isinstance(obj, Organisation):
        return obj
    if isinstance(obj, Asset | JoinRequest):
        return obj.organisation
    return None


def _role(user, obj) -> str | None:
    organisation = organisation_of(obj)
    if organisation is None or organisation.pk is None:
        return None
    return organisation.role_of(user)


@rules.predicate
def is_organisation_owner(user, obj) -> bool:
    """An owner of the object's organisation."""
    return _role(user, obj) == OrganisationMembership.OWNER


@rules.predicate
def is_organisation_editor(user, obj) -> bool:
    """A member of the object's organisation who may edit it: an editor or an owner (which
    every member is)."""
    return _role(user, obj) in (OrganisationMembership.OWNER, OrganisationMembership.EDITOR)


@rules.predicate
def holds_moderation_permission(user) -> bool:
    """The Django permission "Can moderate and merge community assets", which migration 0002
    grants to Officers; a council can grant it to another group in the admin."""
    return user.has_perm("assets_map.moderate_asset")


@rules.predicate
def holds_asset_view_permission(user) -> bool:
    """The snippet permission to view assets (Officers and Councillors, migration 0002)."""
    return user.has_perm("assets_map.view_asset")


can_moderate = is_officer | is_superuser | holds_moderation_permission

# Organisations' self-service.
rules.add_perm("assets_map.register_organisation", is_signed_in)
# Not held back by the daily allowance of new organisations (membership.py).
rules.add_perm("assets_map.register_organisations_without_limit", can_moderate)
rules.add_perm("assets_map.view_organisation_page", is_organisation_editor)
rules.add_perm("assets_map.manage_members", is_organisation_owner)
rules.add_perm("assets_map.request_to_join", is_signed_in & ~is_organisation_editor)
rules.add_perm("assets_map.decide_join_request", is_organisation_owner)
rules.add_perm("assets_map.add_organisation_asset", is_organisation_editor)
rules.add_perm("assets_map.change_organisation_asset", is_organisation_editor)

# Officers in the Wagtail admin.
rules.add_perm("assets_map.moderate", can_moderate)
rules.add_perm("assets_map.merge_assets", can_moderate)
rules.add_perm("assets_map.verify_organisation", can_moderate)
rules.add_perm("assets_map.view_gaps",
               is_officer | is_councillor | is_superuser | holds_asset_view_permission)
