"""Who may do what on the asset map: every rule of assets_map/rules.py for every role, then a
sample of the same table through HTTP (including the role tables that were kept per page)."""

import pytest
import rules

from assets_map.models import Asset, JoinRequest, Organisation, OrganisationMembership
from tests.conftest import ROLES, defined_rules, make_user

from .conftest import HARLESDEN, KILBURN, ask, asset_form_data, decide_url

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
# people.organisation's members. Superusers pass every rule: Django gives them every permission.
MEMBERS = frozenset({"vcs_owner", "vcs_editor", "superuser"})
OWNERS = frozenset({"vcs_owner", "superuser"})
# The vcs_non_member owns "other_organisation" and so passes its rules, not those above.
OTHER_MEMBERS = frozenset({"vcs_non_member", "superuser"})
MODERATORS = frozenset({"officer", "superuser"})

# (action, object) -> the roles allowed. Objects (built by the `objects` fixture below):
# "organisation" is people.organisation (the vcs_owner's and vcs_editor's), "asset" and
# "join_request" belong to it; "other_organisation" and "other_asset" belong to another
# organisation, owned by the vcs_non_member; "orphan_asset" has no organisation.
TABLE = {
    ("register_organisation", None): SIGNED_IN,
    ("register_organisations_without_limit", None): MODERATORS,
    ("view_organisation_page", "organisation"): MEMBERS,
    ("view_organisation_page", "other_organisation"): OTHER_MEMBERS,
    ("manage_members", "organisation"): OWNERS,
    ("manage_members", "other_organisation"): OTHER_MEMBERS,
    ("request_to_join", "organisation"): SIGNED_IN - {"vcs_owner", "vcs_editor"},
    ("decide_join_request", "join_request"): OWNERS,
    ("decide_join_request", "organisation"): OWNERS,
    ("add_organisation_asset", "organisation"): MEMBERS,
    ("add_organisation_asset", "other_organisation"): OTHER_MEMBERS,
    ("change_organisation_asset", "asset"): MEMBERS,
    ("change_organisation_asset", "other_asset"): OTHER_MEMBERS,
    ("change_organisation_asset", "orphan_asset"): {"superuser"},
    ("moderate", None): MODERATORS,
    ("merge_assets", None): MODERATORS,
    ("verify_organisation", None): MODERATORS,
    ("view_gaps", None): {"officer", "councillor", "superuser"},
}


@pytest.fixture
def objects(people, library):
    other = Organisation.objects.create(name="Another Community Group")
    OrganisationMembership.objects.create(organisation=other, user=people["vcs_non_member"],
                                          role=OrganisationMembership.OWNER)

    def asset(name, organisation, at=HARLESDEN):
        return Asset.objects.create(name=name, category=library, latitude=at[0],
                                    longitude=at[1], organisation=organisation)

    return {
        None: None,
        "organisation": people.organisation,
        "asset": asset("Trust hall", people.organisation),
        "join_request": JoinRequest.objects.create(organisation=people.organisation,
                                                   user=make_user("asker@example.org")),
        "other_organisation": other,
        "other_asset": asset("Group hall", other, KILBURN),
        "orphan_asset": asset("Nobody's hall", None),
    }


def test_every_rule_in_the_table_exists_and_the_table_covers_every_rule():
    actions = {action for action, _object in TABLE}
    for action in actions:
        assert rules.perm_exists(f"assets_map.{action}"), action
    defined = defined_rules("assets_map")
    assert defined == actions


@pytest.mark.parametrize(("action", "obj", "role"),
                         [(action, obj, role) for action, obj in TABLE for role in ROLES])
def test_rule(people, objects, action, obj, role):
    allowed = role in TABLE[(action, obj)]
    assert people[role].has_perm(f"assets_map.{action}", objects[obj]) is allowed


# --- the same through HTTP --------------------------------------------------------------------

# (role, method, address, status): one allowed and one refused role per protected view.
# {org} is people.organisation's slug, {asset} its asset's id.
HTTP_SAMPLE = [
    ("anonymous", "get", "/organisations/new/", 302),
    ("resident", "get", "/organisations/new/", 200),
    ("vcs_editor", "get", "/organisations/{org}/", 200),
    ("vcs_non_member", "get", "/organisations/{org}/", 403),
    ("superuser", "get", "/organisations/{org}/", 200),
    ("vcs_owner", "post", "/organisations/{org}/members/", 302),
    ("vcs_editor", "post", "/organisations/{org}/members/", 403),
    ("vcs_editor", "get", "/organisations/{org}/assets/new/", 200),
    ("officer", "get", "/organisations/{org}/assets/new/", 403),
    ("vcs_owner", "get", "/organisations/{org}/assets/{asset}/preview/", 200),
    ("vcs_non_member", "get", "/organisations/{org}/assets/{asset}/preview/", 403),
    ("officer", "get", "/admin/assets-map/merge/", 200),
    ("councillor", "get", "/admin/assets-map/merge/", 302),
    ("superuser", "get", "/admin/assets-map/audit/", 200),
    ("councillor", "get", "/admin/assets-map/audit/", 302),
    ("officer", "get", "/admin/assets-map/organisations/{org_pk}/verify/", 200),
    ("councillor", "post", "/admin/assets-map/organisations/{org_pk}/verify/", 302),
    ("councillor", "get", "/admin/assets-map/gaps/", 200),
    ("vcs_owner", "get", "/admin/assets-map/gaps/", 403),
]


