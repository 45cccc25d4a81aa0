"""Translating a theme's name and description through wagtail-localize's own workflow.

The same steps an editor takes with the "Translate" action (a translation source, a
translation for the target locale, a string translation per segment, then `save_target`),
for the demo content and for tests. Editors and translators use the admin or PO files."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.models import Locale

from portal.translated_snippets import translate_snippet

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
    return translate_snippet(theme, locale, {"name": name.strip(),
                                             "description": description.strip()},
                             user=user, machine=machine)
