"""Admin: survey results, exports and paper-response entry, linked from the menu and pages."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from portal import extension_points

from . import (
    contributions,
    copying,
    drafts,
    erasure,
    paper_entry_views,
    skip_logic_views,
    views,
)
from .happenings import happenings
from .insight_source import provider as insight_source
from .library_views import library_admin_urls
from .models import Question, SurveyIndexPage, SurveyPage
from .registry import sync_registry
from .search_provider import provider as search_provider

hooks.register(extension_points.WHATS_ON, contributions.whats_on)
hooks.register(extension_points.NEIGHBOURHOOD_SECTION, contributions.neighbourhood_section)
hooks.register(extension_points.HAPPENINGS, happenings)
hooks.register(extension_points.SEARCH_PROVIDERS, search_provider)
hooks.register(extension_points.INSIGHT_SOURCES, insight_source)


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
    path("<id:pk>/paper-checks/", paper_entry_views.paper_checks, name="paper_checks"),
    path("<id:pk>/responses/<str:reference>/", paper_entry_views.keyed_response,
         name="keyed_response"),
    path("<id:pk>/skip-conditions/", skip_logic_views.skip_conditions, name="skip_conditions"),
], "surveys_admin")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("survey-results/", include(admin_urls)),
            path("survey-library/", include(library_admin_urls))]


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("surveys.view_results")


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(_("Survey results"), reverse("surveys_admin:list"),
                           icon_name="list-ul", order=250)


def _skip_conditions_button(page, user, priority):
    if (isinstance(page.specific_deferred, SurveyPage)
            and user.has_perm("surveys.edit_skip_conditions", page)):
        yield Button(_("Skip conditions"), reverse("surveys_admin:skip_conditions",
                                                   args=[page.pk]),
                     icon_name="list-ul", priority=priority)


class StartFromTemplateMenuItem(MenuItem):
    def is_shown(self, request):
        return any(request.user.has_perm("surveys.start_from_template", parent)
                   for parent in SurveyIndexPage.objects.all())


@hooks.register("register_admin_menu_item")
def register_start_from_template_menu_item():
    return StartFromTemplateMenuItem(_("New survey from a template"),
                                     reverse("surveys_library:start_from_template"),
                                     icon_name="doc-full", order=251)


def _results_button(page, user, priority):
    if isinstance(page.specific_deferred, SurveyPage) and user.has_perm("surveys.view_results"):
        yield Button(_("Results"), reverse("surveys_admin:results", args=[page.pk]),
                     icon_name="list-ul", priority=priority)


def _library_buttons(page, user, priority):
    """"Question bank" on a survey; "New survey from a template" on a survey index page."""
    specific = page.specific_deferred
    if isinstance(specific, SurveyPage) and user.has_perm("surveys.add_bank_question", page):
        yield Button(_("Question bank"), reverse("surveys_library:question_bank", args=[page.pk]),
                     icon_name="help", priority=priority)
    elif (isinstance(specific, SurveyIndexPage)
          and user.has_perm("surveys.start_from_template", page)):
        yield Button(_("New survey from a template"),
                     reverse("surveys_library:start_from_template") + f"?parent={page.pk}",
                     icon_name="doc-full", priority=priority)


@hooks.register("register_page_header_buttons")
def survey_header_buttons(page, user, view_name, next_url=None):
    yield from _results_button(page, user, 40)
    yield from _skip_conditions_button(page, user, 41)
    yield from _library_buttons(page, user, 42)


@hooks.register("after_copy_page")
def renew_copied_surveys(request, page, new_page):
    """Surveys copied in the admin, alone or with an index page and its subpages, get new
    question ids (`surveys.copying`). One published as it was copied had its registry synced
    with the old ids: it has no answers yet, so its rows are made again from the new ones."""
    for copy in SurveyPage.objects.descendant_of(new_page, inclusive=True):
        copying.renew_copy(copy, clear_dates=not copy.live)
        if copy.live:
            Question.objects.filter(survey=copy).delete()
            sync_registry(copy)


@hooks.register("register_page_listing_more_buttons")
def survey_listing_buttons(page, user, next_url=None):
    yield from _results_button(page, user, 45)
    yield from _skip_conditions_button(page, user, 46)
