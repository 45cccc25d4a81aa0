from django import template
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from wagtail.models import Site

register = template.Library()

INPUT_CLASSES = {
    "textarea": "textarea",
    "select": "select",
    "checkbox": "checkbox__input",
    "radioselect": "",
    "checkboxselectmultiple": "",
}


@register.simple_tag
def field_widget(field):
    """Render a form field's widget with GOV.UK classes and its hint and error described."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    css = INPUT_CLASSES.get(field.widget_type, "input")
    if field.errors and css:
        css += f" {css}--error"
    attrs = {"class": css} if css else {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """Top-level pages shown in menus, for the header navigation.

    In another language, each page's translation is listed where it exists; a page not yet
    translated is still listed, at its address in that language (the home page serves it from
    the default language's tree), so the menu is the same in every language.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    current = context.get("page")
    root = site.root_page
    localized_root = root.localized
    pages = list(localized_root.get_children().live().in_menu())
    if localized_root.pk != root.pk:
        by_key = {page.translation_key: page for page in pages}
        language = translation.get_language()
        merged = []
        for page in root.get_children().live().in_menu():
            translated = by_key.pop(page.translation_key, None)
            merged.append((translated, None) if translated else
                          (page, _url_in_language(page.get_url(request), language)))
        merged.extend((page, None) for page in by_key.values())
    else:
        merged = [(page, None) for page in pages]
    items = []
    for page, url in merged:
        active = bool(current and current.path.startswith(page.path))
        items.append({"title": page.title, "url": url or page.get_url(request), "active": active})
    return items


def _url_in_language(url: str, language: str) -> str:
    """A default-language URL's address under another language's prefix (/about/ ->
    /cy/about/); Django's translate_url resolves in the active language, so cannot do this."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            match = resolve(url)
        with translation.override(language):
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except (Resolver404, NoReverseMatch):
        return url


@register.simple_tag(takes_context=True)
def untranslated_content_language(context):
    """The language code of the page's content when it differs from the reader's language
    (a page not translated yet), else an empty string."""
    page = context.get("page")
    if page is None or not getattr(page, "locale_id", None):
        return ""
    content_language = page.locale.language_code
    active = translation.get_language() or ""
    return "" if active.split("-")[0] == content_language.split("-")[0] else content_language
