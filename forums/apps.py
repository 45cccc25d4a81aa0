from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    """Neighbourhood forums: events, registration, outcomes and the votes taken at them."""

    name = "forums"
    label = "forums"
    verbose_name = _("Forums")
    default_auto_field = "django.db.models.BigAutoField"
