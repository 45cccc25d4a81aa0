"""Themes become translatable (wagtail-localize): a locale and translation key per row.

Every existing theme goes to the default locale (created if missing, as Wagtail's own
migrations do for pages), with a translation key of its own. Names and slugs become unique
per locale, so a Welsh translation may keep the slug, or even the name, of its theme."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def bootstrap_locales(apps, schema_editor):
    from wagtail.coreutils import get_supported_content_language_variant

    Locale = apps.get_model("wagtailcore", "Locale")
    Theme = apps.get_model("themes", "Theme")
    code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _created = Locale.objects.get_or_create(language_code=code)
    for theme in Theme._default_manager.filter(locale__isnull=True).iterator():
        theme.locale = locale
        theme.translation_key = uuid.uuid4()
        theme.save(update_fields=["locale", "translation_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("themes", "0002_seed_themes"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="theme",
            managers=[("all_locales", models.Manager())],
        ),
        migrations.AddField(
            model_name="theme",
            name="locale",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="wagtailcore.locale", verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="theme",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(bootstrap_locales, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="theme",
            name="locale",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="wagtailcore.locale", verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="theme",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="theme",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="theme",
            name="slug",
            field=models.SlugField(max_length=100, verbose_name="slug"),
        ),
        migrations.AlterUniqueTogether(
            name="theme",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddConstraint(
            model_name="theme",
            constraint=models.UniqueConstraint(
                fields=("name", "locale"), name="themes_unique_name_per_locale"),
        ),
        migrations.AddConstraint(
            model_name="theme",
            constraint=models.UniqueConstraint(
                fields=("slug", "locale"), name="themes_unique_slug_per_locale"),
        ),
    ]
