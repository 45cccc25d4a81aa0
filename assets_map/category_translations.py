"""Translating an asset category's name and description through wagtail-localize's own
workflow: the steps an editor takes with the "Translate" action (a translation source, a
translation into the target locale, a string translation per segment, then `save_target`),
for the demo content and tests. Editors and translators use the admin or PO files."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.models import Locale

from portal.translated_snippets import translate_snippet

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
    return translate_snippet(category, locale, {"name": name.strip(),
                                                "description": description.strip()},
                             user=user)
