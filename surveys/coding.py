"""Coding comments: officers tag free-text answers with themes and flag safeguarding concerns."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.mail import send_email_later
from portal.pages.models import PortalSettings

from .models import Answer, CommentCoding, Question


def comments(survey, search=""):
    """Free-text answers of a survey, newest first, with their coding, optionally searched."""
    qs = (Answer.objects.filter(survey=survey, question__kind=Question.TEXT)
          .exclude(text="").select_related("response", "question", "coding")
          .prefetch_related("coding__themes").order_by("-response__submitted_at", "-pk"))
    if search:
        qs = qs.filter(text__icontains=search)
    return qs


@transaction.atomic
def code_comment(answer, theme_ids, safeguarding, user, request=None, *, notify=True):
    """Tag a comment with themes and set its safeguarding flag; a new flag notifies the contact
    (unless `notify` is off: the insight coding screen notifies through its own path)."""
    coding, _created = CommentCoding.objects.get_or_create(answer=answer)
    newly_flagged = safeguarding and not coding.safeguarding
    coding.safeguarding, coding.coded_by = safeguarding, user
    coding.save()
    coding.themes.set(theme_ids)
    if newly_flagged and notify:
        transaction.on_commit(lambda: notify_safeguarding(answer, user, request))
    return coding


def safeguarding_contact(request=None) -> str:
    """`SURVEYS_SAFEGUARDING_EMAIL`, else the site's contact email."""
    configured = getattr(settings, "SURVEYS_SAFEGUARDING_EMAIL", "")
    if configured:
        return configured
    try:
        return PortalSettings.for_request(request).contact_email if request else ""
    except Exception:  # no site for this request: nobody configured to tell
        return ""


def notify_safeguarding(answer, user, request=None) -> bool:
    """Email the safeguarding contact: the reference and where to read it, not the comment."""
    contact = safeguarding_contact(request)
    if not contact:
        return False
    link = reverse("surveys_admin:comments", args=[answer.response.survey_id])
    if request is not None:
        link = request.build_absolute_uri(link)
    send_email_later(
        _("Safeguarding concern flagged in survey response %(reference)s")
        % {"reference": answer.response.reference},
        _("%(officer)s flagged a comment in response %(reference)s to “%(survey)s” as a "
          "safeguarding concern.\n\nRead it here (sign-in needed): %(link)s\n")
        % {"officer": getattr(user, "email", ""), "reference": answer.response.reference,
           "survey": answer.response.survey.title, "link": link},
        [contact],
    )
    return True
