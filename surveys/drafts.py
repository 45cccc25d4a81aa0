"""Save and return: half-answered surveys kept to finish later.

A signed-in person's answers are kept under their account as they go (one draft per survey)
until they submit or the survey closes. Someone not signed in can ask for a link by email: the
draft is stored under a random token of which only a hash is kept, the email is sent through
`portal.mail` and the address is forgotten (it is never stored with the answers). Following
the link puts the answers back into the session and the person carries on.

A draft's `data` has the shape the answering flow keeps in the session (`views.survey_step`):
form field name -> list of submitted values. Everything is checked again when the person
submits, so a draft never bypasses validation. `delete_expired` (the `forget_survey_drafts`
command, run daily) removes drafts of closed surveys and links past their expiry.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import ratelimit
from portal.mail import send_email_later

from .models import Question, SurveyDraft, SurveyPage

# How long an emailed link works at most (it stops sooner if the survey closes first).
DRAFT_DAYS = 30
# Emailed links asked for per hour, per account or per address.
EMAILS_PER_HOUR = 10
# Links followed per hour, per account or per address (a token cannot be guessed; this only
# stops a machine hammering the table).
RESUMES_PER_HOUR = 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

# Why a link does not work (`find_by_token`).
UNKNOWN, EXPIRED, CLOSED = "unknown", "expired", "closed"


def session_key(survey) -> str:
    """Where the answering flow keeps a person's answers to `survey` in their session."""
    return f"survey:{survey.pk}"


def hash_token(token: str) -> str:
    """The stored form of a link's token (a token is random, so a plain hash is enough)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def link_days() -> int:
    return int(getattr(settings, "SURVEYS_DRAFT_DAYS", DRAFT_DAYS))


def rate_limited(kind: str, who: str) -> bool:
    """Count one attempt at `kind` ("email" or "resume") by `who` (`ratelimit.requester`);
    True when over `SURVEYS_DRAFT_EMAILS_PER_HOUR` or `SURVEYS_DRAFT_RESUMES_PER_HOUR`."""
    if kind == "email":
        limit = getattr(settings, "SURVEYS_DRAFT_EMAILS_PER_HOUR", EMAILS_PER_HOUR)
    else:
        limit = getattr(settings, "SURVEYS_DRAFT_RESUMES_PER_HOUR", RESUMES_PER_HOUR)
    return ratelimit.hit(f"survey-draft-{kind}", who, limit)


def _clean_data(data) -> dict[str, list[str]]:
    """The answers in the session's shape, whatever was stored."""
    if not isinstance(data, dict):
        return {}
    return {str(name): [str(value) for value in values if isinstance(value, str | int)]
            for name, values in data.items() if isinstance(values, list)}


def has_answers(state: dict | None) -> bool:
    """Whether a session state holds anything typed or chosen (not just empty fields)."""
    data = (state or {}).get("data")
    return isinstance(data, dict) and any(data.values())


def _positions(state: dict, step: int | None) -> tuple[int, int]:
    reached = max(1, int(state.get("reached") or 1))
    current = max(1, int(step or state.get("step") or reached))
    return min(current, reached), reached


def keep(survey, user, state: dict, step: int | None = None) -> SurveyDraft | None:
    """Keep a signed-in person's answers so far under their account (one draft per survey)."""
    if user is None or not user.is_authenticated or not has_answers(state):
        return None
    current, reached = _positions(state, step)
    draft, _created = SurveyDraft.objects.update_or_create(
        survey=survey, user=user,
        defaults={"data": _clean_data(state["data"]), "step": current, "reached": reached})
    return draft


def for_user(survey, user) -> SurveyDraft | None:
    """The signed-in person's draft of `survey` that can still be finished, or None."""
    if user is None or not user.is_authenticated:
        return None
    return SurveyDraft.objects.current().filter(survey=survey, user=user).first()


def restored(survey, state: dict | None) -> SurveyDraft | None:
    """The emailed-link draft this session's answers were restored from, if it still works."""
    draft_id = (state or {}).get("draft")
    if not isinstance(draft_id, int):
        return None
    return SurveyDraft.objects.current().filter(survey=survey, pk=draft_id).first()


def as_state(draft) -> dict:
    """The session state the answering flow works from, rebuilt from a draft."""
    return {"data": _clean_data(draft.data), "reached": max(1, draft.reached),
            "step": max(1, min(draft.step, draft.reached)),
            "started": draft.created_at.timestamp(), "draft": draft.pk}


