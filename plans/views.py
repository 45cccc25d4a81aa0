"""The plan page, plan PDFs, highlight reports, and the officers' progress-update view (thin:
the work is in context.py, highlights.py, pdfs.py and pdf_cache.py)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal import ratelimit
from portal.errors import InputError
from portal.neighbourhoods import content_cache

from . import highlights, pdf_cache
from .context import plan_data
from .forms import ActionUpdateForm
from .models import ActionUpdate, LocalityPlanPage, PlanPdf
from .models.progress import render_timeout, stuck_minutes
from .pdf_cache import pdf_request
from .pdfs import pdf_title


def plan_page(request, plan):
    """The plan on the web (and its preview in the admin): the plan data plus the PDF and
    report links. A live plan's are kept in the shared cache until content changes (or the
    day ends: actions fall overdue); a preview's are worked out from the draft each time."""
    if getattr(request, "is_preview", False) or not plan.pk:
        return plan.render(request, context_overrides=_plan_page_context(plan))
    key = f"plans:page:{plan.pk}:{get_language()}"
    context = content_cache.cached(key, lambda: (_plan_page_context(plan), _midnight()))
    return plan.render(request, context_overrides=context)


def _plan_page_context(plan) -> dict:
    """What the plan's page shows beyond its fields (nothing about the person looking)."""
    return {
        **plan_data(plan),
        "highlight_months": highlights.highlight_months(plan),
        "pdf_url": plan.url + "pdf/" if plan.url else "",
        "snapshot": plan.snapshot,  # for the template: no look-up on a cached page
        "area_name": plan.area_name,
        "plan_neighbourhood": plan.neighbourhood,
    }


def _midnight() -> float:
    """The Unix time of the coming local midnight."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time())).timestamp()


def _pdf_response(request, plan, kind, back_url, title):
    """The PDF when ready; else the page that says it is being prepared, or that it failed or
    is stuck, with a button that queues it once more (POST, rate-limited)."""
    row = pdf_request(plan, kind)
    if request.method == "POST":
        return _retry_pdf(request, plan, row, back_url, title)
    if row.status == PlanPdf.READY:
        return _pdf_file(row, "public, max-age=300")
    previous = pdf_cache.previous_ready(row)
    if previous is not None and request.GET.get("version") == "previous":
        return _pdf_file(previous, "no-store")
    return _pdf_status_page(request, plan, row, back_url, title, previous=previous)


def _pdf_file(row, cache_control):
    response = FileResponse(row.file.open("rb"), as_attachment=True, filename=row.filename,
                            content_type="application/pdf")
    response["Cache-Control"] = cache_control
    return response


def _pdf_status_page(request, plan, row, back_url, title, status=200, refused=False,
                     previous=None):
    failed = row.status == PlanPdf.FAILED
    stuck = not failed and pdf_cache.needs_retry(row)
    response = TemplateResponse(request, "plans/pdf_preparing.html", {
        "page": plan, "row": row, "failed": failed, "stuck": stuck, "refused": refused,
        "previous": previous,
        "can_retry": (failed or stuck) and row.retries < pdf_cache.PUBLIC_RETRIES,
        "back_url": back_url, "document_title": title,
    }, status=status)
    response["Cache-Control"] = "no-store"
    if not (failed or stuck):
        response["Retry-After"] = "3"
    return response


def _retry_pdf(request, plan, row, back_url, title):
    limit = getattr(settings, "PORTAL_PDF_RETRIES_PER_HOUR", 10)
    if ratelimit.hit("plans-pdf-retry", ratelimit.requester(request), limit):
        return _pdf_status_page(request, plan, row, back_url, title, status=429, refused=True,
                                previous=pdf_cache.previous_ready(row))
    pdf_cache.retry(row)
    return redirect(request.path)


def plan_pdf(request, plan):
    """The plan as a PDF, or a "preparing your PDF" page that refreshes until it is ready."""
    if not plan.live:
        raise Http404
    return _pdf_response(request, plan, "plan", plan.url, plan.title)


def highlight_list(request, plan):
    """The plan's monthly highlight reports."""
    return TemplateResponse(request, "plans/highlight_list.html", {
        "page": plan, "months": highlights.highlight_months(plan)})


