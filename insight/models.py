"""Community insight: one coding record per item of free text from any channel.

`InsightItem` indexes an origin item (a `priorities.FeedbackItem`, or a survey's free-text
answer offered through the `INSIGHT_SOURCES` extension point) with the text, date, source,
neighbourhood and language needed to filter 50,000 items a year, and holds its coding against a
version of the `CodingMatrix`. The origin stays the truth for what was said; the themes,
sentiment and safeguarding flag an officer sets here are written back to it, so priorities count
them as before. Sub-themes, the service concerned, equality fields and the matrix version live
only here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodingMatrix(models.Model):
    """One version of the coding matrix. Versions are never edited once items are coded under
    them: a change makes the next version, and items coded earlier keep theirs."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    notes = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-number"]
        verbose_name = _("coding matrix version")
        verbose_name_plural = _("coding matrix versions")

    def __str__(self):
        return _("Coding matrix version %(number)s") % {"number": self.number}

    @classmethod
    def current(cls):
        """The newest version, or None before the first is made."""
        return cls.objects.order_by("-number").first()


class MatrixSubTheme(models.Model):
    """A sub-theme under one of the portal's themes, in one matrix version. `key` stays the same
    across versions while the name may change, so trends can follow a sub-theme over time."""

    matrix = models.ForeignKey(CodingMatrix, on_delete=models.CASCADE, related_name="sub_themes")
    theme = models.ForeignKey("themes.Theme", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("theme"))
    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme__name", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["matrix", "theme", "key"],
                                               name="insight_subtheme_unique_key")]

    def __str__(self):
        return f"{self.theme} › {self.name}"


class MatrixService(models.Model):
    """A service or provider an item can be about (a GP practice, the housing repairs team),
    in one matrix version; `key` is stable across versions like a sub-theme's."""

    matrix = models.ForeignKey(CodingMatrix, on_delete=models.CASCADE, related_name="services")
    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=160)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["matrix", "key"],
                                               name="insight_service_unique_key")]

    def __str__(self):
        return self.name


class InsightItemQuerySet(models.QuerySet):
    def uncoded(self):
        return self.filter(coded_at__isnull=True)

    def coded(self):
        return self.filter(coded_at__isnull=False)


class InsightItem(models.Model):
    """One item of free text from one channel, and how it is coded."""

    FEEDBACK = "feedback"  # priorities.FeedbackItem: typed or imported community feedback
    COMMENT = "comment"  # a survey's free-text answer
    ORIGINS = [(FEEDBACK, _("Community feedback")), (COMMENT, _("Survey comment"))]
    POSITIVE, NEUTRAL, NEGATIVE, MIXED = "positive", "neutral", "negative", "mixed"
    SENTIMENTS = [(POSITIVE, _("Positive")), (NEUTRAL, _("Neutral")),
                  (NEGATIVE, _("Negative")), (MIXED, _("Mixed"))]

    origin = models.CharField(_("kind"), max_length=20, choices=ORIGINS)
    origin_id = models.PositiveBigIntegerField()
    text = models.TextField(_("what was said"))
    received_on = models.DateField(_("date"))
    # The channel: a FeedbackItem.source code, or "survey" for survey comments.
    source = models.CharField(_("source"), max_length=30)
    source_label = models.CharField(_("source details"), max_length=255, blank=True)
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("neighbourhood"))
    language = models.CharField(_("language"), max_length=12, blank=True)
    people_count = models.PositiveIntegerField(_("people"), default=1)

    matrix = models.ForeignKey(CodingMatrix, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="items", verbose_name=_("coded under"))
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+",
                                    verbose_name=_("themes"))
    sub_themes = models.ManyToManyField(MatrixSubTheme, blank=True, related_name="items",
                                        verbose_name=_("sub-themes"))
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=SENTIMENTS, blank=True)
    service = models.ForeignKey(MatrixService, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="items", verbose_name=_("service or provider"))
    # ONS equality fields where known: characteristic -> category code (surveys.equality codes).
    equality = models.JSONField(_("equality"), default=dict, blank=True)
    safeguarding = models.BooleanField(_("safeguarding concern"), default=False)
    # Set by insight.safeguarding.flag_raised when it emails the contact (once per flag).
    flagged_at = models.DateTimeField(_("flagged"), null=True, blank=True)
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("flagged by"))
    # Why the item needs a person's look before it is used (say, it may hold a phone number).
    review_reason = models.CharField(_("needs review because"), max_length=200, blank=True)
    coded_at = models.DateTimeField(_("coded"), null=True, blank=True)
    coded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("coded by"))

    objects = InsightItemQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("insight item")
        verbose_name_plural = _("insight items")
        constraints = [models.UniqueConstraint(fields=["origin", "origin_id"],
                                               name="insight_item_one_per_origin")]
        indexes = [
            models.Index(fields=["-received_on", "-id"], name="insight_item_recent_idx"),
            models.Index(fields=["coded_at", "-received_on"], name="insight_item_uncoded_idx"),
            models.Index(fields=["neighbourhood", "received_on"], name="insight_item_nbhd_idx"),
            models.Index(fields=["source", "received_on"], name="insight_item_source_idx"),
            models.Index(fields=["-received_on", "-id"], condition=models.Q(safeguarding=True),
                         name="insight_item_flagged_idx"),
        ]

    def __str__(self):
        return f"{self.get_origin_display()} {self.origin_id}"

    @property
    def is_coded(self) -> bool:
        return self.coded_at is not None


