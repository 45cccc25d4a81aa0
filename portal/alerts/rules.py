"""Who may see how many people follow each neighbourhood and theme (never who): officers."""

import rules

from portal.roles import is_officer, is_superuser

rules.add_perm("portal.view_follower_counts", is_officer | is_superuser)
