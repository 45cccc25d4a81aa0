"""Admin: importing community feedback from CSV or XLSX files (officers only).

The list of import runs, then for one file: upload -> map columns -> dry run -> import in
the background -> done. Everything asks `insight.import_feedback` (rules.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .import_forms import MappingForm, UploadForm, field_name
from .import_tasks import queue_import
from .importing import dry_run
from .importing_files import FileProblem, max_bytes, read_table, too_big_message
from .importing_rows import guess_mapping, personal_headings
from .models import ImportRun

# Room for the form's other fields and the multipart framing around the file.
FORM_OVERHEAD = 64 * 1024


def refresh_seconds() -> int:
    """How often the progress page reloads itself (settings.INSIGHT_IMPORT_REFRESH_SECONDS)."""
    return int(getattr(settings, "INSIGHT_IMPORT_REFRESH_SECONDS", 3))


def _require(request):
    if not request.user.has_perm("insight.import_feedback"):
        raise PermissionDenied


def _render(request, template, title, context, status=200):
    return TemplateResponse(request, f"insight/imports/{template}", {
        "header_title": title, "page_title": title, "header_icon": "upload",
        "limit": filesizeformat(max_bytes()), **context}, status=status)


def imports(request):
    """The import runs, newest first, and the button to import a file."""
    _require(request)
    runs = ImportRun.objects.select_related("source", "created_by").order_by("-created_at")
    page = Paginator(runs, 25).get_page(request.GET.get("p"))
    return _render(request, "index.html", _("Import feedback"), {"runs": page})


@csrf_exempt  # the body is not read (not even for the CSRF token) until its size is known
def upload(request):
    """Step 1: the source and the file. A body over the limit is refused from its declared
    length, before any of it is read; then `csrf_protect` checks the token as usual."""
    _require(request)
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_bytes() + FORM_OVERHEAD:
            form = UploadForm()
            return _render(request, "upload.html", _("Import a file"), {
                "form": form, "errors": [{"message": too_big_message(length),
                                          "anchor": form["file"].auto_id}]}, status=413)
    return _upload(request)


@csrf_protect
def _upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = form.save(request.user)
        return redirect("insight:import_mapping", run.pk)
    return _render(request, "upload.html", _("Import a file"), {"form": form})


def _run(request, pk):
    _require(request)
    return get_object_or_404(ImportRun.objects.select_related("source"), pk=pk)


def mapping(request, pk):
    """Step 2: which column holds which field; saved on the source for its next file. A valid
    mapping runs the dry run and shows it."""
    run = _run(request, pk)
    if run.state not in (ImportRun.UPLOADED, ImportRun.MAPPED, ImportRun.CHECKED):
        return redirect("insight:import_run", run.pk)
    try:
        table = read_table(run.file, run.original_name)
    except (FileProblem, OSError) as problem:
        return _render(request, "mapping.html", _("Match the columns"), {
            "run": run, "problem": str(problem)})
    initial = run.mapping or guess_mapping(table.headings, run.source.mapping)
    form = MappingForm(request.POST or None, headings=table.headings, initial_mapping=initial,
                       date_format=run.source.date_format)
    if request.method == "POST" and form.is_valid():
        run.mapping = run.source.mapping = form.mapping()
        run.source.date_format = form.cleaned_data["date_format"]
        run.source.save(update_fields=["mapping", "date_format"])
        run.state = ImportRun.MAPPED
        run.save(update_fields=["mapping", "state"])
        try:
            dry_run(run)
        except FileProblem as problem:
            form.add_error(None, str(problem))
        else:
            return redirect("insight:import_run", run.pk)
    rows = [(form[field_name(item.key)], item.required) for item in form.items]
    return _render(request, "mapping.html", _("Match the columns"), {
        "run": run, "form": form, "rows": rows, "table": table,
        "personal": personal_headings(table.headings, initial)})


def run_view(request, pk):
    """Steps 3 to 5: the dry run and the button to import, the progress while it imports,
    then what it did. Refreshes itself while the import is queued or running."""
    run = _run(request, pk)
    if run.state in (ImportRun.UPLOADED, ImportRun.MAPPED):
        return redirect("insight:import_mapping", run.pk)
    if request.method == "POST" and run.state in (ImportRun.CHECKED, ImportRun.FAILED):
        queue_import(run)
        return redirect("insight:import_run", run.pk)
    busy = run.state in (ImportRun.QUEUED, ImportRun.RUNNING)
    refused = max(run.total_rows - run.created_count - run.updated_count
                  - run.unchanged_count, 0)
    response = _render(request, "run.html", str(run.original_name), {
        "run": run, "busy": busy, "refused": refused,
        "importable": run.created_count + run.updated_count,
        "notes": [line for line in run.message.splitlines() if line],
        "refresh_seconds": refresh_seconds()})
    if busy:
        response["Refresh"] = str(refresh_seconds())
    return response


urlpatterns = [
    path("", imports, name="imports"),
    path("new/", upload, name="import_upload"),
    path("<int:pk>/columns/", mapping, name="import_mapping"),
    path("<int:pk>/", run_view, name="import_run"),
]
