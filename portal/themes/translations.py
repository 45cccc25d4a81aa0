"""Translating a theme's name and description through wagtail-localize's own workflow.

The same steps an editor takes with the "Translate" action (a translation source, a
translation for the target locale, a string translation per segment, then `save_target`),
for the demo content and for tests. Editors and translators use the admin or PO files."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from .models import Theme


class ThemeTranslationError(ValueError):
    """The theme cannot be translated as asked (the message says why)."""


def translate_theme(theme: Theme, locale: Locale, name: str, description: str = "",
                    *, user=None, machine: bool = False) -> Theme:
    """Give `theme` (a default-locale row) `name` and `description` in `locale`, and publish it.

    Returns the translated row. Segments with no text given (an empty description) keep the
    default-language text. Raises ThemeTranslationError for a translated row or the theme's
    own locale."""
    if theme.locale_id == locale.pk:
        raise ThemeTranslationError(_("A theme cannot be translated into its own language."))
    if not Theme.objects.filter(pk=theme.pk).exists():
        raise ThemeTranslationError(_("Only a theme itself can be translated, not a translation."))
    if not name.strip():
        raise ThemeTranslationError(_("Enter the theme's name in the other language."))
    source, created = TranslationSource.get_or_create_from_instance(theme)
    if not created:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale)
    texts = {"name": name.strip(), "description": description.strip()}
    kind = (StringTranslation.TRANSLATION_TYPE_MACHINE if machine
            else StringTranslation.TRANSLATION_TYPE_MANUAL)
    for segment in StringSegment.objects.filter(source=source).select_related("string",
                                                                             "context"):
        text = texts.get(segment.context.path)
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string, locale=locale, context=segment.context,
                defaults={"data": text, "translation_type": kind,
                          "last_translated_by": user, "has_error": False})
    translation.save_target(user=user, publish=True)
    return theme.get_translation(locale)
