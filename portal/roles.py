"""The portal's roles: one spelling of each group name and the predicates every rules.py uses.

Each app defines its permissions once, in its own `rules.py`, from these predicates (with
django-rules), and everything else asks `user.has_perm("app.action", obj)`.
"""

import rules

OFFICERS = "Officers"
COUNCILLORS = "Councillors"
VCS_ORGANISATIONS = "VCS organisations"
ROLE_GROUPS = (OFFICERS, COUNCILLORS, VCS_ORGANISATIONS)

is_signed_in = rules.is_authenticated
is_superuser = rules.is_superuser
is_officer = rules.is_group_member(OFFICERS)
is_councillor = rules.is_group_member(COUNCILLORS)
is_vcs = rules.is_group_member(VCS_ORGANISATIONS)
is_staff_role = is_superuser | is_officer | is_councillor
