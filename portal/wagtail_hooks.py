"""The core's own admin pages: the "Interface translations" report
(portal/translation_status.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal import translation_status
from portal.admin_menu import PermissionMenuItem


@hooks.register("register_admin_urls")
def register_translation_status_urls():
    return [
        path("translations/", translation_status.status_view, name="translation_status"),
        path("translations/<str:code>.po", translation_status.download_view,
             name="translation_catalogue"),
    ]


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return PermissionMenuItem(_("Interface translations"), reverse("translation_status"),
                              name="interface-translations", icon_name="globe", order=950,
                              permission=translation_status.PERMISSION)
