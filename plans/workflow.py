"""The approval workflow of plans: officers draft and submit, councillors approve (which
publishes). Who may do what is in `plans.rules`; this gives each plan index the Wagtail
workflow and the page permissions those rules sit on."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, GroupPagePermission, Workflow, WorkflowPage

from portal import roles

WORKFLOW_NAME = "Locality plan approval"
TASK_NAME = "Councillor approval"

# Page permissions on each plan index: officers add and edit plans, councillors edit and
# publish them (approving publishes). Officers' publish permission over the whole tree is
# narrowed on plan pages by plans.permissions.
INDEX_PAGE_PERMISSIONS = {
    roles.OFFICERS: ("add_page", "change_page"),
    roles.COUNCILLORS: ("change_page", "publish_page"),
}


def approval_workflow() -> Workflow:
    """The "Locality plan approval" workflow, with its councillor approval task."""
    councillors, _created = Group.objects.get_or_create(name=roles.COUNCILLORS)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.workflow_tasks.exists():
        task, _created = GroupApprovalTask.objects.get_or_create(name=TASK_NAME)
        task.groups.add(councillors)
        workflow.workflow_tasks.create(task=task, sort_order=0)
    return workflow


def grant_index_permissions(index) -> None:
    """Give the role groups their page permissions on a plan index (and so on its plans)."""
    for group_name, codenames in INDEX_PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore",
                                                codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=index,
                                                      permission=permission)


def ensure_governance(index) -> None:
    """Give a plan index the approval workflow and the page permissions plans need:
    officers add and edit, councillors edit and publish (they approve)."""
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": approval_workflow()})
    grant_index_permissions(index)
