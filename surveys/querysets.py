"""Querysets of surveys' models: pages by where they are in their life and language,
question registries, and responses narrowed by the results filters."""

from django.apps import apps
from django.db import models
from django.utils import timezone
from wagtail.models import Locale
from wagtail.query import PageQuerySet


class SurveyPageQuerySet(PageQuerySet):
    """Surveys by where they are in their life (the same split as `SurveyPage.status`)."""

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def closed(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__lte=now)

    def for_neighbourhood(self, neighbourhood):
        """Surveys aimed at the neighbourhood, and those of the whole area."""
        return self.filter(models.Q(neighbourhoods=neighbourhood)
                           | models.Q(neighbourhoods__isnull=True)).distinct()

    def in_language(self, locale=None):
        """One page per survey: its translation in `locale` (default: the active language)
        where there is one, else the original."""
        locale = locale or Locale.get_active()
        translated = self.model.objects.live().filter(
            translation_key=models.OuterRef("translation_key"), locale=locale)
        earlier = self.model.objects.filter(translation_key=models.OuterRef("translation_key"),
                                            pk__lt=models.OuterRef("pk"))
        return self.filter(models.Q(locale=locale)
                           | (~models.Exists(earlier) & ~models.Exists(translated)))

    def pooled(self):
        """One page per survey: the one each translation family pools its answers into."""
        earlier = self.model.objects.filter(translation_key=models.OuterRef("translation_key"),
                                            pk__lt=models.OuterRef("pk"))
        return self.exclude(models.Exists(earlier))


class QuestionQuerySet(models.QuerySet):
    def answered_kinds(self, survey_id) -> dict:
        """{key: kind} of the survey's questions that have answers (their type is fixed)."""
        return dict(self.filter(survey_id=survey_id, answers__isnull=False)
                    .values_list("key", "kind").distinct())

    def known_labels(self, survey_id) -> dict:
        """key -> wording of the survey's questions and options as published, retired too."""
        options = apps.get_model("surveys", "Option").objects
        labels = dict(options.filter(question__survey_id=survey_id)
                      .values_list("key", "label")) if survey_id else {}
        labels.update(self.filter(survey_id=survey_id).values_list("key", "label"))
        return labels

    def conditions(self, survey_id) -> dict:
        """Conditions as last published: key -> (question key, option key, wording then)."""
        if not survey_id:
            return {}
        rows = (self.filter(survey_id=survey_id, show_if_option__isnull=False)
                .values_list("key", "show_if_option__question__key", "show_if_option__key",
                             "config"))
        return {key: (question_key, option_key, tuple((config or {}).get("show_if") or ()))
                for key, question_key, option_key, config in rows}


class ResponseQuerySet(models.QuerySet):
    def for_survey(self, survey):
        return self.filter(survey=survey)

    def flagged(self):
        """Likely duplicates, with the earlier response each may repeat."""
        return self.filter(duplicate_suspect=True).select_related("duplicate_of")

    def filtered(self, neighbourhood=None, channel=None, since=None, until=None, language=None):
        """Responses narrowed by the results filters (each optional)."""
        qs = self
        if neighbourhood:
            qs = qs.filter(neighbourhood=neighbourhood)
        if channel:
            qs = qs.filter(channel=channel)
        if language:
            qs = qs.filter(language=language)
        if since:
            qs = qs.filter(submitted_at__date__gte=since)
        if until:
            qs = qs.filter(submitted_at__date__lte=until)
        return qs
