from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsMapConfig(AppConfig):
    """Community assets and hubs, the organisations that run them, and their open data."""

    name = "assets_map"
    label = "assets_map"
    # Models shown on cached public page parts: saving one moves the content version on
    # (portal/neighbourhoods/content_cache.py).
    shown_on_public_pages = {"asset", "assetcategory", "organisation", "service"}
    verbose_name = _("Asset map")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
