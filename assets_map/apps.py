from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsMapConfig(AppConfig):
    """Community assets and hubs, the organisations that run them, and their open data."""

    name = "assets_map"
    label = "assets_map"
    verbose_name = _("Asset map")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.accounts.services import register_personal_data
        from portal.organisations import register_organisation_provider
        from portal.pages.services import register_neighbourhood_section
        from portal.venues import register_venue_provider

        from . import signals  # noqa: F401
        from .sections import neighbourhood_assets, personal_data
        from .venues import organisation_provider, provider

        register_neighbourhood_section(neighbourhood_assets)
        register_personal_data("community_assets", personal_data)
        register_venue_provider(provider)
        register_organisation_provider(organisation_provider)
