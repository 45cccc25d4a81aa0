"""Admin: the progress-update view, its buttons, the plan PDFs that failed or are stuck, and a
clear word when an officer tries to publish a plan that needs a councillor's approval."""

from django.contrib import messages
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from portal import extension_points
from priorities.registry import CITATIONS

from . import views
from .happenings import happenings
from .models import LocalityPlanIndexPage, LocalityPlanPage, PlanPdf
from .neighbourhood import neighbourhood_section
from .trail import actions_for_page, plans_citing

hooks.register(CITATIONS, plans_citing)
hooks.register(extension_points.OUTCOMES, actions_for_page)
hooks.register(extension_points.NEIGHBOURHOOD_SECTION, neighbourhood_section)
hooks.register(extension_points.HAPPENINGS, happenings)

admin_urls = ([
    path("<id:page_id>/updates/", views.admin_updates, name="updates"),
    path("pdfs/", views.admin_pdfs, name="pdfs"),
], "plans_admin")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("plans/", include(admin_urls))]


class PdfsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("plans.manage_pdfs")


@hooks.register("register_admin_menu_item")
def register_pdfs_menu_item():
    return PdfsMenuItem(gettext_lazy("Plan PDFs"), reverse("plans_admin:pdfs"),
                        icon_name="doc-full", order=260)


@hooks.register("construct_homepage_panels")
def pdf_failures_panel(request, panels):
    """Officers see on the dashboard when plan PDFs failed or are stuck."""
    if request.user.has_perm("plans.manage_pdfs"):
        count = PlanPdf.objects.needing_attention().count()
        if count:
            panels.append(PdfFailuresPanel(count))


class PdfFailuresPanel(Component):
    name = "plan_pdf_failures"
    order = 90
    template_name = "plans/admin/pdf_failures_panel.html"

    def __init__(self, count):
        self.count = count

    def get_context_data(self, parent_context):
        return {"count": self.count, "url": reverse("plans_admin:pdfs")}


def _updates_button(page, user, priority):
    if isinstance(page.specific_deferred, LocalityPlanPage) and page.pk and (
            user.has_perm("plans.record_progress", page)):
        yield Button(gettext_lazy("Progress updates"),
                     reverse("plans_admin:updates", args=[page.pk]), icon_name="list-ul",
                     priority=priority)


@hooks.register("register_page_header_buttons")
def plan_header_buttons(page, user, view_name, next_url=None):
    yield from _updates_button(page, user, 40)


@hooks.register("register_page_listing_more_buttons")
def plan_listing_buttons(page, user, next_url=None):
    yield from _updates_button(page, user, 45)


APPROVAL_MESSAGE = gettext_lazy(
    "Locality plans are published when a councillor approves them. Your changes have been "
    "saved as a draft: choose “Submit to Locality plan approval” to send them for approval."
)


def _warn_if_publishing(request, permissions):
    if request.method == "POST" and request.POST.get("action-publish") and (
            not permissions.can_publish()):
        # Wagtail saves a draft instead; say why, next to the save message.
        messages.warning(request, APPROVAL_MESSAGE)


@hooks.register("before_edit_page")
def warn_before_edit(request, page):
    if isinstance(page, LocalityPlanPage):
        _warn_if_publishing(request, page.permissions_for_user(request.user))


@hooks.register("before_create_page")
def warn_before_create(request, parent_page, page_class):
    if page_class is LocalityPlanPage:
        parent = parent_page.specific
        if isinstance(parent, LocalityPlanIndexPage):
            tester = parent.permissions_for_user(request.user)
            if request.method == "POST" and request.POST.get("action-publish") and (
                    not tester.can_publish_subpage()):
                messages.warning(request, APPROVAL_MESSAGE)
