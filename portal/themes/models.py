import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from portal.translated_names import default_language_code
from portal.translated_snippets import DefaultLocaleRows

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_hex_colour(value):
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            _("Enter a colour as # followed by six hexadecimal digits, like #1d70b8.")
        )


class ThemeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_default_locale(self):
        """The themes themselves: one row per theme, without their translations."""
        return self.filter(locale__language_code=default_language_code())


class DefaultLocaleThemeManager(models.Manager.from_queryset(ThemeQuerySet)):
    """`Theme.objects`: only the default-locale rows, the ones every relation points at.

    A translation of a theme only gives its name and description in another language; code
    that lists, counts or links themes must never see it as a theme of its own."""

    def get_queryset(self):
        return super().get_queryset().in_default_locale()


class Theme(DefaultLocaleRows, TranslatableMixin, index.Indexed, models.Model):
    """One entry of the shared taxonomy that makes surveys, forums, assets and plans comparable.

    Translatable through wagtail-localize (name and description); the default-locale row is
    the theme, and the only row anything else refers to. `all_locales` (the default manager,
    which the snippet admin and wagtail-localize use) sees every translation; `objects` sees
    the default-locale rows only. Names in the reader's language: `portal.themes.names`."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
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

    all_locales = ThemeQuerySet.as_manager()
    objects = DefaultLocaleThemeManager()

    translatable_fields = [
        TranslatableField("name"), TranslatableField("description"),
        SynchronizedField("slug", overridable=False),
        SynchronizedField("colour", overridable=False),
        SynchronizedField("is_active", overridable=False),
    ]

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"),
              FieldPanel("colour"), FieldPanel("is_active")]
    search_fields = [index.SearchField("name"), index.SearchField("description"),
                     index.AutocompleteField("name"), index.FilterField("locale"),
                     index.FilterField("is_active")]
    # modelsearch's own updater fetches a saved row with `objects`, which cannot see a
    # translation; ThemesConfig.ready keeps the index up to date instead.
    search_auto_update = False

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["name", "locale"],
                                    name="themes_unique_name_per_locale"),
            models.UniqueConstraint(fields=["slug", "locale"],
                                    name="themes_unique_slug_per_locale"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def get_indexed_objects(cls):
        return cls.all_locales.all()
