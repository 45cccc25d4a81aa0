from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project package: base templates, static files, system checks and site-wide commands."""

    name = "portal"
    label = "portal"
    verbose_name = _("Neighbourhood portal")

    def ready(self):
        from . import checks  # noqa: F401
