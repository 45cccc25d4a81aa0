"""What surveys offer the site search (registered under `extension_points.SEARCH_PROVIDERS`):
live public surveys in the active language, by their title, introduction, questions and
options, and their "what we heard / what we decided" once results are published. Nobody's
answers are ever searched."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from portal.search.hits import SearchHit, SearchQuery
from portal.search.matching import rank_by_terms

from .models import Option, Question, SurveyPage

TITLE, NAMES, TEXT = 10.0, 4.0, 1.0
LOOKUPS = ("title", "introduction")


def _public_questions():
    return Question.objects.filter(retired=False).exclude(kind=Question.EQUALITY)


def _question_extra(term: str):
    questions = _public_questions().filter(
        Q(label__icontains=term) | Q(help_text__icontains=term), survey=OuterRef("pk"))
    options = Option.objects.filter(
        question__in=_public_questions(), retired=False, label__icontains=term,
        question__survey=OuterRef("pk"))
    outcomes = Q(results_published=True) & (Q(outcome_heard__icontains=term)
                                            | Q(outcome_decided__icontains=term))
    return Q(Exists(questions)) | Q(Exists(options)) | outcomes


def status_text(survey, now=None) -> str:
    status = survey.status(now)
    if status == "open":
        return _("Open until %(date)s") % {
            "date": date_format(timezone.localtime(survey.closes_at), "j F Y")}
    if status == "not_open":
        return _("Opens %(date)s") % {
            "date": date_format(timezone.localtime(survey.opens_at), "j F Y")}
    return _("Closed")


class SurveySearchProvider:
    kind = "survey"
    label = gettext_lazy("Surveys")
    page_models = (SurveyPage,)

    def surveys(self, neighbourhood=None):
        surveys = SurveyPage.objects.live().public().filter(locale=Locale.get_active())
        if neighbourhood is not None:
            surveys = surveys.filter(pk__in=SurveyPage.objects.for_neighbourhood(
                neighbourhood).values("pk"))
        return surveys

    def search(self, query: SearchQuery) -> list[SearchHit]:
        """Surveys with any of the terms in their public text, questions or options."""
        found = list(rank_by_terms(self.surveys(query.neighbourhood).order_by("-closes_at"),
                                   query.terms, LOOKUPS, _question_extra, query.limit)
                     .prefetch_related("neighbourhoods"))
        wording = self._wording([survey.pk for survey in found])
        return [self.hit(survey, wording.get(survey.pk, []), query.request)
                for survey in found]

    def _wording(self, survey_ids) -> dict[int, list[str]]:
        """Each survey's public questions and options, in order."""
        wording: dict[int, list[str]] = {}
        for survey_id, label, help_text in (_public_questions()
                                            .filter(survey_id__in=survey_ids)
                                            .values_list("survey_id", "label", "help_text")):
            wording.setdefault(survey_id, []).append(f"{label} {help_text}".strip())
        for survey_id, label in (Option.objects.filter(
                question__in=_public_questions().filter(survey_id__in=survey_ids),
                retired=False).values_list("question__survey_id", "label")):
            wording.setdefault(survey_id, []).append(label)
        return wording

    def hit(self, survey, wording: list[str], request=None) -> SearchHit:
        names = ", ".join(n.name for n in survey.neighbourhoods.all()) or _("Whole area")
        fields = [(survey.title, TITLE), (survey.introduction, TEXT)]
        fields += [(text, NAMES) for text in wording]
        if survey.results_published:
            fields += [(survey.outcome_heard, TEXT), (survey.outcome_decided, TEXT)]
        return SearchHit(
            key=f"page:{survey.pk}", kind=self.kind, title=survey.title,
            url=survey.get_url(request) or "", fields=fields, snippet=survey.introduction,
            extracts=wording,
            meta=f"{status_text(survey)} · {names}",
        )

    def vocabulary(self):
        yield from self.surveys().values_list("title", flat=True)[:2000]
        yield from (Option.objects.filter(question__in=_public_questions(), retired=False,
                                          question__survey__live=True)
                    .values_list("label", flat=True).distinct()[:5000])


provider = SurveySearchProvider()
