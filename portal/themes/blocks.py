"""A chooser block for themes that wagtail-localize leaves alone.

wagtail-localize swaps every chosen translatable snippet for its translation when it
translates a page. A theme's translation only gives its name in another language: answers,
evidence and priorities count the default-locale theme, so a Welsh survey page must keep
pointing at the very same theme as its English original."""

from wagtail.snippets.blocks import SnippetChooserBlock


class ThemeChooserBlock(SnippetChooserBlock):
    """Choose a theme; every translation of the page keeps the same (default-locale) theme."""

    def __init__(self, **kwargs):
        super().__init__("themes.Theme", **kwargs)

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value
