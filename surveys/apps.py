from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """'Have your say' surveys: questions, responses, results and the evidence they give."""

    name = "surveys"
    label = "surveys"
    verbose_name = _("Surveys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from portal.accounts.services import register_personal_data
        from portal.pages.services import register_neighbourhood_section, register_whats_on

        from . import services
        from .models import SurveyPage

        register_whats_on(services.whats_on)
        register_neighbourhood_section(services.neighbourhood_section)
        register_personal_data("survey_responses", services.personal_data)
        page_published.connect(_sync_on_publish, sender=SurveyPage,
                               dispatch_uid="surveys.sync_registry")


def _sync_on_publish(sender, instance, **kwargs):
    """Keep the question registry in step with the live revision."""
    from . import services
    from .models import SurveyPage

    services.sync_registry(SurveyPage.objects.get(pk=instance.pk))
