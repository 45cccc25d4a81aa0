from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrioritiesConfig(AppConfig):
    name = "portal.priorities"
    label = "priorities"
    verbose_name = _("Priorities")
    default_auto_field = "django.db.models.BigAutoField"
