"""Admin: the Community insight menu and its addresses."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from portal.admin_menu import PermissionMenuItem

from . import urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("insight/", include((urls.urlpatterns, "insight")))]



class InsightSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.has_perm("insight.view_items")


MENU = [  # (label, url name, icon, permission)
    (_("Code feedback and comments"), "insight:coding", "tag", "insight.view_items"),
    (_("Import feedback"), "insight:imports", "upload", "insight.import_feedback"),
    (_("Coding matrix"), "insight:matrix", "list-ul", "insight.view_matrix"),
    (_("Suggested codes"), "insight:suggestions", "wand-magic-sparkles",
     "insight.view_suggestions"),
    (_("Trends"), "insight:trends", "table", "insight.view_trends"),
    (_("Safeguarding flags"), "insight:safeguarding", "warning", "insight.open_safeguarding"),
]


@hooks.register("register_admin_menu_item")
def insight_menu():
    items = [PermissionMenuItem(label, reverse(name), icon_name=icon, order=10 * n,
                                permission=permission)
             for n, (label, name, icon, permission) in enumerate(MENU, start=1)]
    return InsightSubmenu(_("Community insight"), Menu(items=items), icon_name="tag",
                          order=265)
