"""`{{ asset.category|category_name }}`: a category's name in the reader's language (see
assets_map.category_names)."""

from django import template

from assets_map.category_names import category_name as localized_category_name

register = template.Library()


@register.filter
def category_name(category) -> str:
    """The category's name (an AssetCategory or its pk) in the active language, or its
    default-language name where it has no translation."""
    return localized_category_name(category)
