from django.db import migrations

WORKFLOW_NAME = "Locality plan approval"
TASK_NAME = "Councillor approval"


def create_workflow(apps, schema_editor):
    """The "Locality plan approval" workflow: one group approval task for councillors.

    It is assigned to plan index pages that exist now; new ones get it when they are created
    (plans.workflow.ensure_governance), and load_demo_plans makes sure of it too.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    LocalityPlanIndexPage = apps.get_model("plans", "LocalityPlanIndexPage")

    councillors, _ = Group.objects.get_or_create(name="Councillors")
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=content_type,
                                                active=True)
        task.groups.add(councillors)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for index in LocalityPlanIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page_id=index.pk,
                                              defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_workflow, remove_workflow)]
