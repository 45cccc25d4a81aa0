"""Officers' views in the Wagtail admin: the moderation queue, a decision page, gaps, audit."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.errors import InputError

from . import moderation, verification
from .evidence import gaps_table
from .forms import AssetForm
from .models import WEEKDAYS, Asset, AssetCategory, AuditEvent, Organisation, Submission
from .moderation_diff import (
    NEW_ORGANISATION_KEY,
    first_from_new_organisation,
    submission_changes,
)


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (needed to reject; emailed to the submitter)"),
        required=False, widget=forms.Textarea(attrs={"rows": 3}))
    verify_organisation = forms.BooleanField(
        label=gettext_lazy("I have checked that this organisation is genuine: verify it"),
        required=False,
        help_text=gettext_lazy("Its assets can only be published once an officer has verified "
                               "it. You need do this once."))


def _require(request, action: str) -> None:
    """403 unless the person may do `action` (a rule of rules.py); Wagtail sends admin users
    without it to the dashboard."""
    if not request.user.has_perm(f"assets_map.{action}"):
        raise PermissionDenied


def queue(request):
    """Submissions waiting for an officer."""
    _require(request, "moderate")
    submissions = (Submission.objects.filter(status=Submission.PENDING)
                   .select_related("asset", "asset__organisation", "submitted_by"))
    new_only = request.GET.get("show") == "new-organisations"
    if new_only:
        submissions = submissions.filter(**{f"data__{NEW_ORGANISATION_KEY}": True})
    waiting = verification.waiting()
    organisations = list(waiting[:verification.QUEUE_LENGTH])
    duplicates = verification.duplicates_by_organisation(organisations)
    return TemplateResponse(request, "assets_map/admin/queue.html", {
        "page_title": _("Asset moderation"), "header_icon": "tasks",
        "submissions": [(submission, first_from_new_organisation(submission))
                        for submission in submissions],
        "new_only": new_only,
        "organisations": [(organisation, duplicates[organisation.pk])
                          for organisation in organisations],
        "organisations_waiting": waiting.count(),
    })


def verify_organisation(request, pk):
    """One unverified organisation: its details, likely duplicates and a "Verify" button."""
    _require(request, "verify_organisation")
    organisation = get_object_or_404(Organisation, pk=pk)
    if request.method == "POST":
        verification.verify(organisation, request.user)
        messages.success(request, _("%(name)s is verified. Its assets can now be published.")
                         % {"name": organisation.name})
        return redirect("assets_map_admin:queue")
    return TemplateResponse(request, "assets_map/admin/organisation.html", {
        "page_title": _("Verify “%(name)s”") % {"name": organisation.name},
        "header_icon": "group", "organisation": organisation,
        "owners": verification.owners(organisation),
        "duplicates": verification.duplicates(organisation),
        "pending": Submission.objects.filter(status=Submission.PENDING,
                                             asset__organisation=organisation)
        .select_related("asset"),
    })


def _describe(data: dict) -> list[tuple[str, str]]:
    form = AssetForm()
    categories = dict(AssetCategory.objects.values_list("pk", "name"))
    rows = []
    for name, value in data["fields"].items():
        key = "category" if name == "category_id" else name
        label = form.fields[key].label if key in form.fields else key
        if name == "category_id":
            value = categories.get(value, value)
        rows.append((label, value))
    days = dict(WEEKDAYS)
    rows.append((_("Opening hours"), "; ".join(f"{days.get(d, d)} {o}–{c}"
                                                for d, o, c in data["hours"])))
    rows.append((_("Services"), "; ".join(s["name"] for s in data["services"])))
    rows.append((_("Photos"), "; ".join(
        photo.get("alt_text") or str(_("decorative photo")) for photo in data.get("photos", []))))
    return rows


def decide(request, pk):
    """One submission: approve it, or reject it with a reason."""
    _require(request, "moderate")
    submission = get_object_or_404(
        Submission.objects.select_related("asset", "asset__organisation"), pk=pk)
    organisation = submission.asset.organisation
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and submission.status == Submission.PENDING and form.is_valid():
        if "approve" in request.POST:
            try:
                moderation.approve(submission, request.user,
                                   form.cleaned_data["verify_organisation"])
            except InputError as exc:
                form.add_error("verify_organisation", exc.message)
            else:
                messages.success(request, _("“%(name)s” is published.") % {
                    "name": submission.asset.name})
                return redirect("assets_map_admin:queue")
        elif not (reason := form.cleaned_data["reason"].strip()):
            form.add_error("reason", _("Give a reason, so the organisation knows what to fix."))
        else:
            moderation.reject(submission, request.user, reason)
            messages.success(request, _("“%(name)s” was rejected and the submitter told why.")
                             % {"name": submission.asset.name})
            return redirect("assets_map_admin:queue")
    unverified = organisation is not None and not organisation.is_verified
    rows, live_changed = ([], False) if submission.is_new else submission_changes(submission)
    return TemplateResponse(request, "assets_map/admin/decide.html", {
        "page_title": _("Moderate “%(name)s”") % {"name": submission.asset.name},
        "header_icon": "tasks", "submission": submission, "form": form,
        "proposed": _describe(submission.data) if submission.is_new else [],
        "changed_rows": [row for row in rows if row.changed],
        "unchanged_rows": [row for row in rows if not row.changed],
        "live_changed": live_changed,
        "first_from_new_organisation": first_from_new_organisation(submission),
        "events": submission.asset.events.select_related("actor")[:20],
        "duplicates": moderation.likely_duplicates(submission.asset),
        "organisation": organisation, "unverified": unverified,
        "owners": verification.owners(organisation) if unverified else [],
        "organisation_duplicates": verification.duplicates(organisation) if unverified else [],
    })


def gaps(request):
    """Neighbourhoods x themes: how many published assets serve each."""
    _require(request, "view_gaps")
    return TemplateResponse(request, "assets_map/admin/gaps.html", {
        "page_title": _("Asset gaps by neighbourhood and theme"), "header_icon": "table",
        "table": gaps_table(),
        "stale_count": Asset.objects.published().stale().count(),
    })


def audit(request):
    """The latest 200 entries of the audit trail."""
    _require(request, "moderate")
    return TemplateResponse(request, "assets_map/admin/audit.html", {
        "page_title": _("Asset audit trail"), "header_icon": "history",
        "events": AuditEvent.objects.select_related("actor", "subject_user")[:200],
    })


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(label=gettext_lazy("Keep this asset"),
                                  queryset=Asset.objects.exclude(status=Asset.ARCHIVED))
    drop = forms.ModelChoiceField(label=gettext_lazy("Merge this one into it (then archived)"),
                                  queryset=Asset.objects.exclude(status=Asset.ARCHIVED))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and cleaned.get("keep") == cleaned.get("drop"):
            self.add_error("drop", _("Choose two different assets."))
        return cleaned


def merge(request):
    """Merge one asset into another (the second is archived)."""
    _require(request, "merge_assets")
    form = MergeForm(request.POST or None, initial={"keep": request.GET.get("keep"),
                                                    "drop": request.GET.get("drop")})
    if request.method == "POST" and form.is_valid():
        keep = moderation.merge(form.cleaned_data["keep"], form.cleaned_data["drop"], request.user)
        messages.success(request, _("Merged into “%(name)s”.") % {"name": keep.name})
        return redirect("assets_map_admin:queue")
    return TemplateResponse(request, "assets_map/admin/merge.html", {
        "page_title": _("Merge two assets"), "header_icon": "link", "form": form,
    })
