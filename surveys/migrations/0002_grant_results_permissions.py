from django.contrib.auth.management import create_permissions
from django.db import migrations

# Officers see, export, enter responses and code comments; councillors see results. The equality export has
# its own permission, granted to named people (for example an equality lead), not to a group.
GRANTS = {
    "Officers": ["view_results", "export_responses", "enter_responses", "code_comments"],
    "Councillors": ["view_results"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("surveys")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(
            content_type__app_label="surveys", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("accounts", "0002_role_groups"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
