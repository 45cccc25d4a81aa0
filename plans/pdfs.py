"""The printed plan and highlight reports: their HTML (from the print templates), title,
author and data version, and the render of a queued `PlanPdf` row (the task's body)."""

from __future__ import annotations

import logging
import time
from datetime import date

from django.core.files.base import ContentFile
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.pages.models import PortalSettings
from portal.pdf import render_pdf_within

from .context import plan_data
from .highlights import highlight_report
from .models import ActionUpdate, PlanPdf
from .models.progress import render_memory_mb, render_timeout

logger = logging.getLogger(__name__)

# The look of the printed plan and highlight reports. Bump when the PDF templates or CSS
# (plans/pdf/*.html, plans/css/print.css, portal/pdf.py) change, so that cached PDFs made with
# the old layout are not served after a deploy: it is part of every PDF's data version.
PDF_LAYOUT_VERSION = 5  # 3: small numbers hidden as on the priorities pages (issue 16)
# 4: scores as percentages of people with their 95% interval and method (issue 18)
# 5: sections flow (no forced breaks), keep-with-next rules, a map key that tells places apart


def data_version(plan) -> str:
    """Changes whenever a progress update is added, so cached PDFs show current statuses, and
    whenever PDF_LAYOUT_VERSION is bumped, so a new layout replaces PDFs in the old one."""
    last = ActionUpdate.objects.for_plan(plan).aggregate(last=Max("id"))["last"]
    return f"l{PDF_LAYOUT_VERSION}-u{last or 0}"


def _report_month(kind: str) -> tuple[int, int]:
    """(year, month) of a "highlights-YYYY-MM" kind."""
    year, month = (int(part) for part in kind.removeprefix("highlights-").split("-"))
    return year, month


def plan_pdf_html(plan, kind="plan", language="en", without_graphics=False) -> str:
    """The print HTML for a plan (or a month's highlight report)."""
    published = plan.last_published_at or timezone.now()
    revision_number = plan.revisions.filter(
        created_at__lte=plan.live_revision.created_at if plan.live_revision else timezone.now()
    ).count() or 1
    if kind.startswith("highlights-"):
        context = {"report": highlight_report(plan, *_report_month(kind)), "page": plan,
                   "language": language, "published": published,
                   "version": revision_number}
        return render_to_string("plans/pdf/highlight_report.html", context)
    context = {"page": plan, **plan_data(plan), "language": language, "published": published,
               "version": revision_number, "without_graphics": without_graphics,
               "publisher": publisher_name(plan)}
    if without_graphics:
        context["chart_svg"] = context["map_svg"] = ""
    return render_to_string("plans/pdf/plan.html", context)


def publisher_name(plan) -> str:
    """Who publishes the plan, for the PDF's author field: the site's organisation or name."""
    site = plan.get_site()
    if site is None:
        return ""
    portal_settings = PortalSettings.for_site(site)
    return portal_settings.organisation_name or portal_settings.site_name


def pdf_title(plan, kind) -> str:
    """The PDF's title: the plan's, or the plan's highlight report for the month."""
    if kind.startswith("highlights-"):
        year, month = _report_month(kind)
        return _("%(plan)s: highlight report, %(month)s") % {
            "plan": plan.title, "month": date_format(date(year, month, 1), "F Y")}
    return plan.title


def render_pdf_row(row: PlanPdf) -> PlanPdf:
    """Render a queued PDF within the time limit and store it (the task's body).

    Claims the row first (queued -> rendering), so a render queued twice runs once; a render
    that raises or runs out of time is marked failed with its error, for officers to see.
    """
    claimed = PlanPdf.objects.filter(pk=row.pk, status=PlanPdf.QUEUED).update(
        status=PlanPdf.RENDERING, started_at=timezone.now(), error="")
    row.refresh_from_db()
    if not claimed:
        return row
    plan = row.page.specific
    started = time.perf_counter()
    try:
        with translation.override(row.language):
            html = plan_pdf_html(plan, row.kind, row.language)
            info = {}
            content = render_pdf_within(render_timeout(), html,
                                        title=pdf_title(plan, row.kind),
                                        language=row.language, info=info,
                                        memory_mb=render_memory_mb())
    except Exception as exc:  # keep the "failed" state visible rather than a stuck "preparing"
        logger.exception("Rendering PDF %s failed", row.pk)
        row.status, row.error = PlanPdf.FAILED, (str(exc) or type(exc).__name__)[:2000]
        row.render_seconds = time.perf_counter() - started
        row.save(update_fields=["status", "error", "render_seconds"])
        return row
    row.file.save(row.filename, ContentFile(content), save=False)
    row.pages = info.get("pages")
    row.status, row.rendered_at = PlanPdf.READY, timezone.now()
    row.render_seconds = time.perf_counter() - started
    row.save()
    return row
