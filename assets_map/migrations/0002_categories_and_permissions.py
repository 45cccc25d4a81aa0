from django.contrib.auth.management import create_permissions
from django.db import migrations

CATEGORIES = [
    ("Community centre", "community-centre"), ("Library", "library"),
    ("Family hub", "family-hub"), ("Health", "health"), ("School", "school"),
    ("Faith group", "faith-group"), ("Food support", "food-support"), ("Advice", "advice"),
    ("Green space", "green-space"), ("Sport and leisure", "sport"),
    ("VCS service", "vcs-service"), ("Housing", "housing"), ("Youth", "youth"),
    ("Older people", "older-people"),
]
OFFICER_MODELS = ["asset", "assetcategory", "organisation"]


def seed(apps, schema_editor):
    AssetCategory = apps.get_model("assets_map", "AssetCategory")
    for order, (name, slug) in enumerate(CATEGORIES):
        AssetCategory.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})

    app_config = apps.get_app_config("assets_map")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perm(codename):
        return Permission.objects.get(content_type__app_label="assets_map", codename=codename)

    officers, _ = Group.objects.get_or_create(name="Officers")
    councillors, _ = Group.objects.get_or_create(name="Councillors")
    for model in OFFICER_MODELS:
        for action in ("add", "change", "delete", "view"):
            officers.permissions.add(perm(f"{action}_{model}"))
        councillors.permissions.add(perm(f"view_{model}"))
    officers.permissions.add(perm("moderate_asset"))


class Migration(migrations.Migration):
    dependencies = [
        ("assets_map", "0001_initial"),
        ("accounts", "0002_role_groups"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
