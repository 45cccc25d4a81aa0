"""Surveys: pages officers build, the question registry answers are keyed by, and responses.

The questions live in the page's StreamField (`SurveyPage.sections`); when a page is published
`registry.sync_registry` upserts one `Question` per question block and one `Option` per option,
keyed by the blocks' stable ids. Answers reference those rows, so rewording, reordering or
removing questions never orphans or reinterprets them: removed questions and options are marked
retired and still appear in results.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from portal.blocks import BodyBlock
from portal.neighbourhoods.models import Neighbourhood
from portal.pages.models import IndexPage
from portal.themes.models import Theme

from . import blocks, copying, questions
from .blocks import SurveySectionsBlock
from .paper_entry_models import PaperCheck, PaperSettings  # noqa: F401 (PaperCheck: registered)
from .querysets import QuestionQuerySet, ResponseQuerySet, SurveyPageQuerySet


class SurveyIndexPage(RoutablePageMixin, IndexPage):
    """Every survey: open ones first, then closed ones with their outcomes; and
    `what-happened/`, where a reference number shows what its survey led to."""

    subpage_types = ["surveys.SurveyPage"]

    class Meta:
        verbose_name = _("survey index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        surveys = sorted(SurveyPage.objects.child_of(self).live().public().prefetch_related(
            "neighbourhoods"), key=lambda survey: survey.closes_at)  # split as open() etc. do
        now = timezone.now()
        context.update(
            open_surveys=[s for s in surveys if s.opens_at <= now < s.closes_at],
            upcoming_surveys=[s for s in surveys if s.opens_at > now],
            closed_surveys=[s for s in reversed(surveys) if max(s.opens_at, s.closes_at) <= now],
        )
        return context

    @path("what-happened/")
    def what_happened(self, request):
        from . import reference_views

        return reference_views.reference_lookup(request, self)


class SurveyPage(RoutablePageMixin, PaperSettings, Page):
    """One 'have your say' survey, answered one section per step."""

    introduction = models.TextField(
        _("introduction"), help_text=_("What the survey is about and who should answer it.")
    )
    background = StreamField(
        BodyBlock(), verbose_name=_("background information"), blank=True,
        help_text=_("What people need to know to give an informed answer: the proposals, the "
                    "reasons for them and what is still open to change."),
    )
    # Parental: an edit is kept in the page's revisions (a draft leaves the live targeting
    # alone until it is published) and every translation follows the source's on each sync.
    neighbourhoods = ParentalManyToManyField(
        Neighbourhood, verbose_name=_("neighbourhoods"), blank=True, related_name="surveys",
        help_text=_("Leave empty for a survey of the whole area."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes to answer"),
                                                         default=5)
    privacy_notice = RichTextField(
        _("privacy notice"), features=["bold", "italic", "link"],
        help_text=_("Who holds the answers, why, for how long, and how to ask about them."),
    )
    require_sign_in = models.BooleanField(
        _("require sign-in"), default=False,
        help_text=_("Leave unticked to let people answer without an account."),
    )
    one_response_only = models.BooleanField(
        _("one response per person"), default=True,
        help_text=_("One response per account, or per browser for people not signed in."),
    )
    sections = StreamField(SurveySectionsBlock(), verbose_name=_("questions"))
    results_published = models.BooleanField(
        _("publish results"), default=False,
        help_text=_("Show an aggregate summary to the public. Small numbers are suppressed."),
    )
    outcome_heard = RichTextField(
        _("what we heard"), blank=True, features=["bold", "italic", "link", "ul", "ol"]
    )
    outcome_decided = RichTextField(
        _("what we decided"), blank=True, features=["bold", "italic", "link", "ul", "ol"]
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("background"),
        MultiFieldPanel([
            FieldPanel("neighbourhoods"), FieldPanel("opens_at"), FieldPanel("closes_at"),
            FieldPanel("estimated_minutes"), FieldPanel("require_sign_in"),
            FieldPanel("one_response_only"),
        ], heading=_("Who and when")),
        MultiFieldPanel([FieldPanel("scale_order"), FieldPanel("double_entry_every")],
                        heading=_("Paper forms and scales")),
        FieldPanel("privacy_notice"),
        FieldPanel("sections"),
        MultiFieldPanel([
            FieldPanel("results_published"), FieldPanel("outcome_heard"),
            FieldPanel("outcome_decided"),
        ], heading=_("Results and 'you said, we did'")),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    # wagtail-localize (docs/languages.md, "Sync policy"): the Welsh survey asks about the same
    # neighbourhoods as the English; copied on every sync (`signals.follow_source_targeting`).
    override_translatable_fields = [SynchronizedField("neighbourhoods", overridable=False)]
    parent_page_types = ["surveys.SurveyIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(SurveyPageQuerySet)()
    copy_form_class = copying.SurveyCopyForm

    class Meta:
        verbose_name = _("survey")

    def copy(self, *args, **kwargs):
        """A new draft survey with new question ids; see `copying.copy_survey`."""
        return copying.copy_survey(self, super().copy, *args, **kwargs)

    preview_modes = [("", _("Introduction and all questions")),
                     ("intro", _("Introduction page as people see it"))]

    def serve_preview(self, request, mode_name):
        if mode_name == "intro":
            return super().serve_preview(request, mode_name)
        from . import preview

        return preview.serve_questions_preview(request, self)

    # Languages ------------------------------------------------------------------------------
    @cached_property
    def pooled_survey(self) -> "SurveyPage":
        """The page whose questions store the answers given on every translation of this survey.

        A translation (same `translation_key`, another locale) shares the original's question
        and option keys (wagtail-localize keeps block ids), so answers given in Welsh or Arabic
        are stored against the original's registry and counted together, with the language
        they were given in on `Response.language`. The original is the family's first page.
        """
        if not self.pk:
            return self
        first = (SurveyPage.objects.filter(translation_key=self.translation_key)
                 .order_by("pk").first())
        return self if first is None or first.pk == self.pk else first

    # Status ---------------------------------------------------------------------------------
    def status(self, now=None) -> str:
        """'not_open', 'open' or 'closed' at `now` ('not_open' too while a draft has no dates)."""
        now = now or timezone.now()
        if self.opens_at is None or now < self.opens_at:
            return "not_open"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        return "open"

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing time must be after the opening "
                                                  "time.")})
        if self.pk:
            errors = self.registry_errors()
            if errors:
                raise ValidationError({"sections": errors})

    def registry_errors(self) -> list[str]:
        """Why the page's questions cannot be published: refused type changes, broken conditions."""
        # A translation's answers and conditions are the original's (`pooled_survey`).
        registry = self.pooled_survey.pk if self.pk else None
        return questions.spec_errors(questions.question_specs(self),
                                     answered=Question.objects.answered_kinds(registry),
                                     previous=Question.objects.conditions(registry),
                                     labels=Question.objects.known_labels(registry)
                                     ) + questions.grid_errors(self)

    # Routes ---------------------------------------------------------------------------------
    @path("")
    def intro(self, request):
        from . import views

        return views.survey_intro(request, self)

    @path("step/<int:number>/")
    def step(self, request, number):
        from . import views

        return views.survey_step(request, self, number)

    @path("check/")
    def check_answers(self, request):
        from . import views

        return views.survey_check(request, self)

    @path("done/")
    def done(self, request):
        from . import views

        return views.survey_done(request, self)

    @path("results/")
    def public_results(self, request):
        from . import views

        return views.survey_public_results(request, self)

    @path("what-happened/")
    def what_happened(self, request):
        from . import reference_views

        return reference_views.reference_lookup(request, self, survey=self)


