"""Forum pages: the index and the forum events, with the outcomes recorded on them (room
tallies and "you said, we did")."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
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
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from portal.blocks import BodyBlock
from portal.extension_points import venues
from portal.neighbourhoods.geocoding import PostcodeError, geocode, normalise_postcode
from portal.neighbourhoods.models import Neighbourhood
from portal.neighbourhoods.services import get_locator
from portal.pages.models import IndexPage
from portal.themes.models import Theme

from .querysets import ForumEventManager

INDEX_PAGE_SIZE = 10


class ForumIndexPage(IndexPage):
    """Every forum: upcoming and past, filtered by neighbourhood, a page of ten at a time."""

    subpage_types = ["forums.ForumEventPage"]

    class Meta:
        verbose_name = _("forum index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = ForumEventPage.objects.published_under(self)
        neighbourhoods = events.neighbourhoods_covered()
        wanted = request.GET.get("neighbourhood")
        chosen = next((n for n in neighbourhoods if n.slug == wanted), None)
        when = "past" if request.GET.get("when") == "past" else "upcoming"
        paginator = Paginator(events.listing(when, chosen), INDEX_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        query_prefix = f"when={when}&"
        if chosen is not None:
            query_prefix += f"neighbourhood={chosen.slug}&"
        context.update({
            "events": page_obj.object_list, "page_obj": page_obj, "when": when,
            "neighbourhood_choices": neighbourhoods, "chosen_neighbourhood": chosen,
            "query_prefix": query_prefix,
        })
        return context


class ForumEventPageForm(WagtailAdminPageForm):
    """The editor's form: a venue chooser built from the venue registry when the form is made
    (so new assets appear without a migration), and a clear message when a theme has two
    dot-vote tallies."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "venue_key" in self.fields:
            self.fields["venue_key"] = forms.ChoiceField(
                label=_("Hub or community asset"), required=False,
                choices=self._venue_choices(),
                help_text=_("Choose a hub or asset to fill in the venue's name, address and "
                            "location from the asset map, or leave this empty and type an "
                            "address below."),
            )

    def _venue_choices(self):
        choices = [("", _("None: type the address below"))] + venues.choices()
        stored = getattr(self.instance, "venue_key", "")
        if stored and stored not in {key for key, _label in choices} and not venues.find(stored):
            # A venue that has gone keeps its key, so saving the page does not fail.
            choices.append((stored, _("%(name)s (no longer on the asset map)") % {
                "name": self.instance.venue_name or stored}))
        return choices

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("vote_tallies")
        if formset is not None:
            formset.is_valid()  # run the rows' own validation first
            seen = set()
            for form in formset.forms:
                # The formset's own unique check may already have dropped the theme from
                # cleaned_data; the instance still holds it.
                theme_id = form.instance.theme_id
                if theme_id is None or formset._should_delete_form(form):
                    continue
                if theme_id in seen:
                    form.add_error(None, _(
                        "Each theme can have one tally: %(theme)s is already listed. Add the "
                        "dots together in one row.") % {"theme": form.instance.theme})
                seen.add(theme_id)
        return cleaned_data