def _check_month_or_404(plan, year, month):
    """Only the plan's report months (months with progress updates) have a report."""
    try:
        highlights.check_report_month(plan, year, month)
    except InputError as exc:
        raise Http404(exc.message) from exc


def highlight_report(request, plan, year, month):
    """One month's highlight report on the web."""
    _check_month_or_404(plan, year, month)
    report = highlights.highlight_report(plan, year, month)
    return TemplateResponse(request, "plans/highlight_report.html", {
        "page": plan, "report": report,
        "pdf_url": f"{plan.url}highlights/{year:04d}-{month:02d}/pdf/"})


def highlight_pdf(request, plan, year, month):
    """One month's highlight report as a PDF (only for the plan's report months, so nobody can
    queue renders of empty months)."""
    if not plan.live:
        raise Http404
    _check_month_or_404(plan, year, month)
    kind = f"highlights-{year:04d}-{month:02d}"
    return _pdf_response(request, plan, kind, f"{plan.url}highlights/{year:04d}-{month:02d}/",
                         pdf_title(plan, kind))


def admin_updates(request, page_id):
    """Wagtail admin: record a progress update on one of a plan's actions; list recent ones."""
    plan = get_object_or_404(LocalityPlanPage, pk=page_id)
    if not request.user.has_perm("plans.record_progress", plan):
        raise PermissionDenied
    if plan.original_plan.pk != plan.pk:
        # Progress is recorded once, on the original plan's actions; translations show it.
        return redirect(reverse("plans_admin:updates", args=[plan.original_plan.pk]))
    form = ActionUpdateForm(request.POST or None, plan=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        update = form.save()
        messages.success(request, _("Update saved for “%(action)s”. It will appear in the "
                                    "%(month)s highlight report.") % {
            "action": update.action.title, "month": date_format(update.date, "YEAR_MONTH_FORMAT")})
        return redirect(reverse("plans_admin:updates", args=[plan.pk]))
    updates = (ActionUpdate.objects.for_plan(plan).select_related("action", "created_by")
               [:50])
    return TemplateResponse(request, "plans/admin/updates.html", {
        "plan": plan, "form": form, "updates": updates,
        "header_title": _("Progress updates: %(plan)s") % {"plan": plan.title},
        "page_title": _("Progress updates: %(plan)s") % {"plan": plan.title},
        "header_icon": "list-ul",
        "months": highlights.highlight_months(plan),
    }, status=400 if request.method == "POST" else 200)


def admin_pdfs(request):
    """Wagtail admin: PDF renders that failed (with their error) or are stuck, with a retry."""
    if not request.user.has_perm("plans.manage_pdfs"):
        raise PermissionDenied
    if request.method == "POST":
        row = get_object_or_404(PlanPdf, pk=request.POST.get("pdf"))
        if pdf_cache.retry(row, limit=None):
            messages.success(request, _("The PDF of “%(plan)s” is queued again.")
                             % {"plan": row.page.title})
        else:
            messages.info(request, _("The PDF of “%(plan)s” no longer needs a retry.")
                          % {"plan": row.page.title})
        return redirect(reverse("plans_admin:pdfs"))
    return TemplateResponse(request, "plans/admin/pdfs.html", {
        "rows": PlanPdf.objects.needing_attention().select_related("page")[:200],
        "stuck_minutes": stuck_minutes(), "render_timeout": f"{render_timeout():g}",
        "header_title": _("Plan PDFs that need attention"),
        "page_title": _("Plan PDFs that need attention"), "header_icon": "doc-full",
    })
