"""Priorities: community feedback, scoring weights, and frozen snapshots that plans cite.

The live ranking is computed by `ranking` from the feature apps' evidence modules, off the
request path by `tasks`, and the latest is kept as a `RankingRun`; a `PrioritySnapshot` freezes
it (ranking, evidence counts, method and weights) so that a plan can cite exactly what officers
saw. Officers adopt or set aside each `SnapshotPriority`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page


class FeedbackItem(models.Model):
    """One piece of community insight recorded by an officer, coded to themes."""

    WARD_SURGERY = "ward_surgery"
    HEALTHWATCH = "healthwatch"
    PARTNER_MEETING = "partner_meeting"
    SOCIAL_MEDIA = "social_media"
    COMPLAINT = "complaint"
    OUTREACH = "outreach"
    OTHER = "other"
    SOURCE_CHOICES = [
        (WARD_SURGERY, _("Ward surgery")),
        (HEALTHWATCH, _("Healthwatch report")),
        (PARTNER_MEETING, _("Partner meeting")),
        (SOCIAL_MEDIA, _("Social media")),
        (COMPLAINT, _("Complaint or enquiry")),
        (OUTREACH, _("Outreach conversation")),
        (OTHER, _("Other")),
    ]
    POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
    SENTIMENT_CHOICES = [(POSITIVE, _("Positive")), (NEUTRAL, _("Neutral")),
                         (NEGATIVE, _("Negative"))]

    source = models.CharField(_("source"), max_length=30, choices=SOURCE_CHOICES)
    source_detail = models.CharField(
        _("source details"), max_length=200, blank=True,
        help_text=_("For example the partner's name or the surgery's venue. No personal details."),
    )
    received_on = models.DateField(_("date"))
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.PROTECT, related_name="feedback_items",
        verbose_name=_("neighbourhood"),
    )
    text = models.TextField(_("what was said"))
    themes = models.ManyToManyField("themes.Theme", related_name="feedback_items",
                                    verbose_name=_("themes"))
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=SENTIMENT_CHOICES,
                                 default=NEUTRAL)
    people_count = models.PositiveIntegerField(
        _("people"), default=1,
        help_text=_("How many people raised this, if it summarises a group."),
    )
    safeguarding = models.BooleanField(_("safeguarding concern"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("community feedback")
        verbose_name_plural = _("community feedback")

    def __str__(self):
        return f"{self.get_source_display()} · {self.neighbourhood} · {self.received_on}"


class ScoringWeights(models.Model):
    """Officer-set multipliers per evidence source, and whether need weighting is on; a row
    without a neighbourhood is the default."""

    neighbourhood = models.OneToOneField(
        "neighbourhoods.Neighbourhood", null=True, blank=True, on_delete=models.CASCADE,
        related_name="priority_weights", verbose_name=_("neighbourhood"),
    )
    surveys = models.DecimalField(_("survey multiplier"), max_digits=5, decimal_places=2,
                                  default=1)
    forums = models.DecimalField(_("forum multiplier"), max_digits=5, decimal_places=2,
                                 default=1)
    feedback = models.DecimalField(_("community feedback multiplier"), max_digits=5,
                                   decimal_places=2, default=1)
    need_weighting = models.BooleanField(
        _("count the most deprived areas more (proportionate universalism)"), default=False,
        help_text=_("Survey respondents living in the most deprived fifth of England count "
                    "1.5, the next fifth 1.25, everyone else 1."),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    SOURCES = ("surveys", "forums", "feedback")

    class Meta:
        verbose_name = _("scoring weights")
        verbose_name_plural = _("scoring weights")

    def __str__(self):
        return str(self.neighbourhood or _("Default weights"))

    def as_dict(self) -> dict[str, float]:
        """The multipliers, ``{source: multiplier}``."""
        return {source: float(getattr(self, source)) for source in self.SOURCES}

    def clean(self):
        """Refuse a negative multiplier (on its field) and all multipliers 0."""
        values = {source: getattr(self, source) for source in self.SOURCES}
        if any(value is None for value in values.values()):
            return  # the field's own "required" error says it
        negative = {source: ValidationError(_("Enter 0 or more: a multiplier cannot be "
                                              "negative."), code="negative_weight")
                    for source, value in values.items() if value < 0}
        if negative:
            raise ValidationError(negative)
        if not any(values.values()):
            raise ValidationError({"surveys": ValidationError(
                _("At least one multiplier must be more than zero, or nothing would count."),
                code="all_zero_weights")})


class PrioritySnapshot(models.Model):
    """A neighbourhood's ranking frozen at a moment, with its method and weights, for plans."""

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.PROTECT, related_name="priority_snapshots",
        verbose_name=_("neighbourhood"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(_("method version"), max_length=40)
    # The multipliers per source group (called weights before method v2).
    weights = models.JSONField(_("multipliers"), default=dict)
    need_weighting = models.BooleanField(_("need weighting was on"), default=False)
    # Would the top three change with a source left out or a multiplier moved (method v2)?
    sensitivity = models.JSONField(_("sensitivity"), default=dict, blank=True)
    # Per source: people / responses / votes / items behind the ranking (sample sizes).
    totals = models.JSONField(_("evidence totals"), default=dict)
    evidence_since = models.DateField(null=True, blank=True)
    evidence_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-taken_at", "-id"]
        get_latest_by = "taken_at"
        verbose_name = _("priority snapshot")
        verbose_name_plural = _("priority snapshots")

    def __str__(self):
        return self.title or f"{self.neighbourhood} · {self.taken_at:%d %b %Y}"

    @property
    def is_empty(self) -> bool:
        return not self.priorities.exists()


class SnapshotPriorityQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(decision=SnapshotPriority.ADOPTED)


class SnapshotPriority(models.Model):
    """One ranked theme in a snapshot, with its evidence and the officers' decision on it."""

    PENDING, ADOPTED, SET_ASIDE = "pending", "adopted", "set_aside"
    DECISION_CHOICES = [(PENDING, _("Awaiting decision")), (ADOPTED, _("Adopted")),
                        (SET_ASIDE, _("Set aside"))]

    snapshot = models.ForeignKey(PrioritySnapshot, on_delete=models.CASCADE,
                                 related_name="priorities")
    theme = models.ForeignKey("themes.Theme", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("theme"))
    rank = models.PositiveIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    # The 95% interval of the score (method v2; empty for snapshots taken with v1).
    interval_low = models.FloatField(_("interval from"), null=True, blank=True)
    interval_high = models.FloatField(_("interval to"), null=True, blank=True)
    # Per source: {"count": .., "weight": .., "share": .., "people": ..}; see ranking.
    evidence = models.JSONField(_("evidence"), default=dict)
    summary = models.TextField(_("evidence in plain language"), blank=True)
    low_sample = models.BooleanField(_("rests on few people"), default=False)
    decision = models.CharField(_("decision"), max_length=10, choices=DECISION_CHOICES,
                                default=PENDING)
    rationale = models.TextField(_("rationale"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = SnapshotPriorityQuerySet.as_manager()

    class Meta:
        ordering = ["snapshot", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "theme"], name="one_theme_per_snapshot"),
            models.UniqueConstraint(fields=["snapshot", "rank"], name="one_rank_per_snapshot"),
        ]
        permissions = [("adopt_priority", _("Can adopt or set aside priorities"))]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")

    def __str__(self):
        return f"{self.rank}. {self.theme} ({self.snapshot.neighbourhood})"

    @property
    def is_adopted(self) -> bool:
        return self.decision == self.ADOPTED


class PopulationFigure(models.Model):
    """How many people of a category live in a neighbourhood, to compare who took part with.

    ``characteristic`` and ``category`` use the codes of the equality-monitoring questions
    (for example "age" / "16_24", "ethnicity" / "black_caribbean"); the characteristic
    "population" with the category "all" is the neighbourhood's whole population.
    """

    TOTAL, ALL = "population", "all"

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.CASCADE,
        related_name="population_figures", verbose_name=_("neighbourhood"),
    )
    characteristic = models.CharField(
        _("characteristic"), max_length=40,
        help_text=_("A code such as age, sex, ethnicity or disability; “population” for the "
                    "whole population."),
    )
    category = models.CharField(
        _("category"), max_length=60,
        help_text=_("A code such as 16_24 or black_caribbean; “all” for the whole population."),
    )
    people = models.PositiveIntegerField(_("people"))
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("For example: ONS Census 2021, table TS007."))

    class Meta:
        ordering = ["neighbourhood", "characteristic", "category"]
        constraints = [models.UniqueConstraint(
            fields=["neighbourhood", "characteristic", "category"],
            name="priorities_one_population_figure")]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")

    def __str__(self):
        return f"{self.neighbourhood} · {self.characteristic} · {self.category}: {self.people}"


