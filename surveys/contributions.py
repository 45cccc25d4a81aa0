"""What surveys add to the core's pages, through the hooks in `portal.extension_points`.

Registered in `wagtail_hooks.py`: open surveys in the home page's "what's on" (WHATS_ON), a
"Have your say" section on neighbourhood pages (NEIGHBOURHOOD_SECTION) and a person's own
responses in "download your data" (PERSONAL_DATA).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .blocks import LIKERT_LABELS
from .models import Answer, Question, Response, SurveyPage


def open_surveys(neighbourhood=None):
    """Live, public surveys open now, soonest to close first (for one neighbourhood if given),
    each once: in the reader's language where it is translated."""
    surveys = SurveyPage.objects.live().public().open().in_language()
    if neighbourhood is not None:
        surveys = surveys.for_neighbourhood(neighbourhood)
    return surveys.order_by("closes_at").prefetch_related("neighbourhoods")


def whats_on(request) -> list[dict]:
    """Open surveys for the home page's "what's on"."""
    items = []
    for survey in open_surveys():
        names = ", ".join(n.name for n in survey.neighbourhoods.all())
        items.append({
            "title": survey.title, "url": survey.get_url(request), "kind": _("Survey"),
            "when": _("Open until %(date)s") % {"date": date_format(
                timezone.localtime(survey.closes_at), "j F Y")},
            "neighbourhood": names or _("Whole area"),
            "sort_key": survey.closes_at.isoformat(),
        })
    return items


def neighbourhood_section(neighbourhood, request):
    """The 'have your say' section of a neighbourhood page, or None without open surveys."""
    surveys = list(open_surveys(neighbourhood))
    if not surveys:
        return None
    return {"title": gettext_lazy("Have your say"),
            "template": "surveys/includes/neighbourhood_section.html",
            "context": {"surveys": surveys, "request": request},
            "fresh_until": min(survey.closes_at for survey in surveys)}


def personal_data(user) -> list[dict]:
    """A person's own survey responses with their answers, for 'download your data'."""
    answers = (Answer.objects.filter(response__user=user)
               .select_related("response", "response__survey", "question", "option",
                               "neighbourhood")
               .order_by("response_id", "question__position", "rank"))
    responses: dict[int, dict] = {}
    for answer in answers:
        response = responses.setdefault(answer.response_id, {
            "survey": answer.response.survey.title, "reference": answer.response.reference,
            "submitted_at": answer.response.submitted_at.isoformat(), "answers": []})
        item = {"question": answer.question.label, "answer": _answer_value(answer),
                "rank": answer.rank}
        if answer.latitude is not None:
            item.update(latitude=answer.latitude, longitude=answer.longitude)
        response["answers"].append(item)
    for response in Response.objects.filter(user=user).exclude(pk__in=list(responses)):
        responses[response.pk] = {"survey": str(response.survey_id),
                                  "reference": response.reference,
                                  "submitted_at": response.submitted_at.isoformat(),
                                  "answers": []}
    # The statistical area (LSOA) found from the home postcode they gave, where there was one.
    for pk, code in (Response.objects.filter(user=user).exclude(area_code="")
                     .values_list("pk", "area_code")):
        responses[pk]["statistical_area"] = code
    return list(responses.values())


def _answer_value(answer):
    """What the person answered as they saw it: the option, the agree/disagree wording, the area."""
    if answer.option:
        return answer.option.label
    if answer.question.kind == Question.LIKERT:
        return str(LIKERT_LABELS.get(answer.number, answer.number))
    if answer.neighbourhood and answer.question.kind == Question.MAP_PIN:
        return answer.neighbourhood.name
    return answer.number if answer.number is not None else answer.text