@pytest.mark.parametrize(("role", "method", "address", "status"), HTTP_SAMPLE)
def test_the_table_through_http(demo_site, client, settings, people, objects, role, method,
                                address, status):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    if role != "anonymous":
        client.force_login(people[role])
    url = address.format(org=people.organisation.slug, asset=objects["asset"].pk,
                         org_pk=people.organisation.pk)
    data = {"email": people["resident"].email} if method == "post" else None
    assert getattr(client, method)(url, data).status_code == status


@pytest.mark.parametrize(("role", "offered"), [("vcs_non_member", True), ("vcs_owner", False),
                                               ("vcs_editor", False)])
def test_only_non_members_are_offered_to_ask_to_join(demo_site, client, people, role,
                                                     offered):
    client.force_login(people[role])
    html = client.get(f"/organisations/{people.organisation.slug}/join/").content.decode()
    assert ("Send request" in html) is offered
    assert ("You are already a member of" in html) is not offered


# role -> (GET organisation dashboard, GET edit form, POST edit, POST submit)
PERMISSIONS = [
    ("anonymous", 302, 302, 302, 302),
    ("resident", 403, 403, 403, 403),
    ("other_org_member", 403, 403, 403, 403),
    ("officer", 403, 403, 403, 403),
    ("editor", 200, 200, 302, 302),
    ("owner", 200, 200, 302, 302),
]


@pytest.mark.parametrize(("role", "dashboard", "edit_form", "edit", "submit"), PERMISSIONS)
def test_permission_matrix(demo_site, client, organisation, make_asset, vcs_member,
                           role, dashboard, edit_form, edit, submit):
    asset = make_asset("Trust hall", status=Asset.DRAFT, organisation=organisation)
    if role == "editor":
        editor = make_user("editor@example.org", "VCS organisations")
        OrganisationMembership.objects.create(organisation=organisation, user=editor,
                                              role=OrganisationMembership.EDITOR)
        client.force_login(editor)
    elif role == "owner":
        client.force_login(vcs_member)
    elif role == "other_org_member":
        other = make_user("other@example.org", "VCS organisations")
        other_org = Organisation.objects.create(name="Other charity")
        OrganisationMembership.objects.create(organisation=other_org, user=other,
                                              role=OrganisationMembership.OWNER)
        client.force_login(other)
    elif role != "anonymous":
        client.force_login(make_user(f"{role}@example.org",
                                     "Officers" if role == "officer" else None))
    base = f"/organisations/{organisation.slug}/"
    assert client.get(base).status_code == dashboard
    assert client.get(f"{base}assets/{asset.pk}/edit/").status_code == edit_form
    assert client.post(f"{base}assets/{asset.pk}/edit/",
                       asset_form_data(name="Renamed")).status_code == edit
    assert client.post(f"{base}assets/{asset.pk}/submit/").status_code == submit
    asset.refresh_from_db()
    assert (asset.name == "Renamed") == (edit == 302 and role in ("editor", "owner"))


# role -> moderation queue, gaps view
ADMIN_ACCESS = [
    ("officer", 200, 200),
    ("councillor", 302, 200),  # Wagtail sends admin users without the permission home
    ("vcs_member", 403, 403),
    ("resident", 403, 403),
]


@pytest.mark.parametrize(("role", "queue", "gaps"), ADMIN_ACCESS)
def test_admin_views_by_role(demo_site, client, settings, request, role, queue, gaps):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(request.getfixturevalue(role))
    assert client.get("/admin/assets-map/moderation/").status_code == queue
    assert client.get("/admin/assets-map/gaps/").status_code == gaps


# who answers -> status code of the decision
DECIDERS = [("owner", 302), ("editor", 403), ("outsider", 403), ("officer", 403),
            ("anonymous", 302)]


@pytest.mark.parametrize(("who", "status"), DECIDERS)
def test_only_owners_decide(demo_site, client, joiner, trust, vcs_member, who, status):
    ask(client, joiner, trust)
    join_request = JoinRequest.objects.get()
    client.logout()
    if who == "owner":
        client.force_login(vcs_member)
    elif who == "editor":
        editor = make_user("editor@example.org")
        OrganisationMembership.objects.create(organisation=trust, user=editor, role="editor")
        client.force_login(editor)
        assert "Requests to join" not in client.get(
            f"/organisations/{trust.slug}/").content.decode()
    elif who == "outsider":
        client.force_login(make_user("outsider@example.org"))
    elif who == "officer":
        client.force_login(make_user("officer2@example.org", "Officers"))
    response = client.post(decide_url(trust, join_request), {
        "approve": "1", f"request-{join_request.pk}-role": "owner"})
    assert response.status_code == status
    join_request.refresh_from_db()
    assert (join_request.status == JoinRequest.APPROVED) == (who == "owner")
