"""Admin: the page editor of every page type is the publish-safe one (see editing.py)."""

from wagtail import hooks
from wagtail.models import Page

from .editing import PortalPageViewSet


@hooks.register("register_admin_viewset")
def register_page_viewset():
    # Registered for the base Page model after Wagtail's own (order -1), so every page type
    # without a viewset of its own is edited with it.
    return PortalPageViewSet("portal_pages", model=Page)
