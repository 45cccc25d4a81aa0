import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_hex_colour(value):
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            _("Enter a colour as # followed by six hexadecimal digits, like #1d70b8.")
        )


class ThemeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Theme(index.Indexed, models.Model):
    """One entry of the shared taxonomy that makes surveys, forums, assets and plans comparable."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    colour = models.CharField(
        _("colour"), max_length=7, default="#1d70b8", validators=[validate_hex_colour],
        help_text=_("Used in charts and maps, for example #1d70b8."),
    )
    is_active = models.BooleanField(
        _("active"), default=True,
        help_text=_(
            "Retired themes stay attached to old answers but are not offered for new ones."
        ),
    )

    objects = ThemeQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"),
              FieldPanel("colour"), FieldPanel("is_active")]
    search_fields = [index.SearchField("name"), index.SearchField("description"),
                     index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name
