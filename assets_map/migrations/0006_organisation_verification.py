"""Organisations are verified once by an officer before their assets can be published, and
carry a name key for finding likely duplicates. Every organisation that exists already is
marked verified, so nothing already published disappears."""

import re
import unicodedata

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import portal.validators

# Frozen copy of assets_map.querysets.name_key as it was when this migration was written.
NOISE = frozenset({"the", "ltd", "limited", "cic", "cio", "trust", "inc", "plc"})
NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def name_key(name):
    text = unicodedata.normalize("NFKD", name or "").casefold().replace("&", " and ")
    text = "".join(character for character in text if not unicodedata.combining(character))
    words = NOT_ALPHANUMERIC.sub(" ", text).split()
    kept = [word for word in words if word not in NOISE]
    return "".join(kept or words)[:200]


def verify_existing(apps, schema_editor):
    Organisation = apps.get_model("assets_map", "Organisation")
    now = timezone.now()
    for organisation in Organisation.objects.all().only("pk", "name"):
        Organisation.objects.filter(pk=organisation.pk).update(
            name_key=name_key(organisation.name), verified_at=now)


class Migration(migrations.Migration):

    dependencies = [
        ('assets_map', '0005_remove_asset_photo'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='name_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name='organisation',
            name='verified_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='verified'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='verified_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='verified by'),
        ),
        migrations.AlterField(
            model_name='asset',
            name='name',
            field=models.CharField(max_length=200, validators=[portal.validators.NameValidator()], verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='name',
            field=models.CharField(max_length=200, validators=[portal.validators.NameValidator()], verbose_name='name'),
        ),
        migrations.RunPython(verify_existing, migrations.RunPython.noop),
    ]
