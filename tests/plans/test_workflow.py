"""Approval: officers draft and submit, councillors approve (which publishes). Who may do what,
role by role, is in test_rules.py."""

import pytest
from django.urls import reverse
from wagtail.models import Workflow, WorkflowState

from plans.workflow import WORKFLOW_NAME

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
