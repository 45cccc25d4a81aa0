"""Who may do what in the core: the rules in portal/rules.py as a role x action table, and
the same roles through the real Wagtail admin."""

import pytest
import rules
from wagtail.models import Page

from tests.conftest import ROLES, defined_rules

pytestmark = pytest.mark.django_db

STAFF = {"councillor", "officer", "superuser"}
EDITORS = {"officer", "superuser"}

# action -> roles allowed: the core's rules (portal/rules.py), asked directly.
RULES = {
    "portal.use_admin": STAFF,
    "portal.import_boundaries": EDITORS,
    "portal.change_site_settings": {"superuser"},
    "portal.view_follower_counts": EDITORS,  # portal/alerts/rules.py
    "portal.view_translation_status": EDITORS,  # the interface translations report
}


def test_the_table_covers_every_core_rule():
    assert {f"portal.{action}" for action in defined_rules("portal")} == set(RULES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(RULES))
def test_core_rules(people, role, action):
    assert rules.perm_exists(action)
    assert people[role].has_perm(action) == (role in RULES[action]), (role, action)


def home_edit_url():
    return f"/admin/pages/{Page.objects.get(depth=2, locale__language_code='en').pk}/edit/"


ACTIONS = {
    "use the admin": (lambda: "/admin/", STAFF),
    "edit pages": (home_edit_url, EDITORS),
    "add themes": (lambda: "/admin/snippets/themes/theme/add/", EDITORS),
    "view themes": (lambda: "/admin/snippets/themes/theme/", STAFF),
    "add neighbourhoods": (lambda: "/admin/snippets/neighbourhoods/neighbourhood/add/", EDITORS),
    "import boundaries": (lambda: "/admin/neighbourhoods/import/", EDITORS),
    "view neighbourhoods": (lambda: "/admin/snippets/neighbourhoods/neighbourhood/", STAFF),
    "change site settings": (lambda: "/admin/settings/pages/portalsettings/", {"superuser"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_permissions_through_the_admin(client, people, settings, demo_site, role, action):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    if role != "anonymous":
        client.force_login(people[role])
    url_for, allowed_roles = ACTIONS[action]
    response = client.get(url_for(), follow=True)
    final_url = response.redirect_chain[-1][0] if response.redirect_chain else url_for()
    # Wagtail answers a refusal inside the admin by redirecting to the dashboard with a message.
    refused_to_dashboard = final_url == "/admin/" and url_for() != "/admin/"
    sent_to_sign_in = final_url.startswith("/admin/login/") or "/accounts/login/" in final_url
    allowed = response.status_code == 200 and not refused_to_dashboard and not sent_to_sign_in
    assert allowed == (role in allowed_roles), (role, action, response.status_code, final_url)


def test_non_staff_get_a_clear_403_not_a_sign_in_loop(client, resident):
    client.force_login(resident)
    response = client.get("/admin/pages/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()
