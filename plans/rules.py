"""Who may do what with locality plans: the one definition, asked everywhere as
`user.has_perm("plans.<action>", page)`.

Officers draft plans and submit them for approval; councillors approve them, which publishes
them. Wagtail's page permissions still apply underneath (accounts migration 0002 gives officers
add, change and publish over the whole tree; `plans.workflow.ensure_governance` gives
councillors change and publish on each plan index), and `plans.permissions` narrows them with
these rules: Wagtail's permissions only add up down the tree, so a plan cannot take away an
officer's publish permission any other way.
"""

import rules

from portal.roles import is_councillor, is_officer, is_superuser

# Councillors approve plans; an approved plan is the council's word, so only they (and
# superusers) put a plan up, take it down, delete it or move it while it is live.
approves_plans = is_councillor | is_superuser
drafts_plans = is_officer | is_superuser
edits_plans = is_officer | is_councillor | is_superuser

rules.add_perm("plans.add_plan", drafts_plans)
rules.add_perm("plans.edit_plan", edits_plans)
rules.add_perm("plans.publish_plan", approves_plans)
rules.add_perm("plans.unpublish_plan", approves_plans)
rules.add_perm("plans.delete_live_plan", approves_plans)
rules.add_perm("plans.move_live_plan", approves_plans)
rules.add_perm("plans.record_progress", edits_plans)
# See the PDF renders that failed or are stuck (with their errors) and queue them again.
rules.add_perm("plans.manage_pdfs", edits_plans)
