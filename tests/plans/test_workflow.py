"""Approval: officers draft and submit, councillors approve (which publishes); the table of who
may do what."""

import pytest
from django.urls import reverse
from wagtail.models import Workflow, WorkflowState

from plans.models import WORKFLOW_NAME, LocalityPlanPage

from .conftest import make_plan
from .test_admin_validation import edit, post_data


@pytest.fixture
def draft(plan_index, snapshot):
    return make_plan(plan_index, snapshot, live=False, slug="harlesden-draft")


def test_the_migration_and_a_new_index_set_up_the_workflow(plan_index):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert workflow.active
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Councillors"]
    assert plan_index.get_workflow() == workflow


@pytest.mark.parametrize("role, edit_allowed, publish_allowed", [
    ("officer", True, False),
    ("councillor", True, True),
    ("superuser", True, True),
    ("resident", False, False),
    ("vcs_member", False, False),
])
def test_permissions_table(request, draft, role, edit_allowed, publish_allowed):
    user = request.getfixturevalue(role)
    permissions = LocalityPlanPage.objects.get(pk=draft.pk).permissions_for_user(user)
    assert permissions.can_edit() is edit_allowed
    assert permissions.can_publish() is publish_allowed
    index = draft.get_parent().specific
    assert index.permissions_for_user(user).can_publish_subpage() is publish_allowed


@pytest.mark.parametrize("role, status", [("resident", 403), ("vcs_member", 403),
                                          ("officer", 200), ("councillor", 200)])
def test_who_can_open_the_plan_in_the_admin(client, request, draft, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
    assert response.status_code == status


def test_officer_submits_and_councillor_approval_publishes(client, officer, councillor, draft):
    client.force_login(officer)
    data = post_data(draft)
    data["action-submit"] = "action-submit"
    response = edit(client, draft, data)
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(draft.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    draft.refresh_from_db()
    assert not draft.live

    client.force_login(councillor)
    task_state = state.current_task_state
    response = client.post(reverse("wagtailadmin_pages:workflow_action",
                                   args=[draft.pk, "approve", task_state.pk]),
                           {"comment": "Agreed at the ward meeting."})
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_officer_cannot_publish_directly_even_with_a_crafted_request(client, officer, draft):
    client.force_login(officer)
    data = post_data(draft)
    data["action-publish"] = "action-publish"
    edit(client, draft, data)
    draft.refresh_from_db()
    assert not draft.live
    # Nor through the unpublish/publish of an already live plan.
    assert not draft.permissions_for_user(officer).can_unpublish()
