"""Admin: the progress-update view, its buttons, and a clear word when an officer tries to
publish a plan that needs a councillor's approval."""

from django.contrib import messages
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import Button

from portal import extension_points
from priorities.registry import CITATIONS

from . import views
from .models import LocalityPlanIndexPage, LocalityPlanPage
from .neighbourhood import neighbourhood_section
from .trail import actions_for_page, plans_citing

hooks.register(CITATIONS, plans_citing)
hooks.register(extension_points.OUTCOMES, actions_for_page)
hooks.register(extension_points.NEIGHBOURHOOD_SECTION, neighbourhood_section)

admin_urls = ([
    path("<int:page_id>/updates/", views.admin_updates, name="updates"),
], "plans_admin")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("plans/", include(admin_urls))]


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
