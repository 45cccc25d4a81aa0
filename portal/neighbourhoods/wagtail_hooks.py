"""Wagtail admin for neighbourhoods: localities and neighbourhoods as snippets, and the boundary
import page, grouped under one "Neighbourhoods" menu."""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from .forms import BoundaryImportForm, NeighbourhoodForm
from .models import Locality, Neighbourhood

IMPORT_URL_NAME = "neighbourhoods_import_boundaries"
MENU_HOOK = "register_neighbourhoods_menu_item"
MAX_WARNINGS_SHOWN = 20  # one message each; the command lists every one


class LocalityViewSet(SnippetViewSet):
    model = Locality
    icon = "group"
    menu_label = _("Localities")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    search_backend_name = None  # a plain database filter: a handful of rows, no index needed


class NeighbourhoodIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("portal.import_boundaries"):
            buttons.append(
                HeaderButton(_("Import boundaries"), url=reverse(IMPORT_URL_NAME),
                             icon_name="upload")
            )
        return buttons


class NeighbourhoodViewSet(SnippetViewSet):
    model = Neighbourhood
    index_view_class = NeighbourhoodIndexView
    icon = "site"
    menu_label = _("Neighbourhoods")
    list_display = ["name", "code", "locality"]
    list_filter = ["locality"]
    search_fields = ["name", "code"]
    search_backend_name = None
    # The boundary field turns JSON nested too deeply to parse into a message on the field.
    edit_handler = ObjectList(Neighbourhood.panels, base_form_class=NeighbourhoodForm)

    def get_queryset(self, request):
        return Neighbourhood.objects.select_related("locality")


class NeighbourhoodsViewSetGroup(SnippetViewSetGroup):
    items = (NeighbourhoodViewSet, LocalityViewSet)
    menu_label = _("Neighbourhoods")
    menu_icon = "site"
    menu_order = 250
    submenu_hook = MENU_HOOK


register_snippet(NeighbourhoodsViewSetGroup)


def neighbourhood_index_url_name() -> str:
    # Snippet registration is deferred until apps are ready; the viewset is attached then.
    return Neighbourhood.snippet_viewset.get_url_name("list")


class BoundaryImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a GeoJSON file of boundaries; errors are shown on the form, counts as a message."""

    form_class = BoundaryImportForm
    template_name = "neighbourhoods/admin/import_boundaries.html"
    page_title = _("Import boundaries")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("portal.import_boundaries"):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(neighbourhood_index_url_name()), "label": _("Neighbourhoods")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        report = form.run_import()
        if not report.ok:
            return self.form_invalid(form)
        messages.success(self.request, report.summary())
        shown = report.warning_messages[:MAX_WARNINGS_SHOWN]
        for warning in shown:
            messages.warning(self.request, warning)
        if len(report.warnings) > len(shown):
            messages.warning(self.request, ngettext(
                "%(count)d more feature has a warning: run a dry run of import_boundaries to "
                "list them all.",
                "%(count)d more features have warnings: run a dry run of import_boundaries to "
                "list them all.",
                len(report.warnings) - len(shown)) % {"count": len(report.warnings) - len(shown)})
        if report.dry_run:
            return redirect(IMPORT_URL_NAME)
        return redirect(neighbourhood_index_url_name())


class ImportBoundariesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("portal.import_boundaries")


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("neighbourhoods/import/", BoundaryImportView.as_view(), name=IMPORT_URL_NAME)]


@hooks.register(MENU_HOOK)
def register_import_menu_item():
    return ImportBoundariesMenuItem(
        _("Import boundaries"), reverse(IMPORT_URL_NAME), name="import-boundaries",
        icon_name="upload", order=300,
    )
