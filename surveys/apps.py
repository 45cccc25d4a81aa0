from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """'Have your say' surveys: questions, responses, results and the evidence they give."""

    name = "surveys"
    label = "surveys"
    # Models shown on cached public page parts: saving one moves the content version on
    # (portal/neighbourhoods/content_cache.py).
    shown_on_public_pages = {"question", "option"}
    verbose_name = _("Surveys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # imports the models, so only once the registry is ready

        signals.connect()
