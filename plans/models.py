"""Locality plans: the published plan for a neighbourhood or locality, and its monthly progress.

A `LocalityPlanPage` cites adopted priorities from a priority snapshot (priorities) and
sets out, for each, actions with a lead, partners, dates and status; resources, measures, risks,
governance and contacts. Repeated content is one InlinePanel per kind (Wagtail does not nest
inline panels well), so each action names its priority and the page form checks that it is one
of the plan's. Officers record progress as `ActionUpdate`s, from which the monthly highlight
report is built; printed versions are cached as `PlanPdf` rows.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
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
from wagtail.models import Orderable, Page, PagePermissionTester
from wagtail.search import index

from portal.neighbourhoods.models import Locality, Neighbourhood
from priorities.models import PrioritySnapshot, SnapshotPriority

APPROVER_GROUP = "Councillors"
WORKFLOW_NAME = "Locality plan approval"

NOT_ADOPTED_MESSAGE = _(
    "That priority has not been adopted, so a plan cannot cite it. Adopt it on the priorities "
    "page first, or choose an adopted priority."
)


def user_can_approve(user) -> bool:
    """Councillors (and superusers) publish plans; everyone else submits them for approval."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=APPROVER_GROUP).exists()


class PlanPermissionTester(PagePermissionTester):
    """Page permissions, except that only approvers may publish or unpublish plans directly.

    Officers hold publish permission over the whole tree (accounts migration 0002); Wagtail's
    permissions only add up down the tree, so plan pages narrow them here instead.
    """

    def _approver(self):
        if not hasattr(self, "_is_approver"):
            self._is_approver = user_can_approve(self.user)
        return self._is_approver

    def can_publish(self):
        return super().can_publish() and self._approver()

    def can_unpublish(self):
        return super().can_unpublish() and self._approver()

    def can_publish_subpage(self):
        return super().can_publish_subpage() and self._approver()


class AdoptedPriorityField(models.ForeignKey):
    """A foreign key to an adopted `SnapshotPriority`, with a clear message for any other."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to", "priorities.SnapshotPriority")
        kwargs.setdefault("on_delete", models.PROTECT)
        kwargs["limit_choices_to"] = Q(decision=SnapshotPriority.ADOPTED)
        kwargs.setdefault("error_messages", {"invalid": NOT_ADOPTED_MESSAGE})
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        kwargs["queryset"] = SnapshotPriority.objects.select_related(
            "theme", "snapshot__neighbourhood").order_by("snapshot__neighbourhood__name",
                                                         "-snapshot__taken_at", "rank")
        kwargs.setdefault("error_messages", {"invalid_choice": NOT_ADOPTED_MESSAGE})
        return super().formfield(**kwargs)


class VenueKeysField(models.JSONField):
    """A list of hub or asset keys from the core venue catalogue (portal.extension_points)."""

    def formfield(self, **kwargs):
        from portal.extension_points import venues

        return forms.TypedMultipleChoiceField(
            label=self.verbose_name, required=False, choices=venues.choices,
            help_text=self.help_text, widget=forms.SelectMultiple(attrs={"size": 6}),
        )


class OrganisationKeysField(models.JSONField):
    """A list of organisation keys from the core organisation catalogue (portal.extension_points),
    which the asset map fills with the organisations on its published assets."""

    def formfield(self, **kwargs):
        from portal.extension_points import organisations

        return forms.TypedMultipleChoiceField(
            label=self.verbose_name, required=False, choices=organisations.choices,
            help_text=self.help_text, widget=forms.SelectMultiple(attrs={"size": 8}),
        )


class LocalityPlanIndexPage(Page):
    """Every published locality plan, by neighbourhood and locality."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["plans.LocalityPlanPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("locality plan index page")

    def permissions_for_user(self, user):
        return PlanPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from . import services

        context = super().get_context(request, *args, **kwargs)
        context["plans"] = services.published_plans(self)
        return context


