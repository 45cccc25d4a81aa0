"""Organisations, the community assets they run (with services, hours and access), moderation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.search import index

from portal.neighbourhoods.models import Neighbourhood
from portal.neighbourhoods.services import get_locator
from portal.pages.models import IndexPage
from portal.themes.models import Theme
from portal.validators import validate_name

from .categories import AssetCategory, in_default_locale
from .querysets import (
    STALE_AFTER_DAYS,
    AssetQuerySet,
    JoinRequestQuerySet,
    OrganisationQuerySet,
    name_key,
)

# Metres per degree of latitude; a degree of longitude is this times cos(latitude).
METRES_PER_DEGREE = 111_320


def unique_slug(model, name: str, exclude_pk=None, max_length=120) -> str:
    """slugify(name), numbered if another row of `model` has it."""
    base = (slugify(name) or "item")[:max_length - 6]
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    slug, number = base, 1
    while others.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class Organisation(models.Model):
    """A voluntary, community or public body that runs assets and services.

    One registered on the site is unverified until an officer checks it once
    (`verification.verify`); until then none of its assets can be published.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, validators=[validate_name])
    # The name without case, spaces, punctuation or words like "The", "Ltd", "CIC", "Trust":
    # equal keys are likely duplicates (querysets.name_key).
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    charity_number = models.CharField(_("charity number"), max_length=20, blank=True)
    company_number = models.CharField(_("company number"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    public_email = models.EmailField(
        _("public email"), blank=True,
        help_text=_("An address for the organisation, not a person's own. It is published."),
    )
    public_phone = models.CharField(_("public phone"), max_length=40, blank=True)
    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganisationMembership", related_name="organisations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"),
                                    null=True, blank=True, editable=False,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    # Slugs that would clash with the self-service URLs (/organisations/new/, ...).
    RESERVED_SLUGS = {"new", "join", "still-correct", "invitations"}

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organisation, self.name, self.pk)
            if self.slug in self.RESERVED_SLUGS:
                self.slug = unique_slug(Organisation, f"{self.name} organisation", self.pk)
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def role_of(self, user) -> str | None:
        """The person's role here ("owner" or "editor"), or None if they are not a member."""
        if not user.is_authenticated:
            return None
        membership = self.memberships.filter(user=user).first()
        return membership.role if membership else None


class OrganisationMembership(models.Model):
    OWNER, EDITOR = "owner", "editor"
    ROLE_CHOICES = [(OWNER, _("Owner")), (EDITOR, _("Editor"))]

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="organisation_memberships")
    role = models.CharField(_("role"), max_length=10, choices=ROLE_CHOICES, default=EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"],
                                               name="one_membership_per_person")]
        verbose_name = _("organisation membership")

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.role})"


ACCESSIBILITY_FEATURES = [
    ("step_free_access", _("Step-free access")),
    ("accessible_toilet", _("Accessible toilet")),
    ("hearing_loop", _("Hearing loop")),
    ("bsl", _("British Sign Language (BSL)")),
]


