"""Asset categories (library, community centre, food support, ...): a translatable snippet.

Like themes (`portal.themes.models`), a category is translated through wagtail-localize: its
name and description have a row per language, sharing a `translation_key`. The default-locale
row *is* the category, the only row assets, imports, exports and forms point at;
`AssetCategory.objects` sees those rows only, `AssetCategory.all_locales` (the default
manager, which the snippet admin and wagtail-localize use) every row. Names in the reader's
language: `assets_map.category_names`. `models.py` imports the model from here.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

from portal.translated_names import default_language_code
from portal.translated_snippets import DefaultLocaleRows


def in_default_locale() -> Q:
    """What a relation to a category may choose: the categories themselves, not their
    translations (the `limit_choices_to` of `Asset.category`)."""
    return Q(locale__language_code=default_language_code())


class AssetCategoryQuerySet(models.QuerySet):
    def in_default_locale(self):
        """The categories themselves: one row per category, without their translations."""
        return self.filter(in_default_locale())


class DefaultLocaleCategoryManager(models.Manager.from_queryset(AssetCategoryQuerySet)):
    """`AssetCategory.objects`: only the default-locale rows, the ones assets point at."""

    def get_queryset(self):
        return super().get_queryset().in_default_locale()


class AssetCategory(DefaultLocaleRows, TranslatableMixin, models.Model):
    """A kind of asset: library, community centre, food support, ... (a Wagtail snippet,
    translatable: name and description; slug and sort order kept in step)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    all_locales = AssetCategoryQuerySet.as_manager()
    objects = DefaultLocaleCategoryManager()

    translatable_fields = [
        TranslatableField("name"), TranslatableField("description"),
        SynchronizedField("slug", overridable=False),
        SynchronizedField("sort_order", overridable=False),
    ]

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"),
              FieldPanel("sort_order")]

    class Meta(TranslatableMixin.Meta):
        app_label = "assets_map"
        ordering = ["sort_order", "name"]
        verbose_name = _("asset category")
        verbose_name_plural = _("asset categories")
        constraints = [
            models.UniqueConstraint(fields=["name", "locale"],
                                    name="assets_map_category_unique_name_per_locale"),
            models.UniqueConstraint(fields=["slug", "locale"],
                                    name="assets_map_category_unique_slug_per_locale"),
        ]

    def __str__(self):
        return self.name
