"""Double-entry checks of paper forms: a sampled form keyed twice, compared field by field.

Imported by `surveys.models`: `PaperSettings` is mixed into `SurveyPage`, and the import
registers `PaperCheck` with the surveys app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PaperSettings(models.Model):
    """A survey's settings for paper (mixed into `SurveyPage`)."""

    AGREE_FIRST, DISAGREE_FIRST = "agree_first", "disagree_first"
    scale_order = models.CharField(
        _("agree/disagree scale order"), max_length=16, default=AGREE_FIRST,
        choices=[(AGREE_FIRST, _("Strongly agree first")),
                 (DISAGREE_FIRST, _("Strongly disagree first"))],
        help_text=_("One order everywhere: online, on the paper form and when keying paper."))
    double_entry_every = models.PositiveSmallIntegerField(
        _("key every Nth paper form twice"), default=0,
        help_text=_("A check of keying accuracy: every Nth paper form with a paper reference "
                    "is picked to be keyed a second time and compared. 0 turns it off."))

    class Meta:
        abstract = True


class PaperCheck(models.Model):
    """One paper form picked for a second keying, and what the second keying found.

    The first keying is the stored `response`; the second keying is kept only as the answer
    values in `second_answers` (never a second response), so the form is counted once.
    """

    AWAITING, MATCHED, MISMATCHED, RESOLVED = "awaiting", "matched", "mismatched", "resolved"
    STATUSES = [(AWAITING, _("Waiting for the second keying")), (MATCHED, _("Both keyings match")),
                (MISMATCHED, _("Keyings differ: to resolve")), (RESOLVED, _("Resolved"))]

    survey = models.ForeignKey("surveys.SurveyPage", on_delete=models.CASCADE,
                               related_name="paper_checks")
    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE,
                                    related_name="paper_check")
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=AWAITING)
    second_answers = models.JSONField(default=dict, blank=True)
    mismatches = models.JSONField(default=list, blank=True)
    second_entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("picked"), default=timezone.now)
    checked_at = models.DateTimeField(_("keyed again"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resolution = models.CharField(_("kept"), max_length=10, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("paper form check")

    def __str__(self):
        return f"check of {self.response_id}"
