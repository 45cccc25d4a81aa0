"""What every translatable snippet of ours (themes, asset categories) shares.

Such a snippet keeps one row per language (wagtail-localize); the default-locale row is the
thing itself. Its model has two managers: `all_locales`, the default one, which sees every
row (the snippet admin and wagtail-localize use it), and `objects`, which may see the
default-locale rows only. `DefaultLocaleRows` makes the rest of TranslatableMixin work with
that; `translate_snippet` takes a row through wagtail-localize's own workflow, for the demo
content and tests (editors and translators use the admin or PO files). Names in the
reader's language: `portal.translated_names`.
"""

from __future__ import annotations

from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from .translated_names import default_language_code


class DefaultLocaleRows:
    """Put before `TranslatableMixin`: a new row is in the default language, and a row's
    translations are looked up among every locale's rows (`objects` may hide them)."""

    def save(self, *args, **kwargs):
        if self.locale_id is None:  # a test or a fresh database may have no locale row yet
            self.locale, _created = Locale.objects.get_or_create(
                language_code=default_language_code())
        super().save(*args, **kwargs)

    def get_translations(self, inclusive=False):
        """This row's rows in every locale, itself included only when `inclusive`."""
        translations = type(self).all_locales.filter(translation_key=self.translation_key)
        if inclusive is False:
            translations = translations.exclude(pk=self.pk)
        return translations


def translate_snippet(instance, locale: Locale, texts: dict[str, str], *, user=None,
                      machine: bool = False):
    """Give `instance` (a default-locale row) the `texts` ({field path: text}) in `locale`
    through wagtail-localize (a source, a translation, a string translation per segment,
    then `save_target`) and publish it; returns the translated row. A segment with no text
    given keeps the default-language text. The caller checks the request makes sense."""
    source, created = TranslationSource.get_or_create_from_instance(instance)
    if not created:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale)
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
    return instance.get_translation(locale)
