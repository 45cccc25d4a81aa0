from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICER_MODEL_PERMISSIONS = {
    "themes": ["theme"],
    "neighbourhoods": ["neighbourhood", "locality"],
}
PAGE_PERMISSIONS = {
    "Officers": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    "Officers": [
        ("wagtailimages", "add_image"), ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"), ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"), ("wagtaildocs", "choose_document"),
    ],
}


def create_role_groups(apps, schema_editor):
    """Officers edit content and core data; councillors review; VCS members use the public site."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    def perm(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    officers, _ = Group.objects.get_or_create(name="Officers")
    councillors, _ = Group.objects.get_or_create(name="Councillors")
    Group.objects.get_or_create(name="VCS organisations")

    access_admin = perm("wagtailadmin", "access_admin")
    officers.permissions.add(access_admin)
    councillors.permissions.add(access_admin)
    for app_label, models in OFFICER_MODEL_PERMISSIONS.items():
        for model in models:
            for action in ("add", "change", "delete", "view"):
                officers.permissions.add(perm(app_label, f"{action}_{model}"))
            councillors.permissions.add(perm(app_label, f"view_{model}"))

    root_page = Page.objects.filter(depth=1).first()
    for codename in PAGE_PERMISSIONS["Officers"]:
        GroupPagePermission.objects.get_or_create(
            group=officers, page=root_page, permission=perm("wagtailcore", codename)
        )
    root_collection = Collection.objects.filter(depth=1).first()
    for app_label, codename in COLLECTION_PERMISSIONS["Officers"]:
        GroupCollectionPermission.objects.get_or_create(
            group=officers, collection=root_collection, permission=perm(app_label, codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("themes", "0001_initial"),
        ("neighbourhoods", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
