"""What happens to a plan after it is published: officers' progress updates, the printed
versions cached per revision, and the trail links to the survey and forum pages behind it."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .contents import PlanAction
from .pages import LocalityPlanPage


class ActionUpdateQuerySet(models.QuerySet):
    def for_plan(self, plan):
        """The updates on a plan's actions. Officers record them on the original plan's actions
        (`LocalityPlanPage.original_plan`), so a translation gets its original's, once."""
        original = (LocalityPlanPage.objects.filter(translation_key=plan.translation_key)
                    .order_by("pk").values("pk")[:1])
        return self.filter(action__plan_id=models.Subquery(original))

    def latest_by_action(self, actions) -> dict[int, ActionUpdate]:
        """Action id -> the latest update of each saved action (one query). An action of a
        translated plan gets the latest update of any action with its translation_key (the
        original's, where officers record them)."""
        keys: dict = {}
        for action in actions:
            if action.pk:
                keys.setdefault(action.translation_key, []).append(action.pk)
        if not keys:
            return {}
        by_key: dict = {}
        for update in (self.filter(action__translation_key__in=keys)
                       .annotate(action_key=models.F("action__translation_key"))
                       .order_by("-date", "-id")):
            by_key.setdefault(update.action_key, update)
        return {pk: by_key[key] for key, pks in keys.items() if key in by_key for pk in pks}


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


class PlanPdfQuerySet(models.QuerySet):
    def stuck(self, now=None):
        """Renders that should have finished by now: queued with no worker taking them, or
        taken by a worker that died (past the render time limit)."""
        now = now or timezone.now()
        queued_before = now - timedelta(minutes=stuck_minutes())
        started_before = now - timedelta(seconds=render_timeout() + 60)
        return self.filter(models.Q(status=PlanPdf.QUEUED, queued_at__lt=queued_before)
                           | models.Q(status=PlanPdf.RENDERING, started_at__lt=started_before))

    def needing_attention(self, now=None):
        """Failed and stuck renders, newest first (the officers' list)."""
        return (self.filter(status=PlanPdf.FAILED) | self.stuck(now)).order_by("-queued_at")


def render_timeout() -> float:
    """Seconds one render may take before it is stopped and marked failed
    (PORTAL_PDF_TIMEOUT_SECONDS; 0: no limit)."""
    return float(getattr(settings, "PORTAL_PDF_TIMEOUT_SECONDS", 120))


def render_memory_mb() -> int:
    """Megabytes of address space one render may use before it is stopped and marked failed
    (PORTAL_PDF_MEMORY_MB; 0: no cap)."""
    return int(getattr(settings, "PORTAL_PDF_MEMORY_MB", 1536))


def stuck_minutes() -> int:
    """Minutes a render may wait for the task worker before the page says it is stuck."""
    return int(getattr(settings, "PORTAL_PDF_STUCK_MINUTES", 5))


class PlanPdf(models.Model):
    """A rendered PDF, cached per page revision, language and data version.

    queued -> rendering -> ready, or failed (with the error kept for officers). A render that
    waits too long for the worker, or whose worker died, is "stuck"; anyone may retry a failed
    or stuck render, which queues it once more.
    """

    QUEUED, RENDERING, READY, FAILED = "queued", "rendering", "ready", "failed"
    STATUS_CHOICES = [(QUEUED, _("Queued")), (RENDERING, _("Rendering")), (READY, _("Ready")),
                      (FAILED, _("Failed"))]

    page = models.ForeignKey(LocalityPlanPage, on_delete=models.CASCADE, related_name="pdfs")
    kind = models.CharField(max_length=20, default="plan")  # "plan" or "highlights-YYYY-MM"
    revision_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=10)
    data_version = models.CharField(max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES,
                              default=QUEUED)
    file = models.FileField(upload_to="plans/pdf/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    retries = models.PositiveSmallIntegerField(_("retries"), default=0)

    objects = PlanPdfQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan PDF")
        verbose_name_plural = _("plan PDFs")
        constraints = [models.UniqueConstraint(
            fields=["page", "kind", "revision_id", "language", "data_version"],
            name="plans_one_pdf_per_version")]

    def __str__(self):
        return f"{self.page_id} {self.kind} r{self.revision_id} {self.language} ({self.status})"

    @cached_property
    def filename(self) -> str:
        return f"{self.page.slug}-{self.kind}-{self.language}.pdf"

    def is_stuck(self, now=None) -> bool:
        return PlanPdf.objects.stuck(now).filter(pk=self.pk).exists()


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