class PrioritiesPage(RoutablePageMixin, Page):
    """Public priorities: the comparison, each neighbourhood's priorities, and the method."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("priorities page")

    @path("")
    def index_route(self, request):
        from . import views

        return views.priorities_index(request, self)

    @path("how-we-worked-this-out/")
    def method_route(self, request):
        from . import views

        return views.priorities_method(request, self)

    @re_path(r"^(?P<slug>[-\w]+)/$")
    def neighbourhood_route(self, request, slug):
        from . import views

        return views.neighbourhood_priorities(request, self, slug)


class RankingRun(models.Model):
    """The latest live rankings, worked out off the request path by `tasks.refresh_rankings`.

    Kept (one row, the newest) so that a cold cache never makes a request compute: pages serve
    this with its time while a newer one is being worked out. ``rankings`` maps a neighbourhood
    id (as a string, JSON's keys) to its ranking (see `ranking`).
    """

    computed_at = models.DateTimeField(_("computed at"))
    evidence_version = models.BigIntegerField(_("evidence version"))
    rankings = models.JSONField(_("rankings"), default=dict)

    class Meta:
        verbose_name = _("ranking run")
        ordering = ["-computed_at"]

    def __str__(self):
        return _("Rankings computed at %(when)s") % {"when": self.computed_at}
