from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.search import index

from .geometry import Boundary, BoundaryError, parse_boundary

SLUG_MAX_LENGTH = 120


class Locality(index.Indexed, models.Model):
    """A named group of neighbourhoods, such as Gateshead's "South" locality."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    code = models.CharField(_("code"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("code"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("locality")
        verbose_name_plural = _("localities")

    def __str__(self):
        return self.name


def unique_slug(name: str, fallback: str, is_taken: Callable[[str], bool]) -> str:
    """slugify(name) (or of `fallback` when the name has no Latin letters), numbered if taken."""
    base = (slugify(name) or slugify(fallback) or "neighbourhood")[:SLUG_MAX_LENGTH]
    slug, number = base, 1
    while is_taken(slug):
        number += 1
        suffix = f"-{number}"
        slug = base[: SLUG_MAX_LENGTH - len(suffix)] + suffix
    return slug


class NeighbourhoodQuerySet(models.QuerySet):
    def containing_bbox_point(self, lat, lng):
        """Neighbourhoods whose bounding box holds the point (a cheap pre-filter)."""
        return self.filter(
            bbox_min_lat__lte=lat, bbox_max_lat__gte=lat,
            bbox_min_lng__lte=lng, bbox_max_lng__gte=lng,
        )

    def available_slug(self, name: str, fallback: str = "", exclude_pk=None) -> str:
        """A slug for `name` that no other neighbourhood uses: "harlesden", "harlesden-2", ..."""
        others = self.exclude(pk=exclude_pk) if exclude_pk is not None else self.all()
        return unique_slug(name, fallback, lambda slug: others.filter(slug=slug).exists())


class Neighbourhood(index.Indexed, models.Model):
    """A named area with a boundary; every survey answer, forum, asset and plan is tied to one."""

    locality = models.ForeignKey(
        Locality, verbose_name=_("locality"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="neighbourhoods",
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True)
    code = models.CharField(
        _("code"), max_length=40, unique=True,
        help_text=_(
            "A stable identifier such as the ONS ward code (E05000091). Imports match on it."
        ),
    )
    boundary = models.JSONField(
        _("boundary"),
        help_text=_("A GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude."),
    )
    centroid_lat = models.FloatField(editable=False, default=0)
    centroid_lng = models.FloatField(editable=False, default=0)
    bbox_min_lng = models.FloatField(editable=False, default=0)
    bbox_min_lat = models.FloatField(editable=False, default=0)
    bbox_max_lng = models.FloatField(editable=False, default=0)
    bbox_max_lat = models.FloatField(editable=False, default=0)
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True,
        help_text=_("Residents living here, used to show who has and has not taken part."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeighbourhoodQuerySet.as_manager()

    panels = [
        FieldPanel("name"), FieldPanel("slug"), FieldPanel("code"), FieldPanel("locality"),
        FieldPanel("population"),
        HelpPanel(content=_(
            "To load many boundaries at once, use Neighbourhoods → Import boundaries."
        )),
        FieldPanel("boundary"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("code"),
                     index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.set_boundary(parse_boundary(self.boundary))
        if not self.slug:
            self.slug = Neighbourhood.objects.available_slug(self.name, self.code, self.pk)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        try:
            parsed = parse_boundary(self.boundary)
        except BoundaryError as exc:
            raise ValidationError({"boundary": exc.message}, code=exc.code) from exc
        self.boundary = parsed.geojson
        if not self.slug and self.name:
            self.slug = Neighbourhood.objects.available_slug(self.name, self.code, self.pk)

    def set_boundary(self, parsed: Boundary) -> None:
        """Store a parsed boundary with the centroid and bounding box derived from it."""
        self.boundary = parsed.geojson
        self.centroid_lat, self.centroid_lng = parsed.centroid
        (self.bbox_min_lng, self.bbox_min_lat, self.bbox_max_lng, self.bbox_max_lat) = parsed.bbox

    @property
    def bbox(self):
        return (self.bbox_min_lng, self.bbox_min_lat, self.bbox_max_lng, self.bbox_max_lat)


class Postcode(models.Model):
    """A row of the offline postcode table (imported from the ONS Postcode Directory)."""

    postcode = models.CharField(_("postcode"), max_length=8, primary_key=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    terminated = models.BooleanField(
        _("terminated"), default=False,
        help_text=_("No longer in use, kept so old addresses resolve."),
    )

    class Meta:
        ordering = ["postcode"]
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")

    def __str__(self):
        return self.postcode
