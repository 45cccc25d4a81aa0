"""The plan pages: the index of published plans, and the plan itself (its fields, panels,
validation and routes: the web page, the PDF and the monthly highlight reports)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.neighbourhoods.models import Locality, Neighbourhood
from portal.pages.models import IndexPage
from priorities.models import PrioritySnapshot

from ..admin_forms import LocalityPlanPageForm
from ..permissions import PlanIndexPermissionTester, PlanPermissionTester


class LocalityPlanIndexPage(IndexPage):
    """Every published locality plan, by neighbourhood and locality."""

    subpage_types = ["plans.LocalityPlanPage"]

    class Meta:
        verbose_name = _("locality plan index page")

    def permissions_for_user(self, user):
        return PlanIndexPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["plans"] = LocalityPlanPage.objects.published().child_of(self)
        return context


class LocalityPlanPageQuerySet(PageQuerySet):
    def published(self):
        """Live, public plans with their area, newest period first."""
        return (self.live().public()
                .select_related("neighbourhood", "locality", "neighbourhood__locality")
                .order_by("-period_start", "title"))

    def originals(self):
        """Only the original of each translation family (its lowest pk; see
        `LocalityPlanPage.original_plan`), so a plan and its translations count once."""
        first = (LocalityPlanPage.objects.filter(translation_key=models.OuterRef("translation_key"))
                 .order_by("pk").values("pk")[:1])
        return self.filter(pk=models.Subquery(first))


class LocalityPlanPage(RoutablePageMixin, Page):
    """The plan for a neighbourhood or a locality: priorities, actions, resources, measures,
    risks, governance and contacts; on the web, as a PDF and as monthly highlight reports."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="locality_plans",
        help_text=_("Choose a neighbourhood, or a locality below, not both."),
    )
    locality = models.ForeignKey(
        Locality, verbose_name=_("locality"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="locality_plans",
        help_text=_("For a plan that covers every neighbourhood of a locality."),
    )
    summary = models.TextField(
        _("summary"), help_text=_("What the plan sets out to change, in two or three sentences."),
    )
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    snapshot = models.ForeignKey(
        PrioritySnapshot, verbose_name=_("priority snapshot"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="plans",
        help_text=_("The ranking the plan cites. Its adopted priorities can be chosen below."),
    )
    introduction = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("How the plan was made and who took part."),
    )
    governance = RichTextField(
        _("governance"), blank=True, features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Who oversees the plan, how often it is reviewed and how to influence it."),
    )

    base_form_class = LocalityPlanPageForm
    objects = PageManager.from_queryset(LocalityPlanPageQuerySet)()

    content_panels = Page.content_panels + [
        MultiFieldPanel([
            FieldPanel("neighbourhood"), FieldPanel("locality"),
            FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")],
                          heading=_("Period")),
        ], heading=_("Where and when")),
        FieldPanel("summary"),
        FieldPanel("introduction"),
        FieldPanel("snapshot"),
        InlinePanel("plan_priorities", label=_("Priority"), heading=_("Priorities"),
                    min_num=1),
    ]
    action_panels = [
        HelpPanel(content=_(
            "Each action answers one of the plan's priorities. Progress is recorded as updates "
            "(Progress updates button above), which feed the monthly highlight report."
        )),
        InlinePanel("actions", label=_("Action"), heading=_("Actions")),
    ]
    delivery_panels = [
        InlinePanel("budget_lines", label=_("Budget line"), heading=_("Resources and budget")),
        InlinePanel("measures", label=_("Measure"), heading=_("Measures")),
        InlinePanel("risks", label=_("Risk"), heading=_("Risk register")),
    ]
    governance_panels = [
        FieldPanel("governance"),
        InlinePanel("contacts", label=_("Contact"), heading=_("Contacts")),
    ]
    edit_handler = TabbedInterface([
        ObjectList(content_panels, heading=_("Plan")),
        ObjectList(action_panels, heading=_("Actions")),
        ObjectList(delivery_panels, heading=_("Resources, measures and risks")),
        ObjectList(governance_panels, heading=_("Governance")),
        ObjectList(Page.promote_panels, heading=_("Promote")),
        ObjectList(Page.settings_panels, heading=_("Settings")),
    ])

    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["plans.LocalityPlanIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("locality plan")

    def permissions_for_user(self, user):
        return PlanPermissionTester(user, self)

    # --- validation -----------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.neighbourhood_id and self.locality_id:
            errors["locality"] = _("Choose a neighbourhood or a locality, not both.")
        elif not self.neighbourhood_id and not self.locality_id:
            errors["neighbourhood"] = _(
                "Choose the neighbourhood this plan is for, or the locality below.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The last year cannot be before the first year.")
        for field in ("period_start", "period_end"):
            value = getattr(self, field)
            if value and not 2000 <= value <= 2100:
                errors[field] = _("Enter a year such as 2025.")
        if (self.snapshot_id and self.neighbourhood_id
                and self.snapshot.neighbourhood_id != self.neighbourhood_id):
            errors["snapshot"] = _("This snapshot is for %(other)s, not %(this)s.") % {
                "other": self.snapshot.neighbourhood, "this": self.neighbourhood}
        if errors:
            raise ValidationError(errors)

    # --- derived --------------------------------------------------------------------------

    @cached_property
    def original_plan(self) -> LocalityPlanPage:
        """The plan of this page's translation family whose actions carry the progress updates
        and evidence: the family's original, its lowest pk (the rule of surveys'
        `SurveyPage.pooled_survey`). A translation's actions share their translation_key with
        the original's, which is how it shows their progress."""
        if not self.pk:
            return self
        first = (LocalityPlanPage.objects.filter(translation_key=self.translation_key)
                 .order_by("pk").first())
        return first or self

    @property
    def area_name(self) -> str:
        area = self.neighbourhood or self.locality
        return str(area) if area else ""

    @property
    def period_label(self) -> str:
        if self.period_start == self.period_end:
            return str(self.period_start)
        return _("%(start)s to %(end)s") % {"start": self.period_start, "end": self.period_end}

    # --- serving: each route hands over to a view -------------------------------------------

    @path("")
    def plan(self, request):
        from .. import views

        return views.plan_page(request, self)

    @path("pdf/")
    def pdf(self, request):
        from .. import views

        return views.plan_pdf(request, self)

    @path("highlights/")
    def highlights(self, request):
        from .. import views

        return views.highlight_list(request, self)

    @re_path(r"^highlights/(?P<year>\d{4})-(?P<month>\d{2})/$")
    def highlight(self, request, year, month):
        from .. import views

        return views.highlight_report(request, self, int(year), int(month))

    @re_path(r"^highlights/(?P<year>\d{4})-(?P<month>\d{2})/pdf/$")
    def highlight_pdf(self, request, year, month):
        from .. import views

        return views.highlight_pdf(request, self, int(year), int(month))
