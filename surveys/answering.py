"""Answering a survey: its live questions, the steps a person sees, and storing a response."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import ratelimit
from portal.mail import send_email_later
from portal.ratelimit import ip_hash

from .duplicates import browser_hash, likely_duplicate
from .models import Answer, Option, Question, Response
from .results import results_changed


def active_questions(survey) -> list[Question]:
    """The live questions with their current options (two queries)."""
    return list(
        survey.questions.filter(retired=False).select_related("show_if_option")
        .prefetch_related(Prefetch("options", queryset=Option.objects.filter(retired=False)))
    )


def is_visible(question, data: dict) -> bool:
    """Skip logic: shown unless it depends on an earlier answer that was not given."""
    option = question.show_if_option
    if option is None:
        return True
    return str(option.pk) in data.get(f"q{option.question_id}", [])


def plan(survey, data: dict, questions=None) -> list[tuple[int, str, list]]:
    """The steps a person sees given their answers so far: (section, title, visible questions)."""
    steps: dict[int, tuple[str, list]] = {}
    for question in questions if questions is not None else active_questions(survey):
        if is_visible(question, data):
            steps.setdefault(question.section, (question.section_title, []))[1].append(question)
    return [(section, title, qs) for section, (title, qs) in sorted(steps.items())]


def new_reference() -> str:
    """A short reference people can quote: 'HYS-' and 8 unambiguous characters."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "HYS-" + "".join(secrets.choice(alphabet) for _ in range(8))


# A workshop on shared wifi (say a forum of 150 people) submits from one address within the
# hour; this limit only stops a machine posting hundreds of responses from one address.
SUBMISSIONS_PER_HOUR = 300


def rate_limited(who: str) -> bool:
    """True when `who` (`portal.ratelimit.requester`: the account when signed in, else the
    address) has stored more responses this hour than allowed.

    Counts this attempt. `SURVEYS_SUBMISSIONS_PER_HOUR` (default 300) is generous on purpose:
    a room full of people answering on one connection must get through, and people signed in
    are counted on their own, so an anonymous flood from their wifi does not stop them.
    """
    limit = getattr(settings, "SURVEYS_SUBMISSIONS_PER_HOUR", SUBMISSIONS_PER_HOUR)
    return ratelimit.hit("surveys", who, limit)


def already_answered(survey, user) -> bool:
    """Whether this signed-in person has a response to the survey, in any of its languages
    (browsers are the view's)."""
    return bool(user and user.is_authenticated
                and Response.objects.filter(survey__translation_key=survey.translation_key,
                                            user=user).exists())


def pooled_answers(survey, answers: list[dict]) -> list[dict]:
    """Answers given on a translation, pointed at the original's questions and options.

    Translations share the question and option keys, so each id is swapped for the
    original's row with the same key. An answer whose question the original lacks (a
    translation edited by hand out of step with it) keeps its own: nothing is lost.
    """
    pooled = survey.pooled_survey
    if pooled.pk == survey.pk:
        return answers
    ids = [a.get("question_id") for a in answers]
    own = dict(Question.objects.filter(pk__in=ids).values_list("pk", "key"))
    theirs = dict(Question.objects.filter(survey_id=pooled.pk).values_list("key", "pk"))
    option_keys = dict(Option.objects.filter(pk__in=[a.get("option_id") for a in answers
                                                     if a.get("option_id")])
                       .values_list("pk", "key"))
    options = {(question, key): pk for question, key, pk in Option.objects.filter(
        question__survey_id=pooled.pk).values_list("question_id", "key", "pk")}
    mapped = []
    for answer in answers:
        question_id = theirs.get(own.get(answer.get("question_id")))
        if question_id is None:
            mapped.append(answer)
            continue
        answer = {**answer, "question_id": question_id}
        if answer.get("option_id"):
            answer["option_id"] = options.get((question_id, option_keys.get(answer["option_id"])),
                                              answer["option_id"])
        mapped.append(answer)
    return mapped


@transaction.atomic
def submit_response(survey, answers: list[dict], *, channel=Response.ONLINE, neighbourhood_id=None,
                    area_code="", user=None, ip="", user_agent="", languages="", browser="",
                    entered_by=None, submitted_at=None, reference=None,
                    language=None) -> Response:
    """Store one response and its answer rows; flags a likely duplicate (see likely_duplicate).

    `survey` is the page answered: a translation's answers are stored against the original
    (`SurveyPage.pooled_survey`), with `language` (default: the page's) saying which it was.

    `answers` are Answer field values by id (question_id, option_id, rank, number, text,
    latitude, longitude, neighbourhood_id). `area_code`: the home postcode's LSOA, if known.
    `reference`: one reserved beforehand (the online flow's, so that a second submission of
    the same answers fails on the unique reference instead of storing them twice).
    """
    online = channel == Response.ONLINE
    language = language or survey.locale.language_code
    answers = pooled_answers(survey, answers)
    survey = survey.pooled_survey
    hashed = ip_hash(ip) if ip and online else ""
    hashed_browser = browser_hash(user_agent, languages, browser) if online else ""
    when = submitted_at or timezone.now()
    reason, earlier = likely_duplicate(survey, answers, channel=channel, hashed_ip=hashed,
                                       hashed_browser=hashed_browser, now=when)
    response = Response.objects.create(
        survey=survey, reference=reference or new_reference(), channel=channel,
        neighbourhood_id=neighbourhood_id, area_code=area_code or "",
        user=user if user and user.is_authenticated else None, entered_by=entered_by,
        ip_hash=hashed, browser_hash=hashed_browser, duplicate_suspect=bool(reason),
        duplicate_reason=reason, duplicate_of=earlier, submitted_at=when, language=language,
    )
    Answer.objects.bulk_create([Answer(response=response, survey_id=survey.pk, **answer)
                                for answer in answers])
    results_changed(survey.pk)
    return response


def send_receipt(survey, reference, email, request=None) -> None:
    """Email a person their reference number (queued); the address is not stored.

    Built inside the person's request, so it is in the language they answered in; the link
    goes to the survey's page in that language (`localized`: the page they answered, even
    when `survey` is the family's pooled original)."""
    survey = getattr(survey, "localized", survey)
    url = survey.get_full_url(request) if request is not None else survey.url
    send_email_later(
        _("Your answers to “%(survey)s”: reference %(reference)s")
        % {"survey": survey.title, "reference": reference},
        _("Thank you for answering “%(survey)s”.\n\nYour reference number is %(reference)s. "
          "Quote it if you contact us about your answers.\n\nThe survey closes on %(date)s; "
          "we will then publish what we heard and what we decided: %(url)s\n")
        % {"survey": survey.title, "reference": reference, "url": url,
           "date": date_format(timezone.localtime(survey.closes_at), "DATE_FORMAT")}
        + _("\nTo see what happened to your answer, enter your reference number here: %(url)s\n")
        % {"url": f"{url}what-happened/"},  # SurveyPage.what_happened
        [email],
    )
