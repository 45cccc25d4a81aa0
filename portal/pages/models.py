from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page, Site
from wagtail.search import index

from portal import extension_points
from portal.blocks import BodyBlock, KeyFactBlock
from portal.neighbourhoods import sections
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import validate_hex_colour

from . import services


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    """Branding and the pages every footer links to, set per site in the Wagtail admin."""

    site_name = models.CharField(_("site name"), max_length=80, default="Neighbourhood portal")
    organisation_name = models.CharField(
        _("organisation"), max_length=120, blank=True,
        help_text=_("The council or partnership that runs the portal, shown in the footer."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    brand_colour = models.CharField(
        _("brand colour"), max_length=7, default="#1d4f7c", validators=[validate_hex_colour],
        help_text=_(
            "Header background. Choose a dark colour: white text must stay readable on it."
        ),
    )
    brand_text_colour = models.CharField(
        _("brand text colour"), max_length=7, default="#ffffff", validators=[validate_hex_colour]
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("accessibility statement"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("privacy notice"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldPanel("organisation_name"), FieldPanel("logo"),
             FieldPanel("brand_colour"), FieldPanel("brand_text_colour")],
            heading=_("Branding"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("accessibility_page"),
             FieldPanel("privacy_page")],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("portal settings")

    def clean(self):
        super().clean()
        if services.contrast_ratio(self.brand_colour, self.brand_text_colour) < 4.5:
            raise ValidationError({"brand_text_colour": _(
                "The text colour does not stand out enough against the brand colour "
                "(contrast %(ratio).1f:1; at least 4.5:1 is needed for WCAG AA)."
            ) % {"ratio": services.contrast_ratio(self.brand_colour, self.brand_text_colour)}})


class HomePage(Page):
    """The site's front page: introduction, neighbourhood map and list, and what's on."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    # No subpage_types: feature apps' index pages name HomePage as their parent, so the core
    # does not have to name them (dependencies point up, never down).
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Route as usual; a page that has no copy in this home page's language yet is served
        from the default language's tree, so a Welsh link never ends in "page not found".

        base.html marks such a page's content with its own language and says it is not
        translated yet; the interface around it stays in the reader's language.
        """
        try:
            return super().route(request, path_components)
        except Http404:
            source = self.untranslated_fallback_home()
            if source is None or not path_components:
                raise
            return source.route(request, path_components)

    def untranslated_fallback_home(self):
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return None
        home = self.get_translation_or_none(default)
        return home.specific if home is not None else None

    @cached_property
    def neighbourhood_index(self):
        return NeighbourhoodIndexPage.objects.child_of(self).live().first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        neighbourhood_pages = services.neighbourhood_pages(serving_site(self, request))
        context["neighbourhood_pages"] = neighbourhood_pages
        context["map_data"] = services.map_data(neighbourhood_pages, request)
        context["neighbourhood_index"] = self.neighbourhood_index
        context["whats_on"] = extension_points.whats_on(request)
        return context


def serving_site(page, request):
    """The site the request is for, as Wagtail's routing already found it (its root page
    loaded), else the page's own: two queries fewer than `page.get_site()`."""
    site = Site.find_for_request(request) if request is not None else None
    return site if site is not None else page.get_site()


class IndexPage(Page):
    """A section's front page, one per home page: an introduction above its listing.

    Neighbourhoods, surveys, forums and locality plans each have one; a concrete index sets
    `subpage_types` and its verbose name and builds its listing in `get_context`."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["pages.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Route as usual, but when this index allows one page type below it (and it has no
        subtypes), fetch the child as that type in one query rather than two."""
        child_types = type(self).allowed_subpage_models()
        if not path_components or len(child_types) != 1 or child_types[0].__subclasses__():
            return super().route(request, path_components)
        model = child_types[0]
        try:
            subpage = model.objects.child_of(self).get(slug=path_components[0])
        except model.DoesNotExist as error:
            raise Http404 from error
        subpage._cached_parent_obj = self
        return subpage.route(request, path_components[1:])


class NeighbourhoodIndexPage(IndexPage):
    """Every neighbourhood, on a map and in a list, and 'find your neighbourhood' by postcode."""

    subpage_types = ["pages.NeighbourhoodPage"]

    class Meta:
        verbose_name = _("neighbourhood index page")

    def serve(self, request, *args, **kwargs):
        if "postcode" in request.GET:
            result = services.find_by_postcode(request.GET["postcode"],
                                               serving_site(self, request))
            if result.page is not None:
                return redirect(result.page.get_url(request))
            request.postcode_lookup = result
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        neighbourhood_pages = services.neighbourhood_pages(serving_site(self, request))
        context["neighbourhood_pages"] = neighbourhood_pages
        context["map_data"] = services.map_data(neighbourhood_pages, request)
        context["postcode_lookup"] = getattr(request, "postcode_lookup", None)
        return context


class NeighbourhoodPage(Page):
    """One neighbourhood: its boundary, description, key facts and the sections features add."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("neighbourhood"), on_delete=models.PROTECT,
        related_name="pages",
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown in lists."),
    )
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    key_facts = StreamField(
        [("fact", KeyFactBlock())], verbose_name=_("key facts"), blank=True,
    )
    body = StreamField(BodyBlock(), verbose_name=_("more about this neighbourhood"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("neighbourhood"), FieldPanel("summary"), FieldPanel("description"),
        FieldPanel("key_facts"), FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"), index.SearchField("description"),
    ]
    parent_page_types = ["pages.NeighbourhoodIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("neighbourhood page")

    def clean(self):
        super().clean()
        # One page per neighbourhood in each language (the locale lives on the parent table, so
        # a database constraint cannot express it).
        others = NeighbourhoodPage.objects.filter(
            neighbourhood_id=self.neighbourhood_id, locale_id=self.locale_id
        ).exclude(pk=self.pk)
        if self.neighbourhood_id and others.exists():
            raise ValidationError({"neighbourhood": _(
                "%(neighbourhood)s already has a page in this language."
            ) % {"neighbourhood": self.neighbourhood}})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The neighbourhood with what the template shows of it (locality, deprivation) at once.
        self.neighbourhood = Neighbourhood.objects.select_related("locality", "need").get(
            pk=self.neighbourhood_id)
        context["map_data"] = services.map_data([self], request, focus=True)
        # Rendered once per content version (portal/neighbourhoods/sections.py).
        context["neighbourhood_sections"] = sections.neighbourhood_sections(
            self.neighbourhood, request
        )
        return context


class StandardPage(Page):
    """A content page: about, accessibility statement, privacy notice, how we use your views."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"), index.SearchField("body"),
    ]
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("standard page")