class ForumEventPage(RoutablePageMixin, Page):
    """One neighbourhood forum, face to face at a venue, online, or both."""

    IN_PERSON, ONLINE, HYBRID = "in_person", "online", "hybrid"
    FORMAT_CHOICES = [
        (IN_PERSON, _("In person")), (ONLINE, _("Online")),
        (HYBRID, _("Hybrid (in person and online)")),
    ]

    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown in lists and emails."),
    )
    neighbourhoods = ParentalManyToManyField(
        Neighbourhood, verbose_name=_("neighbourhoods"), related_name="forum_events",
        help_text=_("The neighbourhoods this forum is for. Its votes count as their evidence."),
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    format = models.CharField(_("format"), max_length=12, choices=FORMAT_CHOICES,
                              default=IN_PERSON)
    is_cancelled = models.BooleanField(
        _("cancelled"), default=False,
        help_text=_("Keeps the page up with a clear notice; registration closes."),
    )
    venue_key = models.CharField(
        _("hub or community asset"), max_length=100, blank=True,
        help_text=_("The venue chosen from the asset map; its details are copied below."),
    )
    venue_name = models.CharField(_("venue name"), max_length=150, blank=True,
                                  help_text=_("For example, Harlesden Library Plus."))
    venue_address = models.TextField(_("venue address"), blank=True)
    venue_postcode = models.CharField(_("venue postcode"), max_length=10, blank=True)
    venue_latitude = models.FloatField(_("venue latitude"), null=True, blank=True)
    venue_longitude = models.FloatField(_("venue longitude"), null=True, blank=True)
    venue_neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("venue neighbourhood"), null=True, blank=True,
        editable=False, on_delete=models.SET_NULL, related_name="+",
    )
    joining_link = models.URLField(
        _("online joining link"), blank=True, max_length=500,
        help_text=_("Shown only to confirmed attendees: on this page when they are signed in, "
                    "in their confirmation and reminder emails and in their calendar file."),
    )
    joining_instructions = models.TextField(
        _("joining instructions"), blank=True,
        help_text=_("Meeting ID, passcode or phone dial-in. Shown with the joining link."),
    )
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    interpreters_on_request = models.BooleanField(_("interpreters on request"), default=False)
    bsl_on_request = models.BooleanField(_("British Sign Language on request"), default=False)
    childcare = models.BooleanField(_("childcare available"), default=False)
    accessibility_notes = models.TextField(
        _("more about access and support"), blank=True,
        help_text=_("For example: the nearest accessible toilet, parking, how to ask for "
                    "an interpreter and by when."),
    )
    agenda = StreamField(BodyBlock(), verbose_name=_("agenda"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True,
        help_text=_("Places for confirmed attendees. Leave empty for no limit. When it is "
                    "full, people can join a waiting list."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True,
        help_text=_("Leave empty to take registrations until the forum starts."),
    )
    online_voting_open = models.BooleanField(
        _("online voting open"), default=False,
        help_text=_("Lets confirmed attendees of an online or hybrid forum vote for themes on "
                    "this page. Open it during the meeting and close it afterwards."),
    )
    votes_per_person = models.PositiveSmallIntegerField(
        _("votes per person"), default=3,
        help_text=_("How many themes each attendee may vote for online."),
    )
    ballot_themes = ParentalManyToManyField(
        Theme, verbose_name=_("themes to vote on"), blank=True, related_name="+",
        help_text=_("Leave empty to offer every active theme."),
    )
    minutes = RichTextField(_("minutes or notes"), blank=True,
                            features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    attendance_in_person = models.PositiveIntegerField(_("attended in person"), null=True,
                                                       blank=True)
    attendance_online = models.PositiveIntegerField(_("attended online"), null=True, blank=True)

    objects = ForumEventManager()
    base_form_class = ForumEventPageForm
    # wagtail-localize (docs/languages.md, "Sync policy"): the venue's key and postcode are
    # data, not words, so translations keep the source's; its name and address follow the
    # source too (clean() copies them from the chosen venue on every save, so a translation
    # of them would be lost), though a translator may override them; the neighbourhoods follow
    # the source (a many-to-many field wagtail-localize would otherwise leave as first copied).
    override_translatable_fields = [
        SynchronizedField("venue_key", overridable=False),
        SynchronizedField("venue_postcode", overridable=False),
        SynchronizedField("venue_name"), SynchronizedField("venue_address"),
        SynchronizedField("neighbourhoods"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("neighbourhoods", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("When")),
        FieldPanel("format"),
        FieldPanel("is_cancelled"),
        MultiFieldPanel([
            FieldPanel("venue_key"), FieldPanel("venue_name"), FieldPanel("venue_address"),
            FieldPanel("venue_postcode"),
            FieldRowPanel([FieldPanel("venue_latitude"), FieldPanel("venue_longitude")]),
        ], heading=_("Venue (in person and hybrid forums)")),
        MultiFieldPanel([FieldPanel("joining_link"), FieldPanel("joining_instructions")],
                        heading=_("Joining online (online and hybrid forums)")),
        MultiFieldPanel([
            FieldPanel("step_free_access"), FieldPanel("hearing_loop"),
            FieldPanel("interpreters_on_request"), FieldPanel("bsl_on_request"),
            FieldPanel("childcare"), FieldPanel("accessibility_notes"),
        ], heading=_("Access and support")),
        FieldPanel("agenda"),
        MultiFieldPanel([FieldPanel("capacity"), FieldPanel("registration_deadline")],
                        heading=_("Registration")),
    ]
    outcome_panels = [
        HelpPanel(content=_("After the forum: what happened, who came and how people voted. "
                            "Dot-vote tallies are the dots each theme got in the room.")),
        FieldPanel("minutes"),
        FieldRowPanel([FieldPanel("attendance_in_person"), FieldPanel("attendance_online")],
                      heading=_("Attendance")),
        InlinePanel("vote_tallies", label=_("Dot-vote tallies from the room")),
        MultiFieldPanel([FieldPanel("online_voting_open"), FieldPanel("votes_per_person"),
                         FieldPanel("ballot_themes", widget=forms.CheckboxSelectMultiple)],
                        heading=_("Online voting")),
        InlinePanel("you_said_we_did", label=_("You said, we did")),
    ]
    edit_handler = TabbedInterface([
        ObjectList(content_panels, heading=_("Forum")),
        ObjectList(outcome_panels, heading=_("Outcomes")),
        ObjectList(Page.promote_panels, heading=_("Promote")),
    ])

    search_fields = Page.search_fields + [
        index.SearchField("summary"), index.SearchField("venue_name"),
        index.SearchField("minutes"),
    ]
    parent_page_types = ["forums.ForumIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("forum event page")

    # --- derived facts -------------------------------------------------------------------

    @property
    def is_in_person(self):
        return self.format in (self.IN_PERSON, self.HYBRID)

    @property
    def is_online(self):
        return self.format in (self.ONLINE, self.HYBRID)

    def has_ended(self, now=None):
        return self.end < (now or timezone.now())

    def has_started(self, now=None):
        return self.start <= (now or timezone.now())

    def confirmed_count(self):
        if self.pk is None:
            return 0
        return self.registrations.confirmed().count()

    @cached_property
    def places_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count(), 0)

    @cached_property
    def venue(self):
        """The chosen hub or asset as a `portal.extension_points.Venue`, or None (none chosen, or
        it has gone: the page then shows its stored copy of the address)."""
        return venues.find(self.venue_key) if self.venue_key else None

    def copy_venue(self, venue) -> None:
        """Fill the venue fields from a chosen hub or asset."""
        self.venue_name = venue.name[:150]
        self.venue_address = venue.address
        self.venue_postcode = venue.postcode[:10]
        self.venue_latitude, self.venue_longitude = venue.latitude, venue.longitude

    def ballot(self):
        """The themes people may vote for online: the chosen ones still active, or all active."""
        chosen = list(self.ballot_themes.all()) if self.pk else []
        if chosen:
            return [theme for theme in chosen if theme.is_active]
        return list(Theme.objects.active())

    # --- validation ----------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        self.venue_key = (self.venue_key or "").strip()
        if self.venue_key:
            venue = venues.find(self.venue_key)
            if venue is not None:
                self.copy_venue(venue)
            # A venue that has gone keeps its stored copy of the address.
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The forum must end after it starts. Check the end date and time.")
        if self.registration_deadline and self.start and self.registration_deadline > self.start:
            errors["registration_deadline"] = _(
                "The registration deadline must not be after the forum starts."
            )
        if self.capacity is not None and self.pk:
            confirmed = self.confirmed_count()
            if self.capacity < confirmed:
                errors["capacity"] = ngettext_lazy(
                    "%(count)s person is already registered, so the capacity cannot be less "
                    "than %(count)s. Cancel registrations in the attendee list first.",
                    "%(count)s people are already registered, so the capacity cannot be less "
                    "than %(count)s. Cancel registrations in the attendee list first.",
                    confirmed,
                ) % {"count": confirmed}
        if self.format in (self.IN_PERSON, self.HYBRID) and not self.venue_name.strip():
            errors["venue_name"] = _("Enter the venue's name: this forum meets in person.")
        if self.venue_postcode.strip():
            self._clean_venue_postcode(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_venue_postcode(self, errors):
        try:
            self.venue_postcode = normalise_postcode(self.venue_postcode)
        except PostcodeError as exc:
            errors["venue_postcode"] = exc.message
            return
        stored = (ForumEventPage.objects.filter(pk=self.pk)
                  .values("venue_postcode", "venue_latitude", "venue_longitude").first()
                  if self.pk else None)
        if (stored and stored["venue_postcode"] != self.venue_postcode
                and (stored["venue_latitude"], stored["venue_longitude"])
                == (self.venue_latitude, self.venue_longitude)):
            # A new postcode with the old coordinates: place the venue afresh.
            self.venue_latitude = self.venue_longitude = None
        if self.venue_latitude is None or self.venue_longitude is None:
            try:
                location = geocode(self.venue_postcode)
            except PostcodeError as exc:
                if exc.code not in ("not_found", "outside"):
                    errors["venue_postcode"] = exc.message
                return  # an address we cannot place is still a good address
            self.venue_latitude, self.venue_longitude = location.latitude, location.longitude

    def save(self, *args, **kwargs):
        self.venue_neighbourhood_id = self._locate_venue()
        super().save(*args, **kwargs)

    def _locate_venue(self):
        if self.venue_latitude is None or self.venue_longitude is None:
            return None
        return get_locator().locate(self.venue_latitude, self.venue_longitude)

    # --- serving -------------------------------------------------------------------------

    @path("")
    def index_route(self, request):
        from .. import views

        return views.event_page(request, self)


class ForumVoteTally(Orderable):
    """The dots a theme got in the room, entered by an officer after the forum."""

    page = ParentalKey(ForumEventPage, on_delete=models.CASCADE, related_name="vote_tallies")
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT,
                              related_name="+")
    dots = models.PositiveIntegerField(_("dots"))

    panels = [FieldRowPanel([FieldPanel("theme"), FieldPanel("dots")])]

    class Meta(Orderable.Meta):
        verbose_name = _("dot-vote tally")
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["page", "theme"],
                                               name="forums_one_tally_per_theme")]


class YouSaidWeDid(TranslatableMixin, Orderable):
    """What residents said at the forum and what was done because of it.

    Translatable: wagtail-localize offers "you said" and "we did" to translators; the theme
    follows the source (docs/languages.md, "Sync policy")."""

    page = ParentalKey(ForumEventPage, on_delete=models.CASCADE, related_name="you_said_we_did")
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    you_said = models.TextField(_("you said"))
    we_did = models.TextField(_("we did"), blank=True,
                              help_text=_("Leave empty while the action is still being decided."))

    override_translatable_fields = [SynchronizedField("theme", overridable=False)]

    panels = [FieldPanel("theme"), FieldPanel("you_said"), FieldPanel("we_did")]

    class Meta(Orderable.Meta):
        verbose_name = _("you said, we did")
        verbose_name_plural = _("you said, we did")
        unique_together = [("translation_key", "locale")]
        ordering = ["sort_order", "pk"]
