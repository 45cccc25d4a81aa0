"""Theme names in the reader's language.

Every relation points at a theme's default-locale row; its translations (made through
wagtail-localize) only give the name in another language. `localized_names()` answers, in
one query remembered for the rest of the request, {theme pk: name in the active language},
falling back to the default-locale name where a theme has no translation yet. Admin screens
and CSV exports keep the default-language names: officers work in the default language.

The work is done by `portal.translated_names`, which serves any translatable snippet with a
name (asset categories too); these are its theme-shaped entry points.
"""

from __future__ import annotations

from portal import translated_names
from portal.translated_names import active_content_language

from .models import Theme

__all__ = ["active_content_language", "label_themes_in_language", "localized_names",
           "theme_name", "translated_name"]

MEMO = "theme_names"


def localized_names() -> dict[int, str]:
    """{theme pk (default-locale row): its name in the active language}, one query a request."""
    return translated_names.localized_names(Theme, MEMO)


def theme_name(theme) -> str:
    """The name of `theme` (a Theme or its pk) in the active language; "" for None.

    No query at all when the active language is the default and a Theme is given."""
    return translated_names.name_in_language(Theme, theme, MEMO)


def translated_name(pk, default_name: str) -> str:
    """The name of the theme `pk` in the active language, given its default-language name
    (as read with `values("theme__name")`): no query when the active language is the default."""
    return translated_names.translated_name(Theme, pk, default_name, MEMO)


def label_themes_in_language(field) -> None:
    """Make a ModelChoiceField (or multiple) of themes label its choices in the active
    language, for forms residents fill in."""
    field.label_from_instance = theme_name