def save_for_link(survey, state: dict, step: int | None = None) -> tuple[SurveyDraft, str]:
    """Store answers under a new random token: (draft, token). Only the token's hash is kept;
    a draft this person saved before from the same session is replaced."""
    token = secrets.token_urlsafe(32)
    current, reached = _positions(state, step)
    expires = min(survey.closes_at, timezone.now() + timedelta(days=link_days()))
    with transaction.atomic():
        if state.get("draft"):
            SurveyDraft.objects.filter(pk=state["draft"], user__isnull=True).delete()
        draft = SurveyDraft.objects.create(
            survey=survey, token_hash=hash_token(token), data=_clean_data(state.get("data")),
            step=current, reached=reached, expires_at=expires)
    return draft, token


def resume_url(token: str) -> str:
    """The absolute link that restores a draft (the site's address from settings)."""
    root = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return root + reverse("survey_draft_resume", kwargs={"token": token})


def send_link(survey, draft, token: str, email: str) -> None:
    """Queue the email with the link (`portal.mail`); the address is not stored anywhere."""
    until = date_format(timezone.localtime(draft.expires_at), "j F Y")
    send_email_later(
        _("Your saved answers to “%(survey)s”") % {"survey": survey.title},
        _("You saved your answers to “%(survey)s” to finish later.\n\n"
          "To carry on where you left off, open this link:\n%(url)s\n\n"
          "The link works until %(date)s. Anyone with it can see and change your saved "
          "answers, so do not pass it on.\n\n"
          "If you did not ask for this email, you can ignore it.\n")
        % {"survey": survey.title, "url": resume_url(token), "date": until},
        [email],
    )


def find_by_token(token: str, now=None) -> tuple[SurveyDraft | None, str]:
    """(draft, "") for a link that works, else (None, why): UNKNOWN (mistyped, altered or
    already used to submit), EXPIRED or CLOSED. An expired draft is deleted on the spot."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None, UNKNOWN
    draft = (SurveyDraft.objects.select_related("survey")
             .filter(token_hash=hash_token(token), user__isnull=True).first())
    if draft is None:
        return None, UNKNOWN
    now = now or timezone.now()
    if draft.survey.closes_at <= now:
        draft.delete()
        return None, CLOSED
    if draft.expires_at and draft.expires_at <= now:
        draft.delete()
        return None, EXPIRED
    return draft, ""


def discard(survey, user, state: dict | None = None) -> int:
    """Forget the drafts a submission or "start again" replaces: the account's, and the one
    the session was restored from. The number deleted."""
    wanted = Q(pk__in=[])
    if user is not None and user.is_authenticated:
        wanted |= Q(user=user)
    draft_id = (state or {}).get("draft")
    if isinstance(draft_id, int):
        wanted |= Q(pk=draft_id)
    return SurveyDraft.objects.filter(wanted, survey=survey).delete()[0]


def delete_expired(now=None, *, dry_run: bool = False,
                   progress: Callable[[SurveyPage, int], None] | None = None) -> int:
    """Delete drafts of closed surveys and links past their expiry; the number deleted."""
    expired = SurveyDraft.objects.expired(now)
    total = 0
    surveys = SurveyPage.objects.filter(pk__in=expired.values("survey_id")).order_by("pk")
    for survey in surveys:
        drafts = expired.filter(survey=survey)
        count = drafts.count() if dry_run else drafts.delete()[0]
        total += count
        if progress:
            progress(survey, count)
    return total


def forget_account(user) -> int:
    """Delete an account's drafts (before it is deleted); the number deleted."""
    return SurveyDraft.objects.filter(user=user).delete()[0]


_FIELD = re.compile(r"^q(?P<question>\d+)(?:_(?P<part>n|postcode|lat|lng|o(?P<option>\d+)))?$")


def _readable(draft, questions: dict[int, Question]) -> list[dict]:
    """A draft's answers as the person saw them: the question, and option labels for choices."""
    rows = []
    for name, values in _clean_data(draft.data).items():
        match = _FIELD.match(name)
        question = questions.get(int(match["question"])) if match else None
        if question is None or not values:
            continue
        labels = {str(option.pk): option.label for option in question.options.all()}
        label = question.label
        if match["option"]:
            label = f"{label}: {labels.get(match['option'], '')}"
        elif match["part"]:
            label = f"{label} ({match['part']})"
        shown = values if match["option"] else [labels.get(value, value) for value in values]
        rows.append({"question": label, "answer": shown if len(shown) > 1 else shown[0]})
    return rows


def personal_data(user) -> list[dict]:
    """A person's saved, unsubmitted answers, for "download your data"."""
    drafts = list(SurveyDraft.objects.filter(user=user).select_related("survey")
                  .order_by("survey__title"))
    questions = {question.pk: question for question in Question.objects.filter(
        survey_id__in={draft.survey_id for draft in drafts}).prefetch_related("options")}
    return [{"survey": draft.survey.title, "saved_at": draft.updated_at.isoformat(),
             "step": draft.step, "answers": _readable(draft, questions)} for draft in drafts]
