"""Admin: the "Skip conditions" screen of a survey (see `surveys.skip_logic`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import skip_logic
from .models import Question, SurveyPage


def skip_conditions(request, pk):
    """List each question with a select of the earlier answers that can make it appear; save
    the choices into a new draft revision (published from the page editor as usual)."""
    survey = get_object_or_404(SurveyPage, pk=pk)
    if not request.user.has_perm("surveys.edit_skip_conditions", survey):
        raise PermissionDenied
    draft = skip_logic.latest_draft(survey)
    known = {"labels": Question.objects.known_labels(survey.pk),
             "previous": Question.objects.conditions(survey.pk)}
    errors = []
    if request.method == "POST":
        chosen = {key[len("condition-"):]: value for key, value in request.POST.items()
                  if key.startswith("condition-")}
        errors = skip_logic.apply_conditions(draft, chosen, **known)
        if not errors:
            # As Wagtail saves drafts: required fields are checked when it is published.
            draft.save_revision(user=request.user, log_action=True, clean=False)
            messages.success(request, _("Skip conditions saved as a draft of “%(title)s”. "
                                        "Publish the page to use them.") % {"title": survey.title})
            return redirect(reverse("surveys_admin:skip_conditions", args=[survey.pk]))
    rows = skip_logic.condition_rows(draft, **known)
    broken = [{"message": row.error, "anchor": f"condition-{row.block_id}"}
              for row in rows if row.error]
    title = _("Skip conditions: %(title)s") % {"title": survey.title}
    return TemplateResponse(request, "surveys/admin/skip_conditions.html", {
        "survey": survey, "rows": rows, "errors": [{"message": e} for e in errors],
        "broken": broken, "edit_url": reverse("wagtailadmin_pages:edit", args=[survey.pk]),
        "header_title": title, "page_title": title, "header_icon": "list-ul",
    }, status=400 if errors else 200)
