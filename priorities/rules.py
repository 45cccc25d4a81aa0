"""Who may do what in priorities: the one place the portal's roles meet its actions.

Officers record community feedback, import population figures, set the scoring weights, take
snapshots and adopt or set aside priorities; councillors may read all of it (rankings,
snapshots, feedback and its trends, population figures) but decide nothing. Residents and VCS
members have no part in the admin. Everything asks ``user.has_perm("priorities.<action>")``.

The snippet permissions at the end are the Django model permissions Wagtail's admin checks for
itself on the community feedback and population figure snippets (granted to the same groups by
migration 0003); they are repeated here so this file says who may do what.
"""

import rules

from portal.roles import is_councillor, is_officer, is_signed_in, is_superuser

decides = is_officer | is_superuser
reviews = is_officer | is_councillor | is_superuser

# The officers' pages (priorities.views, menu in wagtail_hooks).
rules.add_perm("priorities.view_rankings", reviews)  # live rankings and snapshots
rules.add_perm("priorities.take_snapshot", decides)
rules.add_perm("priorities.change_weights", decides)
# Also a model permission (SnapshotPriority.Meta.permissions), granted to Officers by 0003.
rules.add_perm("priorities.adopt_priority", is_signed_in & decides)
rules.add_perm("priorities.view_feedback_trends", reviews)
rules.add_perm("priorities.import_population", decides)

# The snippets, as Wagtail's admin asks for them.
for model in ("feedbackitem", "populationfigure"):
    rules.add_perm(f"priorities.view_{model}", reviews)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"priorities.{action}_{model}", decides)
