"""What happened to my answer: a survey reference number (HYS-...) looked up.

Anyone with a reference sees where its survey has got to: open or closed and when, its
published results, its "you said, we did", and the priorities and plan actions its evidence
fed (from the plans app through the `OUTCOMES` hook, `portal.extension_points`). Never the
answers themselves, except to the signed-in person who gave them.

References must not be probeable: an unknown reference (or one from another survey, when looked
up from a survey's own page) gets the answer a known one gets while its survey is closed with
nothing published, `Outcome.nothing_yet`. That answer names no survey and no date, and both run
the same queries (the response, then the outcome providers, asked about page 0 when there is
no survey), so neither the page nor its timing tells them apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal import ratelimit
from portal.extension_points import actions_for_page

from .blocks import LIKERT_LABELS
from .models import Answer, Question, Response, SurveyPage

# The characters `answering.new_reference` draws from: no I, O, 0 or 1, which people misread.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PREFIX = "HYS-"
EXAMPLE = "HYS-ABCD2345"
FORMAT_MESSAGE = _("Enter a reference number in the format HYS- followed by 8 letters and "
                   "numbers, like HYS-ABCD2345. It never uses the letters I or O or the "
                   "numbers 0 or 1.")
# Looking references up is cheap for a person (a handful an hour) and the only way to probe
# them, so the limit is far lower than the answering one.
LOOKUPS_PER_HOUR = 20
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
# Outcome providers asked about a page that cannot exist, so that an unknown reference costs
# the same queries as a known one.
_NO_PAGE = SimpleNamespace(pk=0)


def normalise(text: str) -> str | None:
    """The reference in its printed form ("HYS-ABCD2345"), or None when `text` is not one.

    Forgiving about what people type: case, spaces, dashes and a missing "HYS-" prefix."""
    value = _SEPARATORS.sub("", (text or "")[:64]).upper()
    if value.startswith(PREFIX[:-1]):
        value = value[len(PREFIX) - 1:]
    if len(value) != 8 or any(char not in ALPHABET for char in value):
        return None
    return PREFIX + value


def rate_limited(request) -> bool:
    """Count one look-up by this person (the account when signed in, else the address);
    True when they are over `SURVEYS_LOOKUPS_PER_HOUR` (default 20) this hour."""
    limit = getattr(settings, "SURVEYS_LOOKUPS_PER_HOUR", LOOKUPS_PER_HOUR)
    return ratelimit.hit("survey-reference", ratelimit.requester(request), limit)


@dataclass
class Outcome:
    """What the look-up page shows for one reference.

    `survey` is None for the answer that must not tell an unknown reference from a known one
    (`nothing_yet`); `answers` is filled only for the signed-in owner of the response."""

    reference: str
    survey: SurveyPage | None = None
    status: str = ""
    actions: list[dict] = field(default_factory=list)
    priorities: list[dict] = field(default_factory=list)
    answers: list[dict] | None = None
    submitted_at: object = None

    @property
    def nothing_yet(self) -> bool:
        return self.survey is None

    @property
    def has_outcome(self) -> bool:
        survey = self.survey
        return bool(survey and (survey.results_published or survey.outcome_heard
                                or survey.outcome_decided or self.actions))


def _response(reference: str, survey=None):
    """The response with this reference to a live, public survey (and to `survey` or one of
    its translations, if given)."""
    responses = Response.objects.filter(
        reference=reference, survey_id__in=SurveyPage.objects.live().public().values("pk"))
    if survey is not None:
        responses = responses.filter(survey__translation_key=survey.translation_key)
    return responses.select_related("survey").first()


def is_owner(user, response) -> bool:
    """Whether `user` is the signed-in person who gave `response`.

    The account is compared as well as asking the rule: Django lets superusers through every
    `has_perm`, and nobody, superusers included, sees someone else's answers on this page."""
    return bool(response is not None and user is not None and user.is_authenticated
                and response.user_id == user.pk
                and user.has_perm("surveys.view_own_answers", response))


def find(reference: str, *, survey=None, user=None) -> Outcome:
    """What happened to the survey a reference (already `normalise`d) belongs to.

    With `survey` (looked up from that survey's own page), a reference from any other survey
    is treated as unknown. See the module docstring for why unknown references and closed
    surveys with nothing published get the same `Outcome`."""
    response = _response(reference, survey)
    page = response.survey if response is not None else None
    actions = actions_for_page(page if page is not None else _NO_PAGE, cached=False)
    outcome = Outcome(reference=reference)
    if page is None:
        return outcome
    found = Outcome(reference=reference, survey=page, status=page.status(), actions=actions,
                    priorities=_priorities(actions))
    owner = is_owner(user, response)
    if owner:
        found.answers = own_answers(response)
        found.submitted_at = response.submitted_at
    elif found.status == "closed" and not found.has_outcome:
        return outcome
    return found


def _priorities(actions: list[dict]) -> list[dict]:
    """The plan priorities behind the actions, once each: {"title", "plan_title", "plan_url"}."""
    seen: dict[tuple, dict] = {}
    for action in actions:
        title = action.get("priority") or ""
        key = (title, action.get("plan_url") or "")
        if title and key not in seen:
            seen[key] = {"title": title, "plan_title": action.get("plan_title") or "",
                         "plan_url": action.get("plan_url") or ""}
    return list(seen.values())


def own_answers(response) -> list[dict]:
    """The response's answers grouped by question, as the person saw them:
    [{"question", "values": [str, ...]}], in the survey's order."""
    answers = (Answer.objects.filter(response=response)
               .select_related("question", "option", "neighbourhood")
               .order_by("question__section", "question__position", "rank", "pk"))
    grouped: dict[int, dict] = {}
    for answer in answers:
        item = grouped.setdefault(answer.question_id,
                                  {"question": answer.question.label, "values": []})
        value = _value(answer)
        if value != "":
            item["values"].append(f"{answer.rank}. {value}" if answer.rank else value)
    return list(grouped.values())


def _value(answer) -> str:
    if answer.option_id:
        return answer.option.label
    kind = answer.question.kind
    if kind == Question.LIKERT and answer.number is not None:
        return str(LIKERT_LABELS.get(answer.number, answer.number))
    if kind in (Question.MAP_PIN, Question.WHERE) and answer.neighbourhood_id:
        return answer.neighbourhood.name
    if kind == Question.MAP_PIN and answer.latitude is not None:
        return str(_("Marked on the map"))
    return str(answer.number) if answer.number is not None else answer.text
