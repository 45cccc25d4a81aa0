"""What the asset map adds to the Wagtail admin (snippets, officers' views, menu items) and
to the core's extension points (portal.extension_points)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal import extension_points
from portal.admin_menu import PermissionMenuItem

from . import admin_views, search_provider, sections, venues, verification
from .models import Asset, AssetCategory, Organisation

hooks.register(extension_points.NEIGHBOURHOOD_SECTION, sections.neighbourhood_assets)
hooks.register(extension_points.VENUE_PROVIDERS, venues.provider)
hooks.register(extension_points.ORGANISATION_PROVIDERS, venues.organisation_provider)
hooks.register(extension_points.SEARCH_PROVIDERS, search_provider.assets)
hooks.register(extension_points.SEARCH_PROVIDERS, search_provider.organisations)


@hooks.register("after_create_snippet")
def verify_organisations_officers_add(request, instance):
    """An organisation an officer adds in the admin needs no second check."""
    if isinstance(instance, Organisation) and \
            request.user.has_perm("assets_map.verify_organisation"):
        verification.verify(instance, request.user)


@hooks.register(extension_points.PERSONAL_DATA)
def personal_data(user):
    return {"community_assets": sections.personal_data(user)}


class AssetViewSet(SnippetViewSet):
    model = Asset
    icon = "site"
    list_display = ["name", "category", "organisation", "neighbourhood", "status",
                    "last_verified"]
    list_filter = ["status", "category", "is_hub"]
    search_fields = ["name"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "charity_number", "website", "verified_at"]
    search_fields = ["name"]


class AssetCategoryViewSet(SnippetViewSet):
    model = AssetCategory
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]


class AssetMapGroup(SnippetViewSetGroup):
    menu_label = _("Community assets")
    menu_icon = "site"
    menu_order = 250
    items = (AssetViewSet, OrganisationViewSet, AssetCategoryViewSet)


register_snippet(AssetMapGroup)

admin_urls = [
    path("moderation/", admin_views.queue, name="queue"),
    path("moderation/<id:pk>/", admin_views.decide, name="decide"),
    path("organisations/<id:pk>/verify/", admin_views.verify_organisation,
         name="verify_organisation"),
    path("merge/", admin_views.merge, name="merge"),
    path("gaps/", admin_views.gaps, name="gaps"),
    path("audit/", admin_views.audit, name="audit"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("assets-map/", include((admin_urls, "assets_map_admin")))]



@hooks.register("register_admin_menu_item")
def moderation_menu_item():
    return PermissionMenuItem(_("Asset moderation"), reverse("assets_map_admin:queue"),
                              icon_name="tasks", order=251,
                              permission="assets_map.moderate")


@hooks.register("register_admin_menu_item")
def gaps_menu_item():
    return PermissionMenuItem(_("Asset gaps"), reverse("assets_map_admin:gaps"),
                              icon_name="table", order=252, permission="assets_map.view_gaps")
