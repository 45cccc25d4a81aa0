"""Who may do what with locality plans: every rule in plans/rules.py, role by role; what the
Wagtail admin allows through the plan pages' permission testers; and a sample through HTTP.

Officers draft, edit, submit and record progress; councillors (and superusers) publish,
unpublish, delete and move a live plan. An officer may still delete a plan that is not live.
"""

import pytest
import rules
from django.urls import reverse

from plans.models import LocalityPlanPage
from tests.conftest import ROLES, defined_rules

from .conftest import make_plan

STAFF = {"officer", "councillor", "superuser"}
APPROVERS = {"councillor", "superuser"}

# Rule -> the roles it allows (asked of a live plan; adding a plan is asked of the index).
ALLOWED = {
    "plans.add_plan": {"officer", "superuser"},
    "plans.edit_plan": STAFF,
    "plans.publish_plan": APPROVERS,
    "plans.unpublish_plan": APPROVERS,
    "plans.delete_live_plan": APPROVERS,
    "plans.move_live_plan": APPROVERS,
    "plans.record_progress": STAFF,
    "plans.manage_pdfs": STAFF,
}

# (page, permission tester method) -> the roles Wagtail's admin lets do it.
ADMIN_ALLOWED = {
    ("live plan", "can_edit"): STAFF,
    ("live plan", "can_publish"): APPROVERS,
    ("live plan", "can_unpublish"): APPROVERS,
    ("live plan", "can_delete"): APPROVERS,
    ("live plan", "can_move"): APPROVERS,
    ("draft", "can_edit"): STAFF,
    ("draft", "can_publish"): APPROVERS,
    ("draft", "can_delete"): STAFF,
    ("draft", "can_move"): STAFF,
    ("index", "can_add_subpage"): {"officer", "superuser"},
    ("index", "can_publish_subpage"): APPROVERS,
}


@pytest.fixture
def draft(plan_index, snapshot):
    return make_plan(plan_index, snapshot, live=False, slug="harlesden-draft")


@pytest.fixture
def pages(plan, draft, plan_index):
    return {"live plan": plan, "draft": draft, "index": plan_index}


def test_every_rule_exists_and_the_table_covers_every_plans_rule():
    for name in ALLOWED:
        assert rules.perm_exists(name), name
    assert {f"plans.{action}" for action in defined_rules("plans")} == set(ALLOWED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_rules_table(people, plan, plan_index, action, role):
    page = plan_index if action == "plans.add_plan" else plan
    assert people[role].has_perm(action, page) is (role in ALLOWED[action])


@pytest.mark.parametrize("role", ROLES)
def test_admin_permissions_table(people, pages, role):
    """What the Wagtail admin offers and allows, through the plan pages' permission testers."""
    user = people[role]
    for (page_name, method), allowed in ADMIN_ALLOWED.items():
        tester = pages[page_name].permissions_for_user(user)
        assert getattr(tester, method)() is (role in allowed), (page_name, method)


# --- a sample through HTTP ------------------------------------------------------------------


def _delete_url(page):
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def refused(response) -> bool:
    """Wagtail answers a signed-in admin user's forbidden request by sending them back to the
    dashboard with "Sorry, you do not have permission to access this area"."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_an_officer_cannot_delete_a_live_plan(client, people, plan):
    client.force_login(people["officer"])
    assert refused(client.get(_delete_url(plan)))
    assert refused(client.post(_delete_url(plan)))
    plan.refresh_from_db()
    assert plan.live


def test_a_councillor_can_delete_a_live_plan(client, people, plan):
    client.force_login(people["councillor"])
    assert client.get(_delete_url(plan)).status_code == 200
    assert not refused(client.post(_delete_url(plan)))
    assert not LocalityPlanPage.objects.filter(pk=plan.pk).exists()


def test_an_officer_can_still_delete_a_plan_that_was_never_published(client, people, draft):
    client.force_login(people["officer"])
    assert client.get(_delete_url(draft)).status_code == 200
    assert not refused(client.post(_delete_url(draft)))
    assert not LocalityPlanPage.objects.filter(pk=draft.pk).exists()


def test_an_officer_cannot_move_a_live_plan(client, people, plan, plan_index):
    client.force_login(people["officer"])
    assert refused(client.get(reverse("wagtailadmin_pages:move", args=[plan.pk])))
    assert refused(client.post(reverse("wagtailadmin_pages:move", args=[plan.pk]),
                               {"new_parent_page": plan_index.pk}))
    confirm = reverse("wagtailadmin_pages:move_confirm", args=[plan.pk, plan_index.pk])
    assert refused(client.post(confirm))
    before = plan.path
    plan.refresh_from_db()
    assert plan.live and plan.path == before


def test_a_councillor_may_move_a_live_plan(client, people, plan):
    client.force_login(people["councillor"])
    assert client.get(reverse("wagtailadmin_pages:move", args=[plan.pk])).status_code == 200


def test_only_approvers_open_the_unpublish_view_of_a_live_plan(client, people, plan):
    url = reverse("wagtailadmin_pages:unpublish", args=[plan.pk])
    client.force_login(people["officer"])
    assert refused(client.get(url))
    client.force_login(people["councillor"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role, status", [("resident", 403), ("vcs_owner", 403),
                                          ("vcs_non_member", 403), ("officer", 200),
                                          ("councillor", 200)])
def test_who_can_open_the_plan_in_the_admin(client, people, draft, role, status):
    client.force_login(people[role])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert response.status_code == status


@pytest.mark.parametrize("role, status", [("resident", 403), ("vcs_owner", 403),
                                          ("vcs_non_member", 403), ("officer", 200),
                                          ("councillor", 200)])
def test_only_plan_editors_record_updates(client, people, plan, role, status):
    client.force_login(people[role])
    response = client.get(reverse("plans_admin:updates", args=[plan.pk]))
    assert response.status_code == status
