"""`{{ theme|theme_name }}`: a theme's name in the reader's language (see portal.themes.names)."""

from django import template

from portal.themes.names import theme_name as localized_theme_name

register = template.Library()


@register.filter
def theme_name(theme) -> str:
    """The theme's name (a Theme or its pk) in the active language, or its default name."""
    return localized_theme_name(theme)
