"""Officers may submit pages and themes for translation (wagtail-localize, issue 13)."""

from django.db import migrations


def let_officers_translate(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="wagtail_localize",
                                           codename="submit_translation").first()
    officers = Group.objects.filter(name="Officers").first()
    if permission and officers:
        officers.permissions.add(permission)


def undo(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Officers"):
        group.permissions.remove(*Permission.objects.filter(
            content_type__app_label="wagtail_localize", codename="submit_translation"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_language"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
    ]

    operations = [migrations.RunPython(let_officers_translate, undo)]
