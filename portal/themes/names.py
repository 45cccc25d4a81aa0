"""Theme names in the reader's language.

Every relation points at a theme's default-locale row; its translations (made through
wagtail-localize) only give the name in another language. `localized_names()` answers, in
one query remembered for the rest of the request, {theme pk: name in the active language},
falling back to the default-locale name where a theme has no translation yet. Admin screens
and CSV exports keep the default-language names: officers work in the default language.
"""

from __future__ import annotations

from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant

from portal.request_memo import remembered

from .models import Theme, default_language_code


def active_content_language() -> str:
    """The content language of the active interface language (the default when not offered)."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return default_language_code()


def localized_names() -> dict[int, str]:
    """{theme pk (default-locale row): its name in the active language}, one query a request."""
    code = active_content_language()
    return remembered("theme_names", code, lambda: _names_in(code))


def _names_in(code: str) -> dict[int, str]:
    default = default_language_code()
    rows = Theme.all_locales.filter(locale__language_code__in={default, code}).values_list(
        "pk", "translation_key", "name", "locale__language_code")
    names, theme_for_key, translated = {}, {}, {}
    for pk, key, name, language in rows:
        if language == default:
            names[pk] = name
            theme_for_key[key] = pk
        else:
            translated[key] = name
    for key, name in translated.items():
        if key in theme_for_key:
            names[theme_for_key[key]] = name
    return names


def theme_name(theme) -> str:
    """The name of `theme` (a Theme or its pk) in the active language; "" for None.

    No query at all when the active language is the default and a Theme is given."""
    if theme is None or theme == "":
        return ""
    is_theme = isinstance(theme, Theme)
    if is_theme and active_content_language() == default_language_code():
        return theme.name
    pk = theme.pk if is_theme else theme
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return str(theme)
    name = localized_names().get(pk)
    if name is not None:
        return name
    return theme.name if is_theme else str(theme)


def translated_name(pk, default_name: str) -> str:
    """The name of the theme `pk` in the active language, given its default-language name
    (as read with `values("theme__name")`): no query when the active language is the default."""
    if active_content_language() == default_language_code():
        return default_name
    return localized_names().get(pk, default_name)


def label_themes_in_language(field) -> None:
    """Make a ModelChoiceField (or multiple) of themes label its choices in the active
    language, for forms residents fill in."""
    field.label_from_instance = theme_name
