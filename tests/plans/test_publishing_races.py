"""A save that read the page before someone else published or approved it never unpublishes it,
and an approval that ends mid-request is a message, not a server error (issue 16: "publish
that does not stick"). The browser version is tests/browser/test_publishing.py; the editor is
portal/pages/editing.py."""

import json

import pytest
from django.db.models.signals import post_save
from django.urls import reverse
from wagtail import hooks
from wagtail.models import Revision, Workflow, WorkflowState

from plans.models import LocalityPlanPage
from plans.workflow import WORKFLOW_NAME

from .conftest import make_plan
from .test_admin_validation import edit, post_data


@pytest.fixture
def draft(plan_index, snapshot, officer):
    draft = make_plan(plan_index, snapshot, live=False, slug="willesden-plan")
    Workflow.objects.get(name=WORKFLOW_NAME).start(draft, officer)
    return draft


def approve(page, user):
    """A councillor's approval, as another request (say the same councillor's "Approve and
    publish" racing the editor's autosave) would make it: it publishes the plan."""
    page = LocalityPlanPage.objects.get(pk=page.pk)
    page.current_workflow_task.on_action(page.current_workflow_task_state, user, "approve")


@pytest.fixture
def approved_meanwhile(draft, councillor):
    """Approve the plan once, after the edit request has read it and before it saves."""
    done = []

    def approve_once(request, page):
        if not done:
            done.append(True)
            approve(draft, councillor)

    with hooks.register_temporarily("before_edit_page", approve_once):
        yield done


def test_an_autosave_that_read_the_draft_does_not_unpublish_the_approved_plan(
        client, councillor, draft, approved_meanwhile):
    client.force_login(councillor)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]),
                           post_data(draft, summary="Typed while it was being approved."),
                           HTTP_ACCEPT="application/json")
    assert approved_meanwhile
    assert response.status_code == 400
    assert json.loads(response.content)["error_code"] == "invalid_revision"
    draft.refresh_from_db()
    assert draft.live and not draft.has_unpublished_changes
    page = client.get(draft.url)
    assert page.status_code == 200
    assert "Harlesden neighbourhood plan" in page.content.decode()


def test_a_draft_saved_meanwhile_stays_a_draft_of_the_live_plan(
        client, councillor, draft, approved_meanwhile):
    client.force_login(councillor)
    response = edit(client, draft, post_data(draft, summary="A later change, for approval."))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live and draft.has_unpublished_changes
    assert draft.summary != "A later change, for approval."  # not live without approval
    assert draft.get_latest_revision_as_object().summary == "A later change, for approval."
    assert client.get(draft.url).status_code == 200


def test_an_approval_that_ends_while_the_request_saves_is_a_message_not_a_server_error(
        client, councillor, draft):
    """Approving from the editor saves the page, then acts on the current workflow task; if the
    workflow ended in between, there is no current task (it was None: a server error)."""
    def workflow_ends(sender, instance, created, **kwargs):
        if created:
            WorkflowState.objects.filter(object_id=str(draft.pk)).update(
                status=WorkflowState.STATUS_CANCELLED)

    client.force_login(councillor)
    data = post_data(draft, summary="Approved with a last change.")
    data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    post_save.connect(workflow_ends, sender=Revision, dispatch_uid="test.workflow_ends")
    try:
        response = edit(client, draft, data)
    finally:
        post_save.disconnect(sender=Revision, dispatch_uid="test.workflow_ends")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "no longer waiting for approval" in page.content.decode()
    draft.refresh_from_db()
    assert not draft.live
    assert draft.get_latest_revision_as_object().summary == "Approved with a last change."
