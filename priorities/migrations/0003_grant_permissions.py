from django.contrib.auth.management import create_permissions
from django.db import migrations

# Officers record feedback, set weights, take snapshots and adopt priorities; councillors review
# everything but cannot change it or adopt.
GRANTS = {
    "Officers": [
        "add_feedbackitem", "change_feedbackitem", "delete_feedbackitem", "view_feedbackitem",
        "add_scoringweights", "change_scoringweights", "view_scoringweights",
        "add_prioritysnapshot", "view_prioritysnapshot", "view_snapshotpriority",
        "adopt_priority",
        "add_populationfigure", "change_populationfigure", "delete_populationfigure",
        "view_populationfigure",
    ],
    "Councillors": [
        "view_feedbackitem", "view_scoringweights", "view_prioritysnapshot",
        "view_snapshotpriority", "view_populationfigure",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("priorities")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(
            content_type__app_label="priorities", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0002_population_page_adopt"),
        ("accounts", "0002_role_groups"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
