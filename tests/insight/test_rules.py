"""Who may do what with community insight: every rule of insight/rules.py for every role, then
the same table through HTTP on each admin page."""

import pytest
import rules
from django.urls import reverse

from tests.conftest import ROLES, defined_rules

pytestmark = pytest.mark.django_db

# Superusers pass every rule: Django gives active superusers every permission.
READERS = frozenset({"officer", "councillor", "superuser"})
OFFICERS = frozenset({"officer", "superuser"})

TABLE = {
    "view_items": READERS,
    "code_items": OFFICERS,
    "import_feedback": OFFICERS,
    "view_matrix": READERS,
    "change_matrix": OFFICERS,
    "view_suggestions": READERS,
    "train_classifier": OFFICERS,
    "view_trends": READERS,
    "export_trends": READERS,
    "open_safeguarding": OFFICERS,
    "view_safeguarding_audit": OFFICERS,
}


def test_every_rule_in_the_table_exists_and_the_table_covers_every_rule():
    for action in TABLE:
        assert rules.perm_exists(f"insight.{action}"), action
    assert defined_rules("insight") == set(TABLE)


@pytest.mark.parametrize(("action", "role"), [(action, role) for action in TABLE
                                              for role in ROLES])
def test_rule(people, action, role):
    assert people[role].has_perm(f"insight.{action}") is (role in TABLE[action])


# Each page -> the rule it asks.
PAGES = {
    "insight:coding": "view_items",
    "insight:imports": "import_feedback",
    "insight:matrix": "view_matrix",
    "insight:matrix_edit": "change_matrix",
    "insight:suggestions": "view_suggestions",
    "insight:trends": "view_trends",
    "insight:safeguarding": "open_safeguarding",
}


@pytest.mark.parametrize(("name", "role"), [(name, role) for name in PAGES for role in ROLES])
def test_pages_follow_the_table(client, people, settings, name, role):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get(reverse(name))
    if role in TABLE[PAGES[name]]:
        assert response.status_code == 200, (name, role)
    else:
        # Signed out: to the sign-in page; signed in without the rule: refused (Wagtail turns
        # the admin's PermissionDenied into a redirect to the dashboard, others get a 403).
        assert response.status_code in (302, 403), (name, role)
        if response.status_code == 302:
            assert reverse(name) not in response["Location"] or role == "anonymous"
