"""Translating an asset category's name and description through wagtail-localize's own
workflow: the steps an editor takes with the "Translate" action (a translation source, a
translation into the target locale, a string translation per segment, then `save_target`),
for the demo content and tests. Editors and translators use the admin or PO files."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from .categories import AssetCategory


class CategoryTranslationError(ValueError):
    """The category cannot be translated as asked (the message says why)."""


def translate_category(category: AssetCategory, locale: Locale, name: str,
                       description: str = "", *, user=None) -> AssetCategory:
    """Give `category` (a default-locale row) `name` and `description` in `locale`, and
    publish it; returns the translated row. An empty description keeps the default-language
    text. Raises CategoryTranslationError for a translated row, the category's own locale or
    an empty name."""
    if category.locale_id == locale.pk:
        raise CategoryTranslationError(
            _("A category cannot be translated into its own language."))
    if not AssetCategory.objects.filter(pk=category.pk).exists():
        raise CategoryTranslationError(
            _("Only a category itself can be translated, not a translation."))
    if not name.strip():
        raise CategoryTranslationError(_("Enter the category's name in the other language."))
    source, created = TranslationSource.get_or_create_from_instance(category)
    if not created:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale)
    texts = {"name": name.strip(), "description": description.strip()}
    for segment in StringSegment.objects.filter(source=source).select_related("string",
                                                                             "context"):
        text = texts.get(segment.context.path)
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string, locale=locale, context=segment.context,
                defaults={"data": text, "last_translated_by": user, "has_error": False,
                          "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL})
    translation.save_target(user=user, publish=True)
    return category.get_translation(locale)
