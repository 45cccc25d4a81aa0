from django.db import migrations

from portal.themes.seed import THEMES


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("themes", "Theme")
    for name, slug, description, colour in THEMES:
        Theme.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "colour": colour}
        )


class Migration(migrations.Migration):
    dependencies = [("themes", "0001_initial")]
    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