class Question(models.Model):
    """A question of a survey, keyed by its block id; the target of every answer."""

    # The types are the question blocks' names (surveys.blocks).
    SINGLE, MULTIPLE, LIKERT = blocks.SINGLE, blocks.MULTIPLE, blocks.LIKERT
    RANKING, TEXT, NUMBER = blocks.RANKING, blocks.TEXT, blocks.NUMBER
    WHERE, MAP_PIN, EQUALITY = blocks.WHERE, blocks.MAP_PIN, blocks.EQUALITY
    KINDS = blocks.KINDS
    CHOICE_KINDS = {SINGLE, MULTIPLE, RANKING, EQUALITY}

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(_("stable id"), max_length=80)
    kind = models.CharField(_("type"), max_length=20, choices=KINDS)
    label = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    section = models.PositiveSmallIntegerField(_("section"), default=0)
    section_title = models.CharField(_("section title"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    config = models.JSONField(_("settings"), default=dict, blank=True)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    show_if_option = models.ForeignKey(
        "Option", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired = models.BooleanField(_("retired"), default=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="surveys_question_unique_key")
        ]

    def __str__(self):
        return self.label


class Option(models.Model):
    """A choice of a question, keyed by its list item id (or an ONS code for equality)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(_("stable id"), max_length=80)
    label = models.CharField(_("option"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="surveys_option_unique_key")
        ]

    def __str__(self):
        return self.label


class Response(models.Model):
    """One person's answers to a survey, from any channel."""

    ONLINE, PAPER, FORUM, PHONE = "online", "paper", "forum", "phone"
    CHANNELS = [(ONLINE, _("Online")), (PAPER, _("Paper")), (FORUM, _("Forum")),
                (PHONE, _("Phone"))]

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="responses")
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=CHANNELS, default=ONLINE)
    # The language of the page (or paper form) the answers were given in. Every translation's
    # answers are stored against the original survey (`SurveyPage.pooled_survey`).
    language = models.CharField(_("language"), max_length=12, blank=True, default="")
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    area_code = models.CharField(
        _("statistical area (LSOA)"), max_length=9, blank=True, default="",
        help_text=_("The area of the home postcode given. Never shown publicly; used only in "
                    "aggregates with small numbers suppressed."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # Keyed hashes of the IP address and of the browser's user agent and languages: enough to
    # spot likely duplicates, not to identify anyone.
    ip_hash = models.CharField(max_length=64, blank=True)
    browser_hash = models.CharField(max_length=64, blank=True)
    duplicate_suspect = models.BooleanField(_("possible duplicate"), default=False)
    SAME_ANSWERS, SAME_BROWSER = "same_answers", "same_browser"
    DUPLICATE_REASONS = [
        (SAME_ANSWERS, _("Same connection and near-identical answers as an earlier response")),
        (SAME_BROWSER, _("Same connection and same browser as an earlier response, minutes "
                         "apart")),
    ]
    duplicate_reason = models.CharField(_("why it may be a duplicate"), max_length=20,
                                        choices=DUPLICATE_REASONS, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("possible duplicate of"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    paper_reference = models.CharField(_("paper reference"), max_length=20, blank=True,
                                       default="")

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["survey", "submitted_at"])]
        constraints = [models.UniqueConstraint(
            fields=["survey", "paper_reference"], condition=~models.Q(paper_reference=""),
            name="surveys_response_unique_paper_reference")]
        permissions = [
            ("view_results", _("Can view survey results")),
            ("export_responses", _("Can export survey responses")),
            ("export_equality", _("Can export equality-monitoring answers")),
            ("enter_responses", _("Can enter paper, forum and phone responses")),
            ("code_comments", _("Can code comments to themes and flag safeguarding concerns")),
        ]

    def __str__(self):
        return self.reference


class Answer(models.Model):
    """One answer value: a chosen option (with its rank), a number or a text.

    RESTRICT, not PROTECT: a question or option cannot be deleted while answers use it, but
    deleting a whole survey page (which deletes its responses too) still works.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # Repeats response.survey so results need no join: the index below covers their GROUP BYs.
    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.RESTRICT,
                               related_name="answers")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    # "Show us where": the point marked (or the chosen place's or postcode's), and the
    # neighbourhood it falls in (or the neighbourhood chosen from the list).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["survey", "question", "option", "rank", "number", "response"],
                         name="surveys_answer_results_idx"),
            models.Index(fields=["question", "option"], name="surveys_answer_option_idx"),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.option_id or self.number or self.text[:20]}"


class CommentCoding(models.Model):
    """An officer's coding of a free-text answer: themes, and a safeguarding flag."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="coding")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    safeguarding = models.BooleanField(_("safeguarding concern"), default=False)
    coded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    coded_at = models.DateTimeField(_("coded"), auto_now=True)

    def __str__(self):
        return f"coding of answer {self.answer_id}"


class SurveyDraftQuerySet(models.QuerySet):
    def current(self, now=None):
        """Drafts that can still be finished: their survey is open and they have not expired."""
        now = now or timezone.now()
        return self.filter(survey__closes_at__gt=now).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))

    def expired(self, now=None):
        """Drafts of a closed survey, or past their own expiry (links for people not signed in)."""
        now = now or timezone.now()
        return self.filter(models.Q(survey__closes_at__lte=now) | models.Q(expires_at__lte=now))


class SurveyDraft(models.Model):
    """A half-answered survey kept to finish later (`surveys.drafts`).

    A signed-in person's is kept under their account until the survey closes; one saved by
    someone not signed in is found by the link emailed to them, whose token is kept only as a
    hash (the address itself is never stored). `data` has the shape the answering flow keeps in
    the session: form field name -> list of submitted values.
    """

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="survey_drafts")
    token_hash = models.CharField(max_length=64, blank=True, default="")
    data = models.JSONField(default=dict)
    step = models.PositiveSmallIntegerField(_("current step"), default=1)
    reached = models.PositiveSmallIntegerField(_("furthest step"), default=1)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = SurveyDraftQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"],
                                    condition=models.Q(user__isnull=False),
                                    name="surveys_draft_one_per_account"),
            models.UniqueConstraint(fields=["token_hash"], condition=~models.Q(token_hash=""),
                                    name="surveys_draft_unique_token"),
            models.CheckConstraint(condition=models.Q(user__isnull=False)
                                   | ~models.Q(token_hash=""), name="surveys_draft_has_owner"),
        ]

    def __str__(self):
        return f"draft of survey {self.survey_id}"
