"""Signal receivers: the registry follows the published revision, and cached results go stale
when a response, answer or comment coding changes. `SurveysConfig.ready` connects them."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published
from wagtail_localize.models import SourceDeletedError, Translation

from portal.neighbourhoods.models import Neighbourhood

from .models import Answer, CommentCoding, Response, SurveyPage
from .registry import sync_registry
from .results import results_changed


def connect() -> None:
    page_published.connect(sync_on_publish, sender=SurveyPage,
                           dispatch_uid="surveys.sync_registry")
    page_published.connect(follow_source_targeting, sender=SurveyPage,
                           dispatch_uid="surveys.follow_source_targeting")
    # Answers and codings are deleted only with their response, which is enough: listening to
    # their deletion as well would make deleting a survey load every answer row.
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(survey_changed, sender=Response,
                       dispatch_uid=f"surveys.results_cache.response.{name}")
    post_save.connect(survey_changed, sender=Answer, dispatch_uid="surveys.results_cache.answer")
    post_save.connect(coding_changed, sender=CommentCoding,
                      dispatch_uid="surveys.results_cache.coding")
    m2m_changed.connect(coding_changed, sender=CommentCoding.themes.through,
                        dispatch_uid="surveys.results_cache.coding_themes")


def sync_on_publish(sender, instance, **kwargs):
    """Keep the question registry in step with the live revision."""
    sync_registry(SurveyPage.objects.get(pk=instance.pk))


def follow_source_targeting(sender, instance, **kwargs):
    """A published translation targets the neighbourhoods of the source it was synced from.

    `neighbourhoods` is a synchronised field (docs/languages.md, "Sync policy") and
    wagtail-localize copies it on every sync, except when the source's is empty (a survey
    changed to the whole area): it copies no empty many-to-many value, so this does. Pages
    whose translation was converted to manual editing (`enabled=False`) are left alone.
    """
    translation = (Translation.objects.filter(
        source__object_id=instance.translation_key, target_locale_id=instance.locale_id,
        enabled=True).select_related("source").order_by("pk").first())
    if translation is None:
        return  # a source page, or one translated by hand
    try:
        wanted = {n.pk for n in translation.source.as_instance().neighbourhoods.all()}
    except SourceDeletedError:
        return  # the source page was deleted: the translation keeps what it has
    page = SurveyPage.objects.get(pk=instance.pk)
    if set(page.neighbourhoods.values_list("pk", flat=True)) != wanted:
        page.neighbourhoods.set(Neighbourhood.objects.filter(pk__in=wanted))
        page.neighbourhoods.commit()


def survey_changed(sender, instance, **kwargs):
    results_changed(instance.survey_id)


def coding_changed(sender, instance, **kwargs):
    answer_id = getattr(instance, "answer_id", None)  # None when changed from the theme's side
    survey_id = (Answer.objects.filter(pk=answer_id).values_list("survey_id", flat=True).first()
                 if answer_id else None)
    if survey_id:
        results_changed(survey_id)
