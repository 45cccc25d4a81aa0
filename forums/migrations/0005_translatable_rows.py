# Written by hand for issue 13 (Part O): translatable child rows.
"""Child rows become translatable: a locale and a translation_key, empty until the next
migration fills them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("forums", "0004_registration_language"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name="yousaidwedid",
            name="locale",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AddField(
            model_name="yousaidwedid",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
