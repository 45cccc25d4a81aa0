"""Asset categories become translatable (wagtail-localize): a locale and translation key per row.

Every existing category goes to the default locale (created if missing, as Wagtail's own
migrations do for pages), with a translation key of its own; assets keep pointing at the same
rows. Names and slugs become unique per locale, so a Welsh translation may keep the slug of
its category. The same steps as themes.0003."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import assets_map.categories


def bootstrap_locales(apps, schema_editor):
    from wagtail.coreutils import get_supported_content_language_variant

    Locale = apps.get_model("wagtailcore", "Locale")
    AssetCategory = apps.get_model("assets_map", "AssetCategory")
    code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _created = Locale.objects.get_or_create(language_code=code)
    for category in AssetCategory._default_manager.filter(locale__isnull=True).iterator():
        category.locale = locale
        category.translation_key = uuid.uuid4()
        category.save(update_fields=["locale", "translation_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("assets_map", "0007_asset_geojson_feature"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="assetcategory",
            managers=[("all_locales", models.Manager())],
        ),
        migrations.AddField(
            model_name="assetcategory",
            name="locale",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="wagtailcore.locale", verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="assetcategory",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(bootstrap_locales, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assetcategory",
            name="locale",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="wagtailcore.locale", verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="assetcategory",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="assetcategory",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="assetcategory",
            name="slug",
            field=models.SlugField(max_length=100, verbose_name="slug"),
        ),
        migrations.AlterUniqueTogether(
            name="assetcategory",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddConstraint(
            model_name="assetcategory",
            constraint=models.UniqueConstraint(
                fields=("name", "locale"), name="assets_map_category_unique_name_per_locale"),
        ),
        migrations.AddConstraint(
            model_name="assetcategory",
            constraint=models.UniqueConstraint(
                fields=("slug", "locale"), name="assets_map_category_unique_slug_per_locale"),
        ),
        migrations.AlterField(
            model_name="asset",
            name="category",
            field=models.ForeignKey(
                limit_choices_to=assets_map.categories.in_default_locale,
                on_delete=django.db.models.deletion.PROTECT, related_name="assets",
                to="assets_map.assetcategory", verbose_name="category",
            ),
        ),
    ]
