"""Translate a page or snippet through wagtail-localize in a test, as a translator would:
every string of the source given a translation, then the translation published."""

from __future__ import annotations

from django.test import TestCase


def marked(text: str, language_code: str) -> str:
    """What a test translator writes for a string it has no words for: the text, marked."""
    return f"[{language_code}] {text}"


def translate(instance, language_code: str = "cy", words: dict | None = None, *,
              keep=(), translation_type: str = "manual"):
    """Publish `instance` (a page or a translatable snippet) in `language_code` and return the
    translation. Each string becomes `words[text]`, or the text itself when it is in `keep`,
    or else the marked text. A page's parents are translated first, as wagtail-localize
    requires, up to the site's root. The source is read again if it was translated before.

    wagtail-localize publishes when the transaction commits; inside a test's transaction the
    callbacks run at once."""
    from wagtail.models import Locale, Page
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    words = words or {}
    locale, _created = Locale.objects.get_or_create(language_code=language_code)
    if isinstance(instance, Page):
        parent = instance.get_parent().specific
        if parent.locale_id != locale.pk and parent.depth > 2:
            translate(parent, language_code, words, keep=keep)
    source, created = TranslationSource.get_or_create_from_instance(instance)
    if not created:
        source.update_from_db()
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        text = segment.string.data
        StringTranslation.objects.update_or_create(
            translation_of=segment.string, locale=locale, context=segment.context,
            defaults={"data": words.get(text, text if text in keep else marked(
                text, language_code)), "translation_type": translation_type})
    target, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    with TestCase.captureOnCommitCallbacks(execute=True):
        target.save_target(publish=True)
    translated = instance.get_translation(locale)
    return translated.specific if isinstance(translated, Page) else translated
