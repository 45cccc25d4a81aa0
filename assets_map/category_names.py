"""Asset category names in the reader's language (the way `portal.themes.names` does themes).

Assets point at a category's default-locale row; its translations, made through
wagtail-localize, only give the name in another language. Residents' pages, forms and the
map's labels use these; the admin, the open data and Open Referral exports keep the
default-language names.
"""

from __future__ import annotations

from portal import translated_names

from .categories import AssetCategory

MEMO = "asset_category_names"


def localized_names() -> dict[int, str]:
    """{category pk (default-locale row): its name in the active language}, one query a
    request, the English name where a category has no translation yet."""
    return translated_names.localized_names(AssetCategory, MEMO)


def category_name(category) -> str:
    """The name of `category` (an AssetCategory or its pk) in the active language; "" for
    None. No query when the reader's language is the default and a category is given."""
    return translated_names.name_in_language(AssetCategory, category, MEMO)


def label_categories_in_language(field) -> None:
    """Make a ModelChoiceField of categories label its choices in the active language, for
    forms residents and organisations fill in."""
    field.label_from_instance = category_name

