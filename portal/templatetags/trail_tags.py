"""`{% trail_actions page %}`: the "what we are doing" list under a survey or forum outcome."""

from django import template

from portal.extension_points import actions_for_page

register = template.Library()


@register.inclusion_tag("components/trail_actions.html")
def trail_actions(page, heading_level=3):
    """Render the plan actions this page led to (nothing when there are none)."""
    return {"trail_actions": actions_for_page(page), "heading_level": heading_level}
