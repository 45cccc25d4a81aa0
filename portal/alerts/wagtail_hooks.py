"""The alerts app's admin report (follower counts) and its part of a person's data."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal import extension_points

from . import following

PERMISSION = "portal.view_follower_counts"


def follower_counts(request):
    """How many people follow each neighbourhood and theme, small numbers hidden."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return TemplateResponse(request, "alerts/admin/follower_counts.html",
                            {"counts": following.follower_counts()})


class FollowerCountsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_urls")
def register_follower_counts_url():
    return [path("alerts/followers/", follower_counts, name="alerts_follower_counts")]


@hooks.register("register_reports_menu_item")
def register_follower_counts_menu_item():
    return FollowerCountsMenuItem(_("Alert followers"), reverse("alerts_follower_counts"),
                                  name="alert-followers", icon_name="mail", order=900)


@hooks.register(extension_points.PERSONAL_DATA)
def personal_data(user):
    return following.personal_data(user)


@hooks.register(extension_points.PERSONAL_DATA_ERASURE)
def forget_account(user, *, delete_free_text=False):
    following.forget_account(user)
