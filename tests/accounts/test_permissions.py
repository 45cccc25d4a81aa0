"""Who may do what: role x action -> allowed, through the real Wagtail admin."""

import pytest
from wagtail.models import Page

pytestmark = pytest.mark.django_db

ROLES = ["resident", "vcs_member", "councillor", "officer", "superuser"]
STAFF = {"councillor", "officer", "superuser"}
EDITORS = {"officer", "superuser"}


def home_edit_url():
    return f"/admin/pages/{Page.objects.get(depth=2, locale__language_code='en').pk}/edit/"


ACTIONS = {
    "use the admin": (lambda: "/admin/", STAFF),
    "edit pages": (home_edit_url, EDITORS),
    "add themes": (lambda: "/admin/snippets/themes/theme/add/", EDITORS),
    "view themes": (lambda: "/admin/snippets/themes/theme/", STAFF),
    "add neighbourhoods": (lambda: "/admin/snippets/neighbourhoods/neighbourhood/add/", EDITORS),
    "view neighbourhoods": (lambda: "/admin/snippets/neighbourhoods/neighbourhood/", STAFF),
    "change site settings": (lambda: "/admin/settings/pages/portalsettings/", {"superuser"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_permissions(client, request, settings, demo_site, role, action):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(request.getfixturevalue(role))
    url_for, allowed_roles = ACTIONS[action]
    response = client.get(url_for(), follow=True)
    final_url = response.redirect_chain[-1][0] if response.redirect_chain else url_for()
    # Wagtail answers a refusal inside the admin by redirecting to the dashboard with a message.
    refused_to_dashboard = final_url == "/admin/" and url_for() != "/admin/"
    allowed = response.status_code == 200 and not refused_to_dashboard
    assert allowed == (role in allowed_roles), (role, action, response.status_code, final_url)


def test_non_staff_get_a_clear_403_not_a_sign_in_loop(client, resident):
    client.force_login(resident)
    response = client.get("/admin/pages/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()
