"""Admin: community feedback intake, population figures, live rankings, snapshots, trends."""

from django import forms
from django.db import transaction
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from portal import extension_points
from portal.admin_menu import PermissionMenuItem

from . import views
from .feedback import notify_safeguarding
from .forms import FeedbackItemForm
from .models import FeedbackItem, PopulationFigure
from .pages import neighbourhood_section

hooks.register(extension_points.NEIGHBOURHOOD_SECTION, neighbourhood_section)


class _NotifyOnFlag:
    """Record who entered the feedback; email the safeguarding contact when newly flagged."""

    def save_instance(self):
        flagged = self.form.newly_flagged
        if not self.form.instance.pk:
            self.form.instance.created_by = self.request.user
        instance = super().save_instance()
        if flagged:
            link = self.request.build_absolute_uri(
                reverse(FeedbackItem.snippet_viewset.get_url_name("edit"), args=[instance.pk]))
            user = self.request.user
            transaction.on_commit(lambda: notify_safeguarding(instance, user, link))
        return instance


class FeedbackCreateView(_NotifyOnFlag, CreateView):
    pass


class FeedbackEditView(_NotifyOnFlag, EditView):
    pass


class FeedbackItemViewSet(SnippetViewSet):
    model = FeedbackItem
    icon = "comment"
    menu_label = _("Community feedback")
    add_to_admin_menu = False
    add_view_class = FeedbackCreateView
    edit_view_class = FeedbackEditView
    list_display = ["received_on", "source", "neighbourhood", "__str__", "sentiment",
                    BooleanColumn("safeguarding", label=_("Safeguarding"))]
    list_filter = ["source", "neighbourhood", "themes", "received_on", "sentiment",
                   "safeguarding"]
    search_fields = ["text", "source_detail"]
    search_backend_name = None  # a database filter: no search index to keep up to date
    list_per_page = 50
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("source"), FieldPanel("received_on")]),
        FieldPanel("source_detail"),
        FieldPanel("neighbourhood"),
        FieldPanel("text"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("sentiment"), FieldPanel("people_count")]),
        FieldPanel("safeguarding"),
    ], base_form_class=FeedbackItemForm)

    def get_queryset(self, request):
        return FeedbackItem.objects.select_related("neighbourhood")


class PopulationFigureViewSet(SnippetViewSet):
    model = PopulationFigure
    icon = "group"
    menu_label = _("Population figures")
    add_to_admin_menu = False
    list_display = ["neighbourhood", "characteristic", "category", "people", "source"]
    list_filter = ["neighbourhood", "characteristic"]
    search_fields = ["characteristic", "category"]
    search_backend_name = None

    def get_queryset(self, request):
        return PopulationFigure.objects.select_related("neighbourhood")


register_snippet(FeedbackItemViewSet)
register_snippet(PopulationFigureViewSet)

admin_urls = ([
    path("", views.admin_overview, name="overview"),
    path("neighbourhood/<id:pk>/", views.admin_neighbourhood, name="neighbourhood"),
    path("neighbourhood/<id:pk>/snapshot/", views.admin_take_snapshot, name="take_snapshot"),
    path("neighbourhood/<id:pk>/weights/", views.admin_weights, name="weights"),
    path("weights/", views.admin_weights, name="default_weights"),
    path("snapshot/<id:pk>/", views.admin_snapshot, name="snapshot"),
    path("snapshot/<id:pk>/decide/<id:priority>/", views.admin_decide, name="decide"),
    path("feedback-trends/", views.admin_trends, name="trends"),
    path("population/import/", views.admin_import_population, name="import_population"),
], "priorities_admin")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("priorities/", include(admin_urls))]



class PrioritiesSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.has_perm("priorities.view_rankings") or \
            request.user.has_perm("priorities.view_feedback_trends")


@hooks.register("register_admin_menu_item")
def priorities_menu():
    items = [
        PermissionMenuItem(_("Rankings and snapshots"), reverse("priorities_admin:overview"),
                           icon_name="list-ol", order=10,
                           permission="priorities.view_rankings"),
        PermissionMenuItem(_("Community feedback"),
                           reverse(FeedbackItem.snippet_viewset.get_url_name("list")),
                           icon_name="comment", order=20,
                           permission="priorities.view_feedbackitem"),
        PermissionMenuItem(_("Feedback trends"), reverse("priorities_admin:trends"),
                           icon_name="table", order=30,
                           permission="priorities.view_feedback_trends"),
        PermissionMenuItem(_("Population figures"),
                           reverse(PopulationFigure.snippet_viewset.get_url_name("list")),
                           icon_name="group", order=40,
                           permission="priorities.view_populationfigure"),
    ]
    return PrioritiesSubmenu(_("Priorities"), Menu(items=items), icon_name="list-ol",
                             order=260)