class Asset(index.Indexed, models.Model):
    """A place or service that helps people: a library, a community centre, a food bank, a hub."""

    DRAFT, PENDING, PUBLISHED, REJECTED, ARCHIVED = (
        "draft", "pending", "published", "rejected", "archived")
    STATUS_CHOICES = [
        (DRAFT, _("Draft")), (PENDING, _("Waiting for moderation")), (PUBLISHED, _("Published")),
        (REJECTED, _("Rejected")), (ARCHIVED, _("Archived")),
    ]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, validators=[validate_name])
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(AssetCategory, verbose_name=_("category"),
                                 on_delete=models.PROTECT, related_name="assets",
                                 limit_choices_to=in_default_locale)
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="assets")
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="assets",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True,
                                    related_name="assets")
    hours_notes = models.CharField(_("notes on opening hours"), max_length=300, blank=True)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    bsl = models.BooleanField(_("British Sign Language (BSL)"), default=False)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    public_email = models.EmailField(_("public email"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_hub = models.BooleanField(
        _("hub"), default=False,
        help_text=_("Several organisations' services are co-located here."),
    )
    colocated_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("co-located organisations"), blank=True,
        related_name="hosted_at",
    )
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES, default=DRAFT)
    last_verified = models.DateField(_("last checked"), null=True, blank=True)
    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    geojson_feature = models.TextField(default="", editable=False)  # features.py keeps it

    objects = AssetQuerySet.as_manager()

    panels = [
        FieldPanel("name"), FieldPanel("summary"), FieldPanel("description"),
        FieldPanel("category"), FieldPanel("organisation"), FieldPanel("address"),
        FieldPanel("postcode"), FieldPanel("latitude"), FieldPanel("longitude"),
        FieldPanel("themes"), FieldPanel("is_hub"), FieldPanel("colocated_organisations"),
        FieldPanel("status"), FieldPanel("last_verified"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("summary"),
                     index.SearchField("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        permissions = [("moderate_asset", "Can moderate and merge community assets")]
        indexes = [models.Index(fields=["status", "latitude", "longitude"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Asset, self.name, self.pk)
        self.neighbourhood_id = locate(self.latitude, self.longitude)
        super().save(*args, **kwargs)

    @property
    def is_stale(self) -> bool:
        if self.last_verified is None:
            return True
        return (timezone.localdate() - self.last_verified).days > STALE_AFTER_DAYS

    @property
    def accessibility(self) -> list[str]:
        return [str(label) for name, label in ACCESSIBILITY_FEATURES if getattr(self, name)]

    @property
    def distance_m(self) -> int | None:
        distance_sq = getattr(self, "distance_sq", None)
        if distance_sq is None:
            return None
        return round(distance_sq ** 0.5 * METRES_PER_DEGREE)

    @cached_property
    def directions_url(self) -> str:
        return ("https://www.openstreetmap.org/directions?to="
                f"{self.latitude:.6f}%2C{self.longitude:.6f}")


def locate(lat, lng) -> int | None:
    """The id of the neighbourhood covering a point, or None."""
    if lat is None or lng is None:
        return None
    return get_locator().locate(float(lat), float(lng))


class Service(models.Model):
    """Something offered at an asset, possibly by another (co-located) organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="services")
    organisation = models.ForeignKey(Organisation, verbose_name=_("provided by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="services")
    name = models.CharField(_("service name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    eligibility = models.CharField(_("who it is for"), max_length=300, blank=True)
    cost = models.CharField(_("cost"), max_length=200, blank=True)
    how_to_access = models.CharField(_("how to access it"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("service")

    def __str__(self):
        return self.name


WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
            (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))]


class OpeningHours(models.Model):
    """One opening period on one weekday."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [models.CheckConstraint(condition=Q(closes__gt=F("opens")),
                                              name="closes_after_opening")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("The closing time must be after the opening time.")})


class AssetPhoto(models.Model):
    """One photo of an asset, in a gallery; alt text is required unless it is decorative."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("image"),
                              on_delete=models.CASCADE, related_name="+")
    alt_text = models.CharField(_("description for people who cannot see it"), max_length=250,
                                blank=True)
    decorative = models.BooleanField(_("decorative only"), default=False)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("asset photo")
        verbose_name_plural = _("asset photos")
        constraints = [models.CheckConstraint(condition=Q(decorative=True) | ~Q(alt_text=""),
                                              name="photo_alt_text_unless_decorative")]

    def __str__(self):
        return self.alt_text or self.caption or str(self.image)

    @property
    def alt(self) -> str:
        """What goes in the img alt attribute: empty for a decorative photo."""
        return "" if self.decorative else self.alt_text


class Submission(models.Model):
    """A proposed version of an asset. A draft (an edit of a published asset that its
    organisation is still previewing) is not in the queue yet; a pending one waits for an
    officer. The live asset is untouched either way."""

    DRAFT, PENDING, APPROVED, REJECTED, WITHDRAWN = (
        "draft", "pending", "approved", "rejected", "withdrawn")
    STATUS_CHOICES = [(DRAFT, _("Not sent yet")), (PENDING, _("Waiting")),
                      (APPROVED, _("Approved")), (REJECTED, _("Rejected")),
                      (WITHDRAWN, _("Replaced"))]

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="submissions")
    data = models.JSONField()
    is_new = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="asset_submissions")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self):
        return f"{self.asset} ({self.get_status_display()})"


AUDIT_ACTIONS = {
    "created": _("created"),
    "draft saved": _("draft saved"),
    "submitted": _("submitted"),
    "edit saved": _("edit saved for preview"),
    "edit submitted": _("edit submitted"),
    "approved": _("approved"),
    "rejected": _("rejected"),
    "merged": _("merged"),
    "imported": _("imported"),
    "reminder sent": _("reminder sent"),
    "confirmed still correct": _("confirmed still correct"),
    "join requested": _("asked to join"),
    "join approved": _("request to join approved"),
    "join declined": _("request to join declined"),
    "organisation registered": _("organisation registered"),
    "organisation verified": _("organisation verified"),
    "member invited": _("invited someone to join"),
    "invitation accepted": _("invitation accepted"),
}


class AuditEvent(models.Model):
    """Who did what to an asset or an organisation, and when. `asset_name` keeps the name of
    the asset (or, for membership events, the organisation) in case it is deleted."""

    asset = models.ForeignKey(Asset, null=True, on_delete=models.SET_NULL, related_name="events")
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="events")
    asset_name = models.CharField(max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    # The person an event is about (who asked to join); cleared when their account goes.
    subject_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=30)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.asset_name}"

    @property
    def action_label(self) -> str:
        return str(AUDIT_ACTIONS.get(self.action, self.action))


class JoinRequest(models.Model):
    """Someone asking to become a member of an organisation; its owners decide."""

    PENDING, APPROVED, DECLINED = "pending", "approved", "declined"
    STATUS_CHOICES = [(PENDING, _("Waiting for an answer")), (APPROVED, _("Approved")),
                      (DECLINED, _("Declined"))]

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="organisation_join_requests")
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STATUS_CHOICES,
                              default=PENDING)
    role = models.CharField(_("role given"), max_length=10, blank=True,
                            choices=OrganisationMembership.ROLE_CHOICES)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("request to join an organisation")
        verbose_name_plural = _("requests to join an organisation")
        constraints = [models.UniqueConstraint(
            fields=["organisation", "user"], condition=Q(status="pending"),
            name="one_pending_join_request")]

    def __str__(self):
        return f"{self.user} → {self.organisation} ({self.status})"


class AssetMapPage(RoutablePageMixin, IndexPage):
    """The public map and list of community assets; each asset's page is a route below it.
    One per home page, so one per language."""

    subpage_types = []

    class Meta:
        verbose_name = _("asset map page")

    def get_sitemap_urls(self, request=None):
        """The page and every published asset's page."""
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        urls += [{"location": f"{base}{slug}/", "lastmod": updated}
                 for slug, updated in Asset.objects.published().order_by("slug")
                 .values_list("slug", "updated_at")]
        return urls

    @path("")
    def index_route(self, request):
        from . import views

        return views.asset_map_page(request, self)

    @path("<slug:slug>/")
    def asset_route(self, request, slug):
        from . import views

        return views.asset_detail(request, self, slug)
