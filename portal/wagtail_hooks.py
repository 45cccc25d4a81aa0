"""The core's own admin pages: the "Interface translations" report
(portal/translation_status.py) and the "Content translations" report with the PO upload
(portal/content_translations.py, portal/content_translation_views.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal import content_translation_views, content_translations, translation_status
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


# The "Content translations" report (portal/content_translations.py), and our PO upload in
# place of wagtail-localize's at the same address: this hook runs first (order=-1), so Django
# resolves the address to ours (see portal/content_translation_views.py).
@hooks.register("register_admin_urls", order=-1)
def register_content_translation_urls():
    return [
        path("content-translations/", content_translation_views.status_view,
             name="content_translations"),
        path("localize/translate/<id:translation_id>/pofile/upload/",
             content_translation_views.upload_po_file, name="content_translation_upload_po"),
    ]


@hooks.register("register_reports_menu_item")
def register_content_translations_menu_item():
    return PermissionMenuItem(_("Content translations"), reverse("content_translations"),
                              name="content-translations", icon_name="globe", order=951,
                              permission=content_translations.PERMISSION)
