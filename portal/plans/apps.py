from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "portal.plans"
    label = "plans"
    verbose_name = _("Locality plans")
    default_auto_field = "django.db.models.BigAutoField"
