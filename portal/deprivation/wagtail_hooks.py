"""Wagtail admin: read-only lists of the imported areas and each neighbourhood's need, and the
upload page for the deprivation import. Who may see and import: `portal.import_boundaries`."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from .forms import DeprivationImportForm
from .models import NeighbourhoodNeed, StatisticalArea

PERMISSION = "portal.import_boundaries"
IMPORT_URL_NAME = "deprivation_import"


class ReadOnlyPolicy(BasePermissionPolicy):
    """Officers may list and inspect; the data changes only through the import."""

    def user_has_permission(self, user, action):
        return action == "view" and user.has_perm(PERMISSION)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True, is_superuser=True)


register_permission_policy(StatisticalArea, ReadOnlyPolicy(StatisticalArea))
register_permission_policy(NeighbourhoodNeed, ReadOnlyPolicy(NeighbourhoodNeed))


class StatisticalAreaViewSet(ModelViewSet):
    model = StatisticalArea
    url_prefix = "deprivation/areas"
    url_namespace = "deprivation_areas"
    icon = "table"
    menu_label = _("Statistical areas")
    list_display = ["code", "name", "imd_decile", "imd_rank", "population"]
    search_fields = ["code", "name"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = ["code", "name", "population", "imd_rank", "imd_decile", "domains",
                           "updated_at"]
    exclude_form_fields = ["geometry"]


class NeighbourhoodNeedViewSet(ModelViewSet):
    model = NeighbourhoodNeed
    url_prefix = "deprivation/needs"
    url_namespace = "deprivation_needs"
    icon = "site"
    menu_label = _("Need by neighbourhood")
    list_display = ["neighbourhood", "imd_decile", "imd_rank", "population", "computed_at"]
    inspect_view_enabled = True
    inspect_view_fields = ["neighbourhood", "population", "imd_rank", "imd_decile", "domains",
                           "quintile_population", "areas", "computed_at"]
    exclude_form_fields = ["areas"]


class DeprivationViewSetGroup(ViewSetGroup):
    items = (NeighbourhoodNeedViewSet, StatisticalAreaViewSet)
    menu_label = _("Deprivation")
    menu_icon = "table"
    menu_order = 260


@hooks.register("register_admin_viewset")
def register_viewsets():
    return DeprivationViewSetGroup()


class DeprivationImportView(WagtailAdminTemplateMixin, FormView):
    """Upload LSOA boundaries and the IoD2019 files; every problem is listed on the form."""

    form_class = DeprivationImportForm
    template_name = "deprivation/admin/import.html"
    page_title = _("Import deprivation data")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        report = form.run_import()
        if not report.ok:
            return self.form_invalid(form)
        messages.success(self.request, report.summary())
        for note in report.notes():
            messages.warning(self.request, note)
        return redirect(IMPORT_URL_NAME)


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("deprivation/import/", DeprivationImportView.as_view(), name=IMPORT_URL_NAME)]


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Import deprivation data"), reverse(IMPORT_URL_NAME),
                          name="import-deprivation", icon_name="upload", order=900)
