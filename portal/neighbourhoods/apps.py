from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    name = "portal.neighbourhoods"
    label = "neighbourhoods"
    verbose_name = _("Neighbourhoods")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import content_cache, districts, signals  # noqa: F401  (districts: a check)

        content_cache.connect()
