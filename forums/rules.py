"""Who may do what with forums: the one place these permissions are defined (django-rules).

Views, admin views and services ask `user.has_perm("forums.<action>", obj)`. Whether a forum
is open for registration, full or voting is a matter of its state, not of who is asking, and
stays in the services (`registrations.closed_reason`, `votes.cast_votes`), which explain it.

| action | object | who |
| --- | --- | --- |
| `forums.register` | forum | anyone: signed-in people at once, others by confirming their email |
| `forums.confirm_registration` | registration | whoever holds its emailed personal link |
| `forums.view_registration` | registration | the registrant: the link holder or its account |
| `forums.cancel_registration` | registration | the registrant |
| `forums.vote_online` | registration | the registrant (the services check the place and the vote) |
| `forums.view_attendees` | forum | officers and superusers |
| `forums.export_attendees` | forum | officers and superusers |
| `forums.record_attendance` | forum | officers and superusers |
| `forums.record_outcomes` | forum | officers and superusers |

Active superusers pass every `has_perm` check (Django asks no backend for them).
"""

import rules

from portal.roles import is_officer, is_superuser


@rules.predicate
def holds_personal_link(user, registration):
    """The registration was opened through the personal link emailed to the registrant
    (`registrations.registration_from_link`): its token is their key, with or without an
    account."""
    return bool(getattr(registration, "opened_by_link", False))


@rules.predicate
def is_account_registrant(user, registration):
    """The registration is the signed-in account's, or was made with its email address."""
    return registration is not None and registration.belongs_to(user)


is_registrant = holds_personal_link | is_account_registrant

# The people who run forums. Officers edit every page (change_page on the root page, granted
# in accounts migration 0002), which is what the attendee list asked before; councillors and
# residents do not. The Outcomes tab of the page editor is that same page permission.
runs_forums = is_officer | is_superuser

rules.add_perm("forums.register", rules.always_allow)
rules.add_perm("forums.confirm_registration", holds_personal_link)
rules.add_perm("forums.view_registration", is_registrant)
rules.add_perm("forums.cancel_registration", is_registrant)
rules.add_perm("forums.vote_online", is_registrant)
rules.add_perm("forums.view_attendees", runs_forums)
rules.add_perm("forums.export_attendees", runs_forums)
rules.add_perm("forums.record_attendance", runs_forums)
rules.add_perm("forums.record_outcomes", runs_forums)
