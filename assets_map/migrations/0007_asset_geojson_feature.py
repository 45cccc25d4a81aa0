"""Each asset's GeoJSON feature, stored (assets_map/features.py), filled for existing rows."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from assets_map.features import refresh_features

    refresh_features(registry=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("assets_map", "0006_organisation_verification"),
    ]

    operations = [
        migrations.AddField(
            model_name="asset",
            name="geojson_feature",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
