"""What a plan says, one InlinePanel per kind: the priorities it answers, its actions,
budget lines, measures, risks and contacts.

Wagtail does not nest inline panels well, so each action names its priority and the page form
(`plans.admin_forms`) checks that it is one of the plan's.

Each kind is translatable (`TranslatableMixin`): wagtail-localize offers its words to translators
and keeps its numbers, dates, statuses, keys and choosers in step with the source plan; a row and
its translations share a `translation_key`, which is how a translated plan finds its original
actions' progress updates and evidence (docs/languages.md, "Sync policy")."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable, TranslatableMixin
from wagtail_localize.fields import SynchronizedField

from ..fields import AdoptedPriorityField, OrganisationKeysField, VenueKeysField

# Meta of every translatable row: Orderable's ordering, and the one row per language of each
# translation_key that TranslatableMixin requires.
TRANSLATABLE_ROW = [("translation_key", "locale")]
# Rows made in code (the demo, imports) have no sort_order; the id keeps their order the same
# on every database instead of PostgreSQL's arbitrary order of ties.
ROW_ORDER = ["sort_order", "pk"]


class PlanPriority(TranslatableMixin, Orderable):
    """An adopted priority the plan answers, with what the plan commits to for it."""

    plan = ParentalKey("plans.LocalityPlanPage", on_delete=models.CASCADE,
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
        unique_together = TRANSLATABLE_ROW
        ordering = ROW_ORDER

    def __str__(self):
        return str(self.priority.theme) if self.priority_id else ""


class PlanAction(TranslatableMixin, Orderable):
    """One thing the plan will do: the programme table's activity, lead and dates."""

    NOT_STARTED, ON_TRACK, AT_RISK, DONE = "not_started", "on_track", "at_risk", "done"
    STATUS_CHOICES = [(NOT_STARTED, _("Not started")), (ON_TRACK, _("On track")),
                      (AT_RISK, _("At risk")), (DONE, _("Done"))]

    plan = ParentalKey("plans.LocalityPlanPage", on_delete=models.CASCADE, related_name="actions")
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

    # Words are translated; the priority, dates, status and catalogue keys follow the source
    # (so a status change reaches every language at the next sync). The JSON copy of the venues
    # is not editable, so it is never offered, and is copied with the row.
    override_translatable_fields = [
        SynchronizedField("priority", overridable=False),
        SynchronizedField("status", overridable=False),
        SynchronizedField("partner_organisation_keys", overridable=False),
        SynchronizedField("venue_keys", overridable=False),
        SynchronizedField("partner_link"),
    ]

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
        unique_together = TRANSLATABLE_ROW
        ordering = ROW_ORDER

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValidationError({"due_date": _(
                "The due date must be on or after the start date (%(start)s)."
            ) % {"start": self.start_date.strftime("%d/%m/%Y")}})

    @classmethod
    def status_label(cls, status):
        """The label of a status value (an update's status as well as an action's)."""
        return dict(cls.STATUS_CHOICES).get(status, status)

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


class PlanBudgetLine(TranslatableMixin, Orderable):
    """A resource or budget line: what it pays for, how much, where it comes from."""

    plan = ParentalKey("plans.LocalityPlanPage", on_delete=models.CASCADE,
                       related_name="budget_lines")
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
        unique_together = TRANSLATABLE_ROW
        ordering = ROW_ORDER

    def clean(self):
        super().clean()
        if self.amount is not None and self.amount < Decimal("0"):
            raise ValidationError({"amount": _(
                "The amount cannot be negative. Enter 0 for resources given in kind, and record "
                "savings as a note under shared costs.")})


class PlanMeasure(TranslatableMixin, Orderable):
    """How the plan will know it worked: an indicator with a baseline, target and latest."""

    plan = ParentalKey("plans.LocalityPlanPage", on_delete=models.CASCADE, related_name="measures")
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
        unique_together = TRANSLATABLE_ROW
        ordering = ROW_ORDER

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


class PlanRisk(TranslatableMixin, Orderable):
    """A row of the risk register."""

    LOW, MEDIUM, HIGH = 1, 2, 3
    LEVELS = [(LOW, _("Low")), (MEDIUM, _("Medium")), (HIGH, _("High"))]

    plan = ParentalKey("plans.LocalityPlanPage", on_delete=models.CASCADE, related_name="risks")
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
        unique_together = TRANSLATABLE_ROW
        ordering = ROW_ORDER

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


class PlanContact(TranslatableMixin, Orderable):
    """Who to contact about the plan: a role and a team mailbox, not a person's own details."""

    plan = ParentalKey("plans.LocalityPlanPage", on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(_("role"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True,
                              help_text=_("A team mailbox, shown on the public plan."))
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    # A phone number is not words: it follows the source.
    override_translatable_fields = [SynchronizedField("email"), SynchronizedField("phone")]

    panels = [FieldPanel("role"), FieldPanel("organisation"),
              FieldRowPanel([FieldPanel("email"), FieldPanel("phone")])]

    class Meta(Orderable.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        unique_together = TRANSLATABLE_ROW
        ordering = ROW_ORDER