class LocalityPlanPageForm(WagtailAdminPageForm):
    """Checks that need the whole plan: where the plan is for, that its priorities come from
    the right snapshot and that each action answers one of them."""

    def clean(self):
        cleaned_data = super().clean()
        from . import services

        neighbourhood = cleaned_data.get("neighbourhood")
        locality = cleaned_data.get("locality")
        snapshot = cleaned_data.get("snapshot")
        priorities_formset = self.formsets.get("plan_priorities")
        chosen = []
        if priorities_formset is not None:
            priorities_formset.is_valid()
            for form in priorities_formset.forms:
                if priorities_formset._should_delete_form(form):
                    continue
                priority = form.cleaned_data.get("priority") if hasattr(
                    form, "cleaned_data") else None
                if priority is None:
                    continue
                problem = services.priority_problem(priority, neighbourhood, locality, snapshot)
                if problem:
                    form.add_error("priority", problem)
                elif priority.pk in {p.pk for p in chosen}:
                    form.add_error("priority", _("%(priority)s is already in this plan.")
                                   % {"priority": priority.theme})
                else:
                    chosen.append(priority)
        actions_formset = self.formsets.get("actions")
        if actions_formset is not None:
            actions_formset.is_valid()
            chosen_ids = {p.pk for p in chosen}
            for form in actions_formset.forms:
                if actions_formset._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                    continue
                priority = form.cleaned_data.get("priority")
                if priority is not None and priority.pk not in chosen_ids:
                    form.add_error("priority", _(
                        "This action answers %(priority)s, which is not one of this plan's "
                        "priorities. Add it under Priorities, or choose one that is."
                    ) % {"priority": priority.theme})
                keys = form.cleaned_data.get("venue_keys") or []
                form.instance.venues = services.venue_details(keys)
        return cleaned_data


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

    @property
    def area_name(self) -> str:
        area = self.neighbourhood or self.locality
        return str(area) if area else ""

    @property
    def period_label(self) -> str:
        if self.period_start == self.period_end:
            return str(self.period_start)
        return _("%(start)s to %(end)s") % {"start": self.period_start, "end": self.period_end}

    # --- serving --------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        from . import services

        context = super().get_context(request, *args, **kwargs)
        context.update(services.plan_context(self, request))
        return context

    @path("")
    def plan(self, request):
        return self.render(request)

    @path("pdf/")
    def pdf(self, request):
        from . import views

        return views.plan_pdf(request, self)

    @path("highlights/")
    def highlights(self, request):
        from . import views

        return views.highlight_list(request, self)

    @re_path(r"^highlights/(?P<year>\d{4})-(?P<month>\d{2})/$")
    def highlight(self, request, year, month):
        from . import views

        return views.highlight_report(request, self, int(year), int(month))

    @re_path(r"^highlights/(?P<year>\d{4})-(?P<month>\d{2})/pdf/$")
    def highlight_pdf(self, request, year, month):
        from . import views

        return views.highlight_pdf(request, self, int(year), int(month))


class PlanPriority(Orderable):
    """An adopted priority the plan answers, with what the plan commits to for it."""

    plan = ParentalKey(LocalityPlanPage, on_delete=models.CASCADE,
                       related_name="plan_priorities")
    priority = AdoptedPriorityField(verbose_name=_("adopted priority"), related_name="+")
    commitment = models.TextField(
        _("what the plan commits to"), blank=True,
        help_text=_("One or two sentences: the change the actions below should bring."),
    )

    panels = [FieldPanel("priority"), FieldPanel("commitment")]

    class Meta(Orderable.Meta):
        verbose_name = _("plan priority")
        verbose_name_plural = _("plan priorities")

    def __str__(self):
        return str(self.priority.theme) if self.priority_id else ""


class PlanActionQuerySet(models.QuerySet):
    def live(self):
        """Actions of published plans."""
        return self.filter(plan__live=True)

    def with_related(self):
        return self.select_related("priority__theme", "priority__snapshot", "plan")


