from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeprivationConfig(AppConfig):
    name = "portal.deprivation"
    label = "deprivation"
    verbose_name = _("Deprivation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
