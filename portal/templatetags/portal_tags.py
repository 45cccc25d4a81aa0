from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale

from portal import languages
from portal.pages import chrome

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
    """Top-level pages shown in menus, for the header navigation (`portal.pages.chrome`:
    cached per site and language), with the one the page is under marked active."""
    current = context.get("page")
    return [{"title": item["title"], "url": item["url"],
             "active": bool(current and current.path.startswith(item["path"]))}
            for item in chrome.chrome_links(context.get("request"))["navigation"]]


@register.simple_tag(takes_context=True)
def statement_links(context):
    """The addresses of the accessibility statement and privacy notice in the reader's
    language (empty when the settings name none)."""
    return chrome.chrome_links(context.get("request"))


@register.simple_tag(takes_context=True)
def language_links(context):
    """The language switcher's entries: each language's name in itself, whether it is the
    reader's, and this address in it. Plain links, not a form, so a page needs no CSRF token
    and an anonymous page stays cacheable (portal/cache_headers.py)."""
    request = context.get("request")
    current = translation.get_language()
    path = request.get_full_path() if request is not None else "/"
    links = []
    for code, _name in settings.LANGUAGES:  # the offered ones only (PORTAL_LANGUAGES)
        links.append({"code": code, "name": languages.own_name(code), "current": code == current,
                      "url": path if code == current else translate_url(path, code)})
    return links


@register.simple_tag(takes_context=True)
def untranslated_content_language(context):
    """The language code of the page's content when it differs from the reader's language
    (a page not translated yet), else an empty string."""
    page = context.get("page")
    if page is None or not getattr(page, "locale_id", None):
        return ""
    try:  # remembered for the request (portal/request_memo.py): no query
        if page.locale_id == Locale.get_active().pk:
            return ""
    except (LookupError, Locale.DoesNotExist):
        pass
    content_language = page.locale.language_code
    active = translation.get_language() or ""
    return "" if active.split("-")[0] == content_language.split("-")[0] else content_language