class PlanAction(Orderable):
    """One thing the plan will do: the programme table's activity, lead and dates."""

    NOT_STARTED, ON_TRACK, AT_RISK, DONE = "not_started", "on_track", "at_risk", "done"
    STATUS_CHOICES = [(NOT_STARTED, _("Not started")), (ON_TRACK, _("On track")),
                      (AT_RISK, _("At risk")), (DONE, _("Done"))]

    plan = ParentalKey(LocalityPlanPage, on_delete=models.CASCADE, related_name="actions")
    priority = AdoptedPriorityField(
        verbose_name=_("priority it answers"), related_name="+",
        help_text=_("One of the priorities on the Plan tab."),
    )
    title = models.CharField(_("action"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    lead_role = models.CharField(
        _("lead"), max_length=200,
        help_text=_("A role and organisation, such as 'Strategic lead, South locality'."),
    )
    partner_organisation_keys = OrganisationKeysField(
        _("partner organisations from the asset map"), default=list, blank=True,
        help_text=_("Organisations on the asset map. Hold Ctrl (or Cmd) to choose more than "
                    "one. Name any others below."),
    )
    partners = models.TextField(
        _("other partner organisations"), blank=True,
        help_text=_("Partners not on the asset map, one per line, for example Sufra NW London. "
                    "Add hubs and assets from the asset map below."),
    )
    partner_link = models.URLField(_("link for partners"), blank=True)
    start_date = models.DateField(_("start"))
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=STATUS_CHOICES,
                              default=NOT_STARTED)
    venue_keys = VenueKeysField(
        _("linked hubs or assets"), default=list, blank=True,
        help_text=_("Hubs and assets from the asset map where this happens or that help."),
    )
    # Name and place of each linked venue, copied when saved so the plan reads well (and its
    # map draws) without asking the asset map, even if an asset is later removed.
    venues = models.JSONField(default=list, blank=True, editable=False)

    objects = PlanActionQuerySet.as_manager()

    panels = [
        FieldPanel("priority"), FieldPanel("title"), FieldPanel("description"),
        FieldPanel("lead_role"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("due_date")], heading=_("Dates")),
        FieldPanel("status"), FieldPanel("partner_organisation_keys"), FieldPanel("partners"),
        FieldPanel("partner_link"),
        FieldPanel("venue_keys"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValidationError({"due_date": _(
                "The due date must be on or after the start date (%(start)s)."
            ) % {"start": self.start_date.strftime("%d/%m/%Y")}})

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


class PlanBudgetLine(Orderable):
    """A resource or budget line: what it pays for, how much, where it comes from."""

    plan = ParentalKey(LocalityPlanPage, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("what it pays for"), max_length=250)
    amount = models.DecimalField(_("amount (£)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=200,
                              help_text=_("For example, Health inequalities fund."))
    shared_costs = models.CharField(
        _("shared costs"), max_length=250, blank=True,
        help_text=_("Partners who share this cost, and how, if it is shared."),
    )

    panels = [FieldPanel("item"), FieldRowPanel([FieldPanel("amount"), FieldPanel("source")]),
              FieldPanel("shared_costs")]

    class Meta(Orderable.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def clean(self):
        super().clean()
        if self.amount is not None and self.amount < Decimal("0"):
            raise ValidationError({"amount": _(
                "The amount cannot be negative. Enter 0 for resources given in kind, and record "
                "savings as a note under shared costs.")})


class PlanMeasure(Orderable):
    """How the plan will know it worked: an indicator with a baseline, target and latest."""

    plan = ParentalKey(LocalityPlanPage, on_delete=models.CASCADE, related_name="measures")
    indicator = models.CharField(_("indicator"), max_length=250)
    unit = models.CharField(_("unit"), max_length=40, blank=True,
                            help_text=_("For example %, households or days."))
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, null=True,
                                   blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True,
                                 blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    latest_value = models.DecimalField(_("latest value"), max_digits=12, decimal_places=2,
                                       null=True, blank=True)
    latest_date = models.DateField(_("date of latest value"), null=True, blank=True)
    source = models.CharField(_("data source"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("indicator"), FieldPanel("unit")]),
        FieldRowPanel([FieldPanel("baseline"), FieldPanel("baseline_date")],
                      heading=_("Baseline")),
        FieldRowPanel([FieldPanel("target"), FieldPanel("target_date")], heading=_("Target")),
        FieldRowPanel([FieldPanel("latest_value"), FieldPanel("latest_date")],
                      heading=_("Latest")),
        FieldPanel("source"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def clean(self):
        super().clean()
        errors = {}
        if self.target is not None and self.baseline_date is None:
            errors["baseline_date"] = _(
                "Enter the baseline date: a target needs a baseline to be measured from.")
        if self.target is not None and self.baseline is None:
            errors["baseline"] = _("Enter the baseline value the target is measured from.")
        if self.latest_value is not None and self.latest_date is None:
            errors["latest_date"] = _("Enter the date of the latest value.")
        if self.baseline_date and self.latest_date and self.latest_date < self.baseline_date:
            errors["latest_date"] = _("The latest value cannot be older than the baseline.")
        if errors:
            raise ValidationError(errors)

    @property
    def progress(self) -> int | None:
        """Percentage of the way from baseline to target (0-100), or None."""
        if None in (self.baseline, self.target, self.latest_value) or self.target == self.baseline:
            return None
        share = (self.latest_value - self.baseline) / (self.target - self.baseline) * 100
        return max(0, min(100, round(share)))


class PlanRisk(Orderable):
    """A row of the risk register."""

    LOW, MEDIUM, HIGH = 1, 2, 3
    LEVELS = [(LOW, _("Low")), (MEDIUM, _("Medium")), (HIGH, _("High"))]

    plan = ParentalKey(LocalityPlanPage, on_delete=models.CASCADE, related_name="risks")
    risk = models.CharField(_("risk"), max_length=300)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=LEVELS,
                                                  default=MEDIUM)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=LEVELS, default=MEDIUM)
    mitigation = models.TextField(_("mitigation"))
    owner = models.CharField(_("owner"), max_length=200, help_text=_("A role, not a name."))

    panels = [FieldPanel("risk"), FieldRowPanel([FieldPanel("likelihood"), FieldPanel("impact")]),
              FieldPanel("mitigation"), FieldPanel("owner")]

    class Meta(Orderable.Meta):
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    @property
    def rating(self) -> int:
        return self.likelihood * self.impact

    @property
    def rating_label(self):
        if self.rating >= 6:
            return _("High")
        if self.rating >= 3:
            return _("Medium")
        return _("Low")


class PlanContact(Orderable):
    """Who to contact about the plan: a role and a team mailbox, not a person's own details."""

    plan = ParentalKey(LocalityPlanPage, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(_("role"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True,
                              help_text=_("A team mailbox, shown on the public plan."))
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    panels = [FieldPanel("role"), FieldPanel("organisation"),
              FieldRowPanel([FieldPanel("email"), FieldPanel("phone")])]

    class Meta(Orderable.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")


class ActionUpdateQuerySet(models.QuerySet):
    def in_month(self, year: int, month: int):
        return self.filter(date__year=year, date__month=month)

    def for_plan(self, plan):
        return self.filter(action__plan=plan)


class ActionUpdate(models.Model):
    """An officer's progress note on an action: its status now, and what to share."""

    action = models.ForeignKey(PlanAction, verbose_name=_("action"), on_delete=models.CASCADE,
                               related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(_("status now"), max_length=12, choices=PlanAction.STATUS_CHOICES)
    note = models.TextField(_("what happened"))
    learning = models.TextField(_("learning to share"), blank=True)
    help_needed = models.TextField(_("request for help or support"), blank=True)
    issue = models.TextField(_("issue or risk"), blank=True)
    next_steps = models.TextField(_("planned for next month"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [models.Index(fields=["action", "date"])]

    def __str__(self):
        return f"{self.action} · {self.date} · {self.get_status_display()}"

    def clean(self):
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("The date cannot be in the future.")})


class PlanPdf(models.Model):
    """A rendered PDF, cached per page revision, language and data version."""

    PENDING, READY, FAILED = "pending", "ready", "failed"
    STATUS_CHOICES = [(PENDING, _("Preparing")), (READY, _("Ready")), (FAILED, _("Failed"))]

    page = models.ForeignKey(LocalityPlanPage, on_delete=models.CASCADE, related_name="pdfs")
    kind = models.CharField(max_length=20, default="plan")  # "plan" or "highlights-YYYY-MM"
    revision_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=10)
    data_version = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING)
    file = models.FileField(upload_to="plans/pdf/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["page", "kind", "revision_id", "language", "data_version"],
            name="plans_one_pdf_per_version")]

    def __str__(self):
        return f"{self.page_id} {self.kind} r{self.revision_id} {self.language} ({self.status})"

    @cached_property
    def filename(self) -> str:
        return f"{self.page.slug}-{self.kind}-{self.language}.pdf"


class ActionEvidence(models.Model):
    """A survey or forum page whose evidence an action's priority rests on (the trail).

    Derived from the feature apps' evidence modules when a plan is published, so survey and
    forum pages can list "what we are doing because of it" with one query.
    """

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="evidence")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    # Set by hand (e.g. a survey on a hub's opening hours that no theme tags): kept when the
    # derived links are rebuilt on publishing.
    manual = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "page"],
                                               name="plans_one_link_per_action_page")]

    def __str__(self):
        return f"{self.action_id} <- {self.page_id}"
