# Written by hand for issue 13 (Part O): translatable child rows.
"""Every row now has a locale and a translation_key: require them, one row per language of
each translation_key."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("forums", "0006_translatable_rows_keys")]

    operations = [
        migrations.AlterField(
            model_name="yousaidwedid",
            name="locale",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AlterField(
            model_name="yousaidwedid",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="yousaidwedid",
            unique_together={("translation_key", "locale")},
        ),
    ]
