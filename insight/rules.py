"""Who may do what with community insight: the one place its roles meet its actions.

Officers import feedback, code items, edit the coding matrix and retrain the suggestions;
councillors read the coding screen and the trends but change nothing; the partner export of
trends (small numbers suppressed) is for both. Safeguarding-flagged items can be opened by
officers only, and every opening is recorded. Residents and VCS members have no part in it.
Everything asks ``user.has_perm("insight.<action>")``.
"""

import rules

from portal.roles import is_councillor, is_officer, is_superuser

codes = is_officer | is_superuser
reads = is_officer | is_councillor | is_superuser

rules.add_perm("insight.view_items", reads)  # the coding screen, read-only for councillors
rules.add_perm("insight.code_items", codes)
rules.add_perm("insight.import_feedback", codes)
rules.add_perm("insight.view_matrix", reads)
rules.add_perm("insight.change_matrix", codes)
rules.add_perm("insight.view_suggestions", reads)  # the classifier's precision and recall
rules.add_perm("insight.train_classifier", codes)
rules.add_perm("insight.view_trends", reads)
rules.add_perm("insight.export_trends", reads)  # partners' CSV, small numbers suppressed
rules.add_perm("insight.open_safeguarding", codes)
rules.add_perm("insight.view_safeguarding_audit", codes)
