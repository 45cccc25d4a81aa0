"""Who may do what in the core: the admin itself and the neighbourhood boundaries.

Every check elsewhere asks `user.has_perm("portal.<action>")`; the predicates come from
`portal.roles`. Snippet and page permissions that Wagtail's admin checks for itself stay Django
model permissions granted to the role groups (portal/accounts/migrations/0002_role_groups.py).
"""

import rules

from portal.roles import is_officer, is_signed_in, is_superuser


@rules.predicate
def holds_admin_access(user):
    """Wagtail's own access permission, which its built-in Editors and Moderators groups also
    hold, so a council's own groups keep working."""
    return user.has_perm("wagtailadmin.access_admin")


rules.add_perm("portal.use_admin", is_signed_in & (is_superuser | holds_admin_access))
rules.add_perm("portal.import_boundaries", is_officer | is_superuser)
rules.add_perm("portal.change_site_settings", is_superuser)
# The admin's "Interface translations" report and its .po downloads (portal/translation_status.py).
rules.add_perm("portal.view_translation_status", is_officer | is_superuser)
