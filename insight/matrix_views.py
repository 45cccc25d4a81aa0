"""The coding matrix in the admin: the current version, its history, an old version, and the
edit form that saves the next version (see insight/matrix.py for the versioning rule)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from portal.themes.models import Theme

from . import matrix as services
from .matrix_forms import edit_forms
from .models import CodingMatrix

HISTORY_PAGE = 25


def _require(request, action):
    """Refuse the request unless the user may do `action` (see rules.py)."""
    if not request.user.has_perm(f"insight.{action}"):
        raise PermissionDenied


def _render(request, template, title, context, icon="list-ul"):
    return TemplateResponse(request, f"insight/matrix/{template}", {
        "header_title": title, "page_title": title, "header_icon": icon, **context})


def _version_context(request, version):
    return {
        "version": version,
        "groups": services.theme_groups(version),
        "services": list(version.services.order_by("name")),
        "changes": services.changes_from_previous(version),
        "can_edit": request.user.has_perm("insight.change_matrix"),
    }


def current(request):
    """The current version, with the history of versions below it."""
    _require(request, "view_matrix")
    version = services.current_matrix()
    history = Paginator(CodingMatrix.objects.select_related("created_by").order_by("-number"),
                        HISTORY_PAGE).get_page(request.GET.get("page"))
    return _render(request, "current.html", _("Coding matrix"), {
        **_version_context(request, version), "is_current": True, "history_page": history,
        "history": services.version_history(history.object_list)})


def version(request, number):
    """One version as it was saved (an old one items may still be coded under)."""
    _require(request, "view_matrix")
    matrix = get_object_or_404(CodingMatrix.objects.select_related("created_by"),
                               number=number)
    latest = CodingMatrix.current()
    return _render(request, "version.html",
                   _("Coding matrix: version %(number)s") % {"number": matrix.number}, {
                       **_version_context(request, matrix),
                       "is_current": latest is not None and latest.pk == matrix.pk,
                       "items": services.version_history([matrix])[0]["items"]})


def edit(request):
    """Edit the current version's sub-themes and services; saving makes the next version."""
    _require(request, "change_matrix")
    base = services.current_matrix()
    themes = Theme.objects.in_bulk()
    if request.method == "POST":
        based_on = request.POST.get("based_on")
        if based_on and based_on.isdigit() and int(based_on) != base.number:
            base = CodingMatrix.objects.filter(number=int(based_on)).first() or base
    notes, sub_formset, service_formset = edit_forms(
        request.POST if request.method == "POST" else None, base, themes)
    problems: list[str] = []
    if request.method == "POST":
        notes_ok = notes.is_valid()
        if sub_formset.is_valid() and service_formset.is_valid():  # all problems at once
            proposal = services.propose(base, sub_formset.rows(), service_formset.rows(),
                                        themes=themes)
            problems = _attach(proposal.problems)
            if proposal.ok and notes_ok:
                try:
                    saved = services.save_new_version(proposal, request.user,
                                                      notes.cleaned_data["notes"])
                except ValidationError as error:  # a newer version was saved meanwhile
                    problems = list(error.messages)
                    notes.data = notes.data.copy()  # saving again is based on the newest
                    notes.data["based_on"] = services.current_matrix().number
                else:
                    messages.success(request, _(
                        "Version %(number)s of the coding matrix saved. Items coded earlier "
                        "keep the version they were coded under.") % {"number": saved.number})
                    return redirect("insight:matrix")
        problems += [str(error) for formset in (sub_formset, service_formset)
                     for error in formset.non_form_errors()]
    return _render(request, "edit.html", _("Edit the coding matrix"), {
        "version": base, "notes_form": notes, "sub_formset": sub_formset,
        "service_formset": service_formset, "problems": problems,
        "errors": _error_summary(notes, sub_formset, service_formset),
        "existing_forms": sorted((form for form in sub_formset.forms if form.is_existing),
                                 key=lambda form: form.theme_name),
        "new_forms": [form for form in sub_formset.forms if not form.is_existing]},
        icon="edit")


def _attach(problems) -> list[str]:
    """Put each row's problem on its form's name field; return those about the whole change."""
    general = []
    for problem in problems:
        if problem.ref is not None:
            on_theme = problem.kind == "sub_theme" and not problem.ref["theme"].value()
            problem.ref.add_error("theme" if on_theme else "name", problem.message)
        else:
            general.append(problem.message)
    return general


def _error_summary(notes, *formsets) -> list[tuple[str, str]]:
    """(message, id of the field it is about) for every error on the page, in page order."""
    errors = []
    for formset in formsets:
        for form in formset.forms:
            for name, field_errors in form.errors.items():
                visible = name in form.fields and not form[name].is_hidden
                anchor = form[name].auto_id if visible else form["name"].auto_id
                errors += [(message, anchor) for message in field_errors]
    for name, field_errors in notes.errors.items():
        anchor = notes[name].auto_id if name in notes.fields else notes["notes"].auto_id
        errors += [(message, anchor) for message in field_errors]
    return errors


urlpatterns = [
    path("", current, name="matrix"),
    path("edit/", edit, name="matrix_edit"),
    path("versions/<int:number>/", version, name="matrix_version"),
]
