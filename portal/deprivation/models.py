"""Deprivation by statistical area (LSOA) and its population-weighted summary per neighbourhood."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The English Indices of Deprivation 2019 rank 32,844 LSOAs; rank 1 is the most deprived.
AREA_COUNT = 32_844
DOMAIN_KEYS = (
    "income", "employment", "education", "health", "crime", "housing", "living_environment",
)


class StatisticalArea(models.Model):
    """A Lower Layer Super Output Area with its boundary, population and IMD 2019 ranks."""

    code = models.CharField(_("code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=120)
    geometry = models.JSONField(
        _("boundary"),
        help_text=_("A GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude."),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    imd_rank = models.PositiveIntegerField(
        _("IMD rank"), help_text=_("1 is the most deprived of England's 32,844 areas."),
    )
    imd_decile = models.PositiveSmallIntegerField(
        _("IMD decile"), help_text=_("1 is the most deprived tenth of England."),
    )
    domains = models.JSONField(_("domains"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("statistical area")
        verbose_name_plural = _("statistical areas")

    def __str__(self):
        return f"{self.code} {self.name}"


class NeighbourhoodNeed(models.Model):
    """Deprivation of one neighbourhood, aggregated from the areas it overlaps (see aggregation)."""

    neighbourhood = models.OneToOneField(
        "neighbourhoods.Neighbourhood", on_delete=models.CASCADE, related_name="need",
        verbose_name=_("neighbourhood"),
    )
    population = models.PositiveIntegerField(_("population"), default=0)
    imd_rank = models.FloatField(_("population-weighted mean IMD rank"))
    imd_decile = models.PositiveSmallIntegerField(_("IMD decile"))
    domains = models.JSONField(_("domains"), default=dict, blank=True)
    quintile_population = models.JSONField(_("people by national IMD quintile"), default=dict)
    areas = models.JSONField(_("statistical areas"), default=list)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        ordering = ["neighbourhood__name"]
        verbose_name = _("neighbourhood need")
        verbose_name_plural = _("neighbourhood needs")

    def __str__(self):
        return str(self.neighbourhood)
