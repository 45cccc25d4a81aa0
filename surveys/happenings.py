"""What surveys tell the "what's new" registry (`portal.happenings`, hook HAPPENINGS): a survey
opened, its results were published, its "you said, we did" was published.

Dates come from the page and Wagtail's publish log: a survey opened when it was both public and
past its opening time; its results and its outcome when the first published revision that had
them went live. Five queries whatever the number of surveys.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import happenings as registry

from .models import Option, Question, SurveyPage


def happenings(*, since=None) -> list[registry.Happening]:
    """The happenings of live, public surveys that have opened (all of them; the registry
    filters by `since`)."""
    now = timezone.now()
    surveys = list(SurveyPage.objects.live().public().filter(opens_at__lte=now)
                   .defer("sections", "background").select_related("locale")
                   .prefetch_related("neighbourhoods"))
    if not surveys:
        return []
    ids = [survey.pk for survey in surveys]
    history = registry.publish_history(
        ids, ["results_published", "outcome_heard", "outcome_decided"])
    themes = _themes(ids)
    cache = registry.UrlCache()
    items = []
    for survey in surveys:
        path = registry.page_path(survey, cache)
        if not path:
            continue
        common = {
            "title": survey.title, "language": survey.locale.language_code,
            "neighbourhood_ids": {n.pk for n in survey.neighbourhoods.all()},
            "theme_ids": themes.get(survey.pk, set()),
        }
        key = f"surveys:%s:{survey.translation_key}"
        published = history.get(survey.pk, [])
        items += _opened(survey, key, path, common)
        items += _results(survey, key, path, common, published)
        items += _outcome(survey, key, path, common, published)
    return items


def _themes(ids) -> dict[int, set[int]]:
    """Survey id -> the themes its questions and options are tagged with."""
    themes: dict[int, set[int]] = {}
    rows = list(Question.objects.filter(survey_id__in=ids, retired=False, theme__isnull=False)
                .values_list("survey_id", "theme_id"))
    rows += list(Option.objects.filter(question__survey_id__in=ids, retired=False,
                                       theme__isnull=False)
                 .values_list("question__survey_id", "theme_id"))
    for survey_id, theme_id in rows:
        themes.setdefault(survey_id, set()).add(theme_id)
    return themes


def _opened(survey, key, path, common) -> list[registry.Happening]:
    public_since = survey.first_published_at
    if public_since is None or public_since >= survey.closes_at:
        return []  # never open while it was public
    closes = date_format(timezone.localtime(survey.closes_at), "DATE_FORMAT")
    summary = registry.plain_summary(survey.introduction)
    return [registry.Happening(
        id=key % "opened", kind=registry.SURVEY_OPENED, url=path,
        happened_at=max(survey.opens_at, public_since),
        summary=" ".join(filter(None, [summary, _("Open until %(date)s.") % {"date": closes}])),
        **common)]


def _first(published, test):
    return next((item.at for item in published if test(item.fields)), None)


def _results(survey, key, path, common, published) -> list[registry.Happening]:
    if not survey.results_published:
        return []
    at = _first(published, lambda fields: fields.get("results_published") is True)
    return [registry.Happening(
        id=key % "results", kind=registry.RESULTS_PUBLISHED,
        url=path + survey.reverse_subpage("public_results"),
        happened_at=at or survey.last_published_at,
        summary=_("A summary of what people said in answer to this survey."), **common)]


def _outcome(survey, key, path, common, published) -> list[registry.Happening]:
    text = registry.plain_summary(survey.outcome_decided or survey.outcome_heard)
    if not text:
        return []
    at = _first(published, lambda fields: bool(registry.plain_summary(
        fields.get("outcome_decided") or fields.get("outcome_heard") or "")))
    return [registry.Happening(
        id=key % "you-said-we-did", kind=registry.YOU_SAID_WE_DID, url=path + "#outcome",
        happened_at=at or survey.last_published_at, summary=text, **common)]