class CodingEvent(models.Model):
    """Who coded what and when: one row per save of an item's coding, with what it became."""

    CODED, SUGGESTION_ACCEPTED, BULK, FLAGGED, UNFLAGGED = (
        "coded", "suggestion", "bulk", "flagged", "unflagged")
    ACTIONS = [(CODED, _("Coded")), (SUGGESTION_ACCEPTED, _("Accepted a suggested code")),
               (BULK, _("Coded in bulk")), (FLAGGED, _("Flagged for safeguarding")),
               (UNFLAGGED, _("Safeguarding flag removed"))]

    item = models.ForeignKey(InsightItem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=ACTIONS)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    matrix = models.ForeignKey(CodingMatrix, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    # The coding as saved: {"themes": [slugs], "sub_themes": [keys], "sentiment": ...}.
    codes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["item", "-at"], name="insight_event_item_idx")]

    def __str__(self):
        return f"{self.action} {self.item_id} {self.at:%Y-%m-%d %H:%M}"


class SafeguardingOpened(models.Model):
    """An audit row each time someone opens a safeguarding-flagged item."""

    item = models.ForeignKey(InsightItem, on_delete=models.CASCADE, related_name="openings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"opened {self.item_id} {self.at:%Y-%m-%d %H:%M}"


class ImportSource(models.Model):
    """A place feedback files come from (a Healthwatch export, a partner's log), with the
    column mapping saved from its last import so the next file maps itself."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    channel = models.CharField(_("channel"), max_length=30,
                               help_text=_("The community feedback source its rows are."))
    # Field name -> the file's column heading.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    date_format = models.CharField(_("date format"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ImportRun(models.Model):
    """One uploaded file: its dry run, then its import in a background task."""

    UPLOADED, MAPPED, CHECKED, QUEUED, RUNNING, DONE, FAILED = (
        "uploaded", "mapped", "checked", "queued", "running", "done", "failed")
    STATES = [(UPLOADED, _("Uploaded")), (MAPPED, _("Columns mapped")),
              (CHECKED, _("Checked (dry run)")), (QUEUED, _("Waiting to import")),
              (RUNNING, _("Importing")), (DONE, _("Imported")), (FAILED, _("Failed"))]

    source = models.ForeignKey(ImportSource, on_delete=models.PROTECT, related_name="runs")
    file = models.FileField(upload_to="insight/imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    state = models.CharField(max_length=10, choices=STATES, default=UPLOADED)
    mapping = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    flagged_count = models.PositiveIntegerField(default=0)
    # [{"row": 7, "column": "Date", "message": "..."}], from the dry run and the import.
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name


class ImportedRow(models.Model):
    """Which feedback item an external id of a source became: importing the same file again
    updates or leaves those items rather than adding them twice."""

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="rows")
    external_id = models.CharField(max_length=120)
    feedback_item_id = models.PositiveBigIntegerField()
    row_hash = models.CharField(max_length=64)
    run = models.ForeignKey(ImportRun, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"],
                                               name="insight_import_external_id_once")]

    def __str__(self):
        return f"{self.source_id}:{self.external_id}"


class ClassifierModel(models.Model):
    """A trained suggestion model: when, on how many coded items, and how well it did on the
    coded items held back from training. The model itself is stored in `artefact`."""

    trained_at = models.DateTimeField(auto_now_add=True)
    matrix = models.ForeignKey(CodingMatrix, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    trained_on = models.PositiveIntegerField(default=0)
    held_back = models.PositiveIntegerField(default=0)
    precision = models.FloatField(null=True)
    recall = models.FloatField(null=True)
    # Per theme: {"slug": {"precision": .., "recall": .., "support": ..}}
    per_theme = models.JSONField(default=dict, blank=True)
    artefact = models.BinaryField()

    class Meta:
        ordering = ["-trained_at"]
        get_latest_by = "trained_at"

    def __str__(self):
        return f"classifier {self.trained_at:%Y-%m-%d %H:%M}"
