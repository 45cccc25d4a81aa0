from django import template
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
    """Top-level pages shown in menus, for the header navigation."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    current = context.get("page")
    items = []
    for page in site.root_page.localized.get_children().live().in_menu().specific(defer=True):
        active = bool(current and current.path.startswith(page.path))
        items.append({"title": page.title, "url": page.get_url(request), "active": active})
    return items
