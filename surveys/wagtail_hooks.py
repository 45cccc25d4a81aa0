"""Admin: survey results, exports and paper-response entry, linked from the menu and pages."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from portal import extension_points

from . import contributions, drafts, erasure, views
from .happenings import happenings
from .models import SurveyPage
from .search_provider import provider as search_provider

hooks.register(extension_points.WHATS_ON, contributions.whats_on)
hooks.register(extension_points.NEIGHBOURHOOD_SECTION, contributions.neighbourhood_section)
hooks.register(extension_points.HAPPENINGS, happenings)
hooks.register(extension_points.SEARCH_PROVIDERS, search_provider)


@hooks.register(extension_points.PERSONAL_DATA)
def personal_data(user):
    return {"survey_responses": contributions.personal_data(user),
            "survey_saved_answers": drafts.personal_data(user)}


@hooks.register(extension_points.PERSONAL_DATA_ERASURE)
def forget_account(user, *, delete_free_text=False):
    erasure.forget_account(user, delete_free_text=delete_free_text)
    drafts.forget_account(user)  # unsubmitted answers go whatever the choice


admin_urls = ([
    path("", views.admin_survey_list, name="list"),
    path("<id:pk>/results/", views.admin_results, name="results"),
    path("<id:pk>/responses.csv", views.admin_export_responses, name="export_responses"),
    path("<id:pk>/equality.csv", views.admin_export_equality, name="export_equality"),
    path("<id:pk>/summary.csv", views.admin_export_aggregate, name="export_aggregate"),
    path("<id:pk>/responses.xlsx", views.admin_export_xlsx, name="export_xlsx"),
    path("<id:pk>/comments/", views.admin_comments, name="comments"),
    path("<id:pk>/enter/", views.admin_enter_response, name="enter"),
], "surveys_admin")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("survey-results/", include(admin_urls))]


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("surveys.view_results")


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(_("Survey results"), reverse("surveys_admin:list"),
                           icon_name="list-ul", order=250)


def _results_button(page, user, priority):
    if isinstance(page.specific_deferred, SurveyPage) and user.has_perm("surveys.view_results"):
        yield Button(_("Results"), reverse("surveys_admin:results", args=[page.pk]),
                     icon_name="list-ul", priority=priority)


@hooks.register("register_page_header_buttons")
def survey_header_buttons(page, user, view_name, next_url=None):
    yield from _results_button(page, user, 40)


@hooks.register("register_page_listing_more_buttons")
def survey_listing_buttons(page, user, next_url=None):
    yield from _results_button(page, user, 45)
