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

        from .models import SurveyPage

        page_published.connect(_sync_on_publish, sender=SurveyPage,
                               dispatch_uid="surveys.sync_registry")
        _connect_results_cache()


def _connect_results_cache():
    """Cached results go stale when a response, answer or comment coding changes."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import Answer, CommentCoding, Response

    # Answers and codings are deleted only with their response, which is enough: listening to
    # their deletion as well would make deleting a survey load every answer row.
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_survey_changed, sender=Response,
                       dispatch_uid=f"surveys.results_cache.response.{name}")
    post_save.connect(_survey_changed, sender=Answer, dispatch_uid="surveys.results_cache.answer")
    post_save.connect(_coding_changed, sender=CommentCoding,
                      dispatch_uid="surveys.results_cache.coding")
    m2m_changed.connect(_coding_changed, sender=CommentCoding.themes.through,
                        dispatch_uid="surveys.results_cache.coding_themes")


def _survey_changed(sender, instance, **kwargs):
    from . import services

    services.results_changed(instance.survey_id)


def _coding_changed(sender, instance, **kwargs):
    from . import services
    from .models import Answer

    answer_id = getattr(instance, "answer_id", None)  # None when changed from the theme's side
    survey_id = (Answer.objects.filter(pk=answer_id).values_list("survey_id", flat=True).first()
                 if answer_id else None)
    if survey_id:
        services.results_changed(survey_id)


def _sync_on_publish(sender, instance, **kwargs):
    """Keep the question registry in step with the live revision."""
    from . import services
    from .models import SurveyPage

    services.sync_registry(SurveyPage.objects.get(pk=instance.pk))
