"""Forgetting what survey responses keep about the people who gave them.

Two things could still point at a person once they are gone, or once a survey is long closed:
the keyed hashes of the network address and browser kept to spot duplicate responses, and
what they typed in their own words. Choice answers carry nothing about the person and are kept,
so published results stay right.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Answer, Question, Response, SurveyPage
from .results import results_changed

DEFAULT_RETENTION_DAYS = 90


def _free_text(responses):
    """Answers typed in the person's own words: text answers, and any text kept beside an
    answer (a postcode typed for "where do you live")."""
    return Answer.objects.filter(response__in=responses).filter(
        Q(question__kind=Question.TEXT) | ~Q(text=""))


@transaction.atomic
def forget_account(user, *, delete_free_text: bool = False) -> dict:
    """Before an account is deleted: clear its responses' hashes and, if asked, delete what it
    typed (text answers go; text beside other answers is blanked). Counts what changed."""
    responses = Response.objects.filter(user=user)
    survey_ids = set(responses.values_list("survey_id", flat=True))
    counts = {"responses": responses.exclude(ip_hash="", browser_hash="").update(
        ip_hash="", browser_hash=""), "text_answers": 0}
    if delete_free_text:
        typed = _free_text(responses)
        counts["text_answers"] = typed.filter(question__kind=Question.TEXT).count()
        typed.filter(question__kind=Question.TEXT).delete()  # their coding goes with them
        _free_text(responses).update(text="")
        responses.exclude(area_code="").update(area_code="")  # derived from the postcode
    for survey_id in survey_ids:
        results_changed(survey_id)
    return counts


def retention_days() -> int:
    return int(getattr(settings, "PORTAL_RESPONSE_HASH_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def surveys_past_retention(now=None, days=None):
    """Surveys closed more than `days` (the retention setting) ago whose responses still hold
    hashes."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    with_hashes = Response.objects.exclude(ip_hash="", browser_hash="")
    return (SurveyPage.objects.filter(closes_at__lte=now - timedelta(days=days),
                                      pk__in=with_hashes.values("survey_id"))
            .order_by("closes_at", "pk"))


def forget_hashes(survey, *, dry_run: bool = False) -> int:
    """Clear the hashes of one survey's responses; the number of responses that held any."""
    responses = Response.objects.filter(survey=survey).exclude(ip_hash="", browser_hash="")
    if dry_run:
        return responses.count()
    return responses.update(ip_hash="", browser_hash="")


def forget_expired_hashes(now=None, days=None, *, dry_run: bool = False,
                          progress: Callable[[SurveyPage, int], None] | None = None) -> int:
    """Clear the hashes of every response to a survey past the retention period; the total."""
    total = 0
    for survey in surveys_past_retention(now, days):
        count = forget_hashes(survey, dry_run=dry_run)
        total += count
        if progress:
            progress(survey, count)
    return total
