"""Locality plan logic: plan context, charts and maps as SVG, highlight reports, PDFs, the
trail to surveys and forums, and the approval workflow."""

from __future__ import annotations

import calendar
import importlib
import logging
import time
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.errors import InputError

from .models import (
    APPROVER_GROUP,
    WORKFLOW_NAME,
    ActionEvidence,
    ActionUpdate,
    LocalityPlanIndexPage,
    LocalityPlanPage,
    PlanAction,
    PlanPdf,
)

logger = logging.getLogger(__name__)

# Evidence sources that count things, not people (the asset map's places): their counts are
# never suppressed, and they have no people column.
NOT_ABOUT_PEOPLE = {"assets"}

# The look of the printed plan and highlight reports. Bump when the PDF templates or CSS
# (plans/pdf/*.html, plans/css/print.css, portal/pdf.py) change, so that cached PDFs made with
# the old layout are not served after a deploy: it is part of every PDF's data version.
PDF_LAYOUT_VERSION = 2

SOURCE_LABELS = {
    "surveys": gettext_lazy("Surveys"), "forums": gettext_lazy("Forums"),
    "feedback": gettext_lazy("Community feedback"), "assets": gettext_lazy("Community assets"),
}


def threshold() -> int:
    return getattr(settings, "PORTAL_SUPPRESSION_THRESHOLD", 5)


# --- lists and validation ------------------------------------------------------------------

def published_plans(index=None):
    """Live, public plans (under `index` if given) with their area, newest period first."""
    plans = LocalityPlanPage.objects.live().public().select_related(
        "neighbourhood", "locality", "neighbourhood__locality")
    if index is not None:
        plans = plans.child_of(index)
    return plans.order_by("-period_start", "title")


def priority_problem(priority, neighbourhood, locality, snapshot) -> str | None:
    """Why a plan for this area and snapshot cannot cite `priority`, or None if it can."""
    if not priority.is_adopted:
        return _("%(theme)s has not been adopted, so a plan cannot cite it. Adopt it on the "
                 "priorities page first, or choose an adopted priority.") % {
            "theme": priority.theme}
    area_id = priority.snapshot.neighbourhood_id
    if neighbourhood is not None and area_id != neighbourhood.pk:
        return _("%(theme)s is a priority for %(other)s, not %(this)s.") % {
            "theme": priority.theme, "other": priority.snapshot.neighbourhood,
            "this": neighbourhood}
    if locality is not None and priority.snapshot.neighbourhood.locality_id != locality.pk:
        return _("%(theme)s is a priority for %(other)s, which is not in %(this)s.") % {
            "theme": priority.theme, "other": priority.snapshot.neighbourhood,
            "this": locality}
    if snapshot is not None and neighbourhood is not None and priority.snapshot_id != snapshot.pk:
        return _("%(theme)s comes from a different snapshot from the one this plan cites "
                 "(%(snapshot)s).") % {"theme": priority.theme, "snapshot": snapshot}
    return None


def venue_details(keys) -> list[dict]:
    """Name, place and kind of each hub or asset key, from the core venue registry."""
    from portal.extension_points import venues

    details = []
    for key in keys or []:
        venue = venues.find(key)
        if venue is None:
            continue
        details.append({
            "key": venue.key, "name": venue.name, "postcode": venue.postcode,
            "latitude": venue.latitude, "longitude": venue.longitude, "url": venue.url,
            "is_hub": venue.is_hub,
        })
    return details


def partner_organisations(actions) -> dict:
    """Key -> `portal.extension_points.Organisation` for the partner organisations the actions
    name that the registry still offers (one look-up for the whole plan)."""
    from portal.extension_points import organisations

    keys = [key for action in actions for key in (action.partner_organisation_keys or [])]
    return {organisation.key: organisation for organisation in organisations.find_many(keys)}


# --- the plan as data -----------------------------------------------------------------------

def current_statuses(actions) -> dict[int, ActionUpdate]:
    """The latest update of each saved action (one query)."""
    ids = [action.pk for action in actions if action.pk]
    latest: dict[int, ActionUpdate] = {}
    if not ids:
        return latest
    for update in ActionUpdate.objects.filter(action_id__in=ids).order_by("action_id", "-date",
                                                                          "-id"):
        latest.setdefault(update.action_id, update)
    return latest


def _status_label(status):
    return dict(PlanAction.STATUS_CHOICES).get(status, status)


def plan_data(plan) -> dict:
    """Everything a plan's web page and PDF show, in a fixed number of queries."""
    plan_priorities = list(plan.plan_priorities.select_related(
        "priority__theme", "priority__snapshot__neighbourhood").order_by("sort_order"))
    actions = list(plan.actions.select_related("priority__theme").order_by("sort_order"))
    latest = current_statuses(actions)
    markers = map_markers(actions)
    marker_numbers = {marker["key"]: marker["number"] for marker in markers}
    organisations = partner_organisations(actions)
    rows = []
    for number, action in enumerate(actions, start=1):
        update = latest.get(action.pk)
        status = update.status if update else action.status
        rows.append({
            "number": number, "action": action, "status": status,
            "status_label": _status_label(status), "last_update": update,
            "organisations": [organisations[key] for key in action.partner_organisation_keys
                              or [] if key in organisations],
            "venues": [dict(v, number=marker_numbers.get(v["key"])) for v in action.venues],
            "overdue": status != PlanAction.DONE and action.due_date < timezone.localdate(),
        })
    by_priority = defaultdict(list)
    for row in rows:
        by_priority[row["action"].priority_id].append(row)
    priorities = []
    for rank, plan_priority in enumerate(plan_priorities, start=1):
        priority = plan_priority.priority
        priority_rows = by_priority.get(priority.pk, [])
        priorities.append({
            "number": rank, "plan_priority": plan_priority, "priority": priority,
            "theme": priority.theme, "actions": priority_rows,
            "evidence": evidence_rows(priority),
            "status_counts": Counter(row["status"] for row in priority_rows),
            "anchor": f"priority-{rank}",
        })
    budget_lines = list(plan.budget_lines.all())
    evidence_pages = trail_pages_for_plan(plan, actions)
    for priority in priorities:
        priority["pages"] = evidence_pages.get(priority["priority"].pk, [])
    return {
        "priorities": priorities, "action_rows": rows,
        "status_totals": [(key, label, sum(1 for r in rows if r["status"] == key))
                          for key, label in PlanAction.STATUS_CHOICES],
        "budget_lines": budget_lines,
        "budget_total": sum((line.amount for line in budget_lines), Decimal("0")),
        "measures": list(plan.measures.all()),
        "risks": sorted(plan.risks.all(), key=lambda risk: -risk.rating),
        "contacts": list(plan.contacts.all()),
        "markers": markers,
        "chart_svg": priorities_chart_svg(priorities),
        "map_svg": plan_map_svg(plan, markers),
    }


def evidence_rows(priority) -> list[dict]:
    """The evidence behind a priority, per source, with small counts of people suppressed."""
    rows = []
    for source, data in (priority.evidence or {}).items():
        if not isinstance(data, dict):
            continue
        people, count = data.get("people"), data.get("count")
        about_people = source not in NOT_ABOUT_PEOPLE
        if not about_people:
            people = None  # places are not people: shown as "–", never as "a few"
        small = about_people and any(value is not None and 0 < value < threshold()
                                     for value in (people, count))
        rows.append({
            "source": SOURCE_LABELS.get(source, source.replace("_", " ").capitalize()),
            "count": None if small else count,
            "people": None if small else people,
            "suppressed": small,
            "about_people": about_people,
            "share": data.get("share"),
        })
    return rows


def plan_context(plan, request) -> dict:
    """Context for the plan's web page: the plan data plus the PDF and report links."""
    context = plan_data(plan)
    context["highlight_months"] = highlight_months(plan)
    context["pdf_url"] = plan.url + "pdf/" if plan.url else ""
    return context


# --- SVG: priorities chart and neighbourhood map ---------------------------------------------

def _esc(text) -> str:
    from django.utils.html import escape

    return escape(str(text))


def priorities_chart_svg(priorities, width=640) -> str:
    """A horizontal bar chart of the plan's priorities by score, as SVG (table alternative
    is in the template)."""
    if not priorities:
        return ""
    bar_height, gap, label_width = 28, 14, 240
    height = len(priorities) * (bar_height + gap) + 30
    top = max((p["priority"].score for p in priorities), default=0) or 1
    title = _("Priorities by score")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-chart" viewBox="0 0 {width} '
        f'{height}" width="100%" role="img" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{_esc(title)}</title>',
        f'<desc id="chart-desc">{_esc(_("The same figures are in the table below."))}</desc>',
    ]
    plot = width - label_width - 60
    for index, item in enumerate(priorities):
        y = 10 + index * (bar_height + gap)
        score = item["priority"].score
        length = max(2, round(plot * score / top))
        lines = _wrap(f'{item["number"]}. {item["theme"]}', 30)
        first_y = y + 18 - (len(lines) - 1) * 8
        for line_number, line in enumerate(lines):
            parts.append(f'<text x="{label_width - 8}" y="{first_y + line_number * 16}" '
                         f'text-anchor="end" font-size="13" fill="#0b0c0c">{_esc(line)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
                     f'fill="#1d70b8"/>')
        parts.append(f'<text x="{label_width + length + 6}" y="{y + 18}" font-size="13" '
                     f'fill="#0b0c0c">{score:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _wrap(text: str, width: int) -> list[str]:
    """Split a label into at most two lines of about `width` characters."""
    if len(text) <= width:
        return [text]
    cut = text.rfind(" ", 0, width)
    cut = cut if cut > 0 else width
    rest = text[cut:].strip()
    return [text[:cut].strip(), rest if len(rest) <= width else rest[: width - 1] + "…"]


def map_markers(actions) -> list[dict]:
    """The distinct hubs and assets linked to the plan's actions, numbered for the map key."""
    markers, seen = [], {}
    for action in actions:
        for venue in action.venues or []:
            key = venue.get("key")
            if key in seen:
                seen[key]["actions"].append(action.title)
                continue
            marker = dict(venue, number=len(markers) + 1, actions=[action.title])
            seen[key] = marker
            markers.append(marker)
    return markers


def _plan_geometry(plan):
    from shapely.geometry import shape
    from shapely.ops import unary_union

    if plan.neighbourhood_id:
        boundaries = [plan.neighbourhood.boundary]
    elif plan.locality_id:
        boundaries = list(plan.locality.neighbourhoods.values_list("boundary", flat=True))
    else:
        return None
    shapes = [shape(boundary) for boundary in boundaries if boundary]
    return unary_union(shapes) if shapes else None


def plan_map_svg(plan, markers, width=640, height=440) -> str:
    """The plan's area drawn from its boundary GeoJSON, with numbered hub and asset markers.

    Longitude and latitude are projected equirectangularly around the area's middle latitude
    (accurate enough at neighbourhood scale); no map tiles are used.
    """
    import math

    geometry = _plan_geometry(plan)
    if geometry is None or geometry.is_empty:
        return ""
    points = [(m["longitude"], m["latitude"]) for m in markers
              if m.get("longitude") is not None and m.get("latitude") is not None]
    min_x, min_y, max_x, max_y = geometry.bounds
    for lng, lat in points:
        min_x, max_x = min(min_x, lng), max(max_x, lng)
        min_y, max_y = min(min_y, lat), max(max_y, lat)
    k = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * k, 1e-6)
    span_y = max(max_y - min_y, 1e-6)
    margin = 24
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    offset_x = (width - span_x * scale) / 2
    offset_y = (height - span_y * scale) / 2

    def project(lng, lat):
        return (offset_x + (lng - min_x) * k * scale, offset_y + (max_y - lat) * scale)

    simplified = geometry.simplify(span_y / 400, preserve_topology=True)
    polygons = getattr(simplified, "geoms", [simplified])
    paths = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (project(*c[:2])
                                                              for c in ring.coords))
            paths.append(f"M{coords}Z")
    title = _("Map of %(area)s") % {"area": plan.area_name}
    if markers:
        desc = _("The boundary of %(area)s with %(count)s numbered hubs and assets; the key "
                 "lists them.") % {"area": plan.area_name, "count": len(markers)}
    else:
        desc = _("The boundary of %(area)s.") % {"area": plan.area_name}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-map" viewBox="0 0 {width} '
        f'{height}" width="100%" role="img" aria-labelledby="map-title map-desc">',
        f'<title id="map-title">{_esc(title)}</title><desc id="map-desc">{_esc(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f3f2f1"/>',
        f'<path d="{" ".join(paths)}" fill="#d2e2f1" stroke="#1d4f7c" stroke-width="2" '
        f'fill-rule="evenodd"/>',
    ]
    for marker in markers:
        if marker.get("longitude") is None or marker.get("latitude") is None:
            continue
        x, y = project(marker["longitude"], marker["latitude"])
        fill = "#00703c" if marker.get("is_hub") else "#d4351c"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{fill}" '
                     f'stroke="#ffffff" stroke-width="2"/>')
        parts.append(f'<text x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle" font-size="12" '
                     f'font-weight="bold" fill="#ffffff">{marker["number"]}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- highlight reports ----------------------------------------------------------------------

def _month_bounds(year, month):
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _next_month(year, month):
    return (year + 1, 1) if month == 12 else (year, month + 1)


def check_month(year: int, month: int) -> None:
    """Refuse months that do not exist or have not started."""
    if not 1 <= month <= 12 or year < 2000:
        raise InputError(_("There is no such month."), code="bad_month")
    if date(year, month, 1) > timezone.localdate():
        raise InputError(_("That month has not started yet."), code="future_month")


def highlight_months(plan) -> list[date]:
    """Months with progress updates for the plan, newest first."""
    months = ActionUpdate.objects.for_plan(plan).dates("date", "month", order="DESC")
    return list(months)


def check_report_month(plan, year: int, month: int) -> None:
    """Refuse a month that is not one of the plan's report months (a month with progress
    updates), so nobody can make the portal build or render reports for empty months."""
    check_month(year, month)
    if date(year, month, 1) not in highlight_months(plan):
        raise InputError(_("There is no highlight report for that month."), code="no_report")


def highlight_report(plan, year: int, month: int) -> dict:
    """A Suffolk-style monthly highlight report built from the month's progress updates."""
    check_month(year, month)
    start, end = _month_bounds(year, month)
    next_year, next_month = _next_month(year, month)
    next_start, next_end = _month_bounds(next_year, next_month)
    data = plan_data(plan)
    updates = list(ActionUpdate.objects.for_plan(plan).filter(date__range=(start, end))
                   .select_related("action", "action__priority__theme")
                   .order_by("date", "id"))
    rows_by_action = {row["action"].pk: row for row in data["action_rows"]}
    # Where the action stood at the end of the month (not today).
    status_then = {}
    for update in ActionUpdate.objects.for_plan(plan).filter(date__lte=end).order_by(
            "action_id", "date", "id"):
        status_then[update.action_id] = update.status
    completed = [u for u in updates if u.status == PlanAction.DONE]
    done_ids = {aid for aid, status in status_then.items() if status == PlanAction.DONE}
    planned = []
    for row in data["action_rows"]:
        action = row["action"]
        if action.pk in done_ids:
            continue
        next_steps = [u.next_steps for u in updates if u.action_id == action.pk and u.next_steps]
        starts = next_start <= action.start_date <= next_end
        due = next_start <= action.due_date <= next_end
        if next_steps or starts or due:
            planned.append({"action": action, "next_steps": next_steps, "starts": starts,
                            "due": due})
    priorities = []
    for item in data["priorities"]:
        counts = Counter(status_then.get(row["action"].pk, row["action"].status)
                         for row in item["actions"])
        priorities.append({"item": item, "counts": [
            (key, label, counts.get(key, 0)) for key, label in PlanAction.STATUS_CHOICES]})
    issues = [u for u in updates if u.issue or u.status == PlanAction.AT_RISK]
    return {
        "plan": plan, "year": year, "month": month, "month_start": start,
        "month_label": date_format(start, "F Y"),
        "next_month_label": date_format(next_start, "F Y"),
        "updates": updates, "priorities": priorities,
        "outcomes": data["measures"],
        "completed": completed, "planned": planned,
        "learning": [u for u in updates if u.learning],
        "help": [u for u in updates if u.help_needed],
        "issues": issues,
        "risks": [risk for risk in data["risks"] if risk.rating >= 6],
        "rows_by_action": rows_by_action,
    }


def record_update(action, *, status, note, user=None, on=None, learning="", help_needed="",
                  issue="", next_steps="") -> ActionUpdate:
    """Save an officer's progress update on an action."""
    if status not in dict(PlanAction.STATUS_CHOICES):
        raise InputError(_("Choose the action's status."), code="bad_status")
    if not (note or "").strip():
        raise InputError(_("Say what happened."), code="empty_note")
    update = ActionUpdate(action=action, status=status, note=note.strip(),
                          date=on or timezone.localdate(), learning=learning,
                          help_needed=help_needed, issue=issue, next_steps=next_steps,
                          created_by=user)
    update.full_clean()
    update.save()
    return update


# --- PDFs ---------------------------------------------------------------------------------------

def data_version(plan) -> str:
    """Changes whenever a progress update is added, so cached PDFs show current statuses, and
    whenever PDF_LAYOUT_VERSION is bumped, so a new layout replaces PDFs in the old one."""
    last = ActionUpdate.objects.for_plan(plan).aggregate(last=Max("id"))["last"]
    return f"l{PDF_LAYOUT_VERSION}-u{last or 0}"


def pdf_request(plan, kind="plan", language=None) -> PlanPdf:
    """The cached PDF row for the plan's live revision in this language, queuing a render in
    the background when there is none yet."""
    from .tasks import render_plan_pdf

    language = language or translation.get_language() or settings.LANGUAGE_CODE
    revision_id = plan.live_revision_id or plan.latest_revision_id or 0
    version = data_version(plan)
    try:
        with transaction.atomic():
            row, created = PlanPdf.objects.get_or_create(
                page=plan, kind=kind, revision_id=revision_id, language=language,
                data_version=version)
    except IntegrityError:  # another request created it at the same moment
        row, created = PlanPdf.objects.get(
            page=plan, kind=kind, revision_id=revision_id, language=language,
            data_version=version), False
    if created or row.status == PlanPdf.FAILED:
        if row.status == PlanPdf.FAILED:
            row.status, row.error = PlanPdf.PENDING, ""
            row.save(update_fields=["status", "error"])
        # Immediately with the test backend; by a worker with the database backend.
        render_plan_pdf.enqueue(row.pk)
    row.refresh_from_db()
    return row


def plan_pdf_html(plan, kind="plan", language="en", without_graphics=False) -> str:
    """The print HTML for a plan (or a month's highlight report)."""
    from django.template.loader import render_to_string

    published = plan.last_published_at or timezone.now()
    revision_number = plan.revisions.filter(
        created_at__lte=plan.live_revision.created_at if plan.live_revision else timezone.now()
    ).count() or 1
    if kind.startswith("highlights-"):
        year, month = (int(part) for part in kind.removeprefix("highlights-").split("-"))
        context = {"report": highlight_report(plan, year, month), "page": plan,
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
    from portal.pages.models import PortalSettings

    site = plan.get_site()
    if site is None:
        return ""
    portal_settings = PortalSettings.for_site(site)
    return portal_settings.organisation_name or portal_settings.site_name


def pdf_title(plan, kind) -> str:
    if kind.startswith("highlights-"):
        year, month = (int(part) for part in kind.removeprefix("highlights-").split("-"))
        return _("%(plan)s: highlight report, %(month)s") % {
            "plan": plan.title, "month": date_format(date(year, month, 1), "F Y")}
    return plan.title


def render_pdf_row(row: PlanPdf) -> PlanPdf:
    """Render a queued PDF and store it (the task's body)."""
    from portal.pdf import render_pdf

    plan = row.page.specific
    started = time.perf_counter()
    try:
        with translation.override(row.language):
            html = plan_pdf_html(plan, row.kind, row.language)
            info = {}
            content = render_pdf(html, title=pdf_title(plan, row.kind), language=row.language,
                                 info=info)
    except Exception as exc:  # keep the "failed" state visible rather than a stuck "preparing"
        logger.exception("Rendering PDF %s failed", row.pk)
        row.status, row.error = PlanPdf.FAILED, str(exc)[:2000]
        row.save(update_fields=["status", "error"])
        return row
    row.file.save(row.filename, ContentFile(content), save=False)
    row.pages = info.get("pages")
    row.status, row.rendered_at = PlanPdf.READY, timezone.now()
    row.render_seconds = time.perf_counter() - started
    row.save()
    return row


# --- the trail to surveys and forums ------------------------------------------------------------

def evidence_modules():
    """The `evidence` modules of installed feature apps that say which pages evidence came
    from (discovered, not imported by name)."""
    modules = []
    for app_config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{app_config.name}.evidence")
        except ImportError:
            continue
        if hasattr(module, "pages"):
            modules.append(module)
    return modules


def rebuild_trail(plan) -> int:
    """Link each action of a plan to the survey and forum pages its priority's evidence came
    from (the snapshot's evidence window); returns how many links there are."""
    actions = list(plan.actions.select_related("priority__snapshot"))
    wanted = defaultdict(set)
    for action in actions:
        snapshot = action.priority.snapshot
        wanted[(snapshot.neighbourhood_id, action.priority.theme_id)].add(action.pk)
    links = set()
    if wanted:
        for module in evidence_modules():
            try:
                rows = module.pages()
            except Exception:  # one app's evidence failing must not stop publishing a plan
                logger.exception("Evidence pages from %s failed", module.__name__)
                continue
            for row in rows:
                for action_id in wanted.get((row.neighbourhood_id, row.theme_id), ()):
                    links.add((action_id, row.page_id))
    with transaction.atomic():
        ActionEvidence.objects.filter(action__plan=plan, manual=False).delete()
        manual = set(ActionEvidence.objects.filter(action__plan=plan, manual=True)
                     .values_list("action_id", "page_id"))
        ActionEvidence.objects.bulk_create(
            [ActionEvidence(action_id=a, page_id=p) for a, p in sorted(links - manual)])
    return len(links | manual)


def link_evidence_page(action, page) -> ActionEvidence:
    """Link an action to a survey or forum page by hand, for evidence no evidence module can
    see (the link is kept when the plan is published again)."""
    link, _created = ActionEvidence.objects.update_or_create(
        action=action, page_id=page.pk, defaults={"manual": True})
    return link


def trail_pages_for_plan(plan, actions) -> dict[int, list]:
    """Per priority id: the evidence pages (title, url) behind the plan's actions."""
    ids = [action.pk for action in actions if action.pk]
    result = defaultdict(list)
    if not ids:
        return result
    seen = set()
    for link in ActionEvidence.objects.filter(action_id__in=ids).select_related(
            "page", "action").order_by("page__title"):
        key = (link.action.priority_id, link.page_id)
        if key in seen or not link.page.live:
            continue
        seen.add(key)
        result[link.action.priority_id].append({"title": link.page.title,
                                                "url": link.page.url})
    return result


def actions_for_page(page) -> list[dict]:
    """The trail provider: live plan actions whose priority rests on this page's evidence."""
    links = (ActionEvidence.objects.filter(page_id=page.pk, action__plan__live=True)
             .select_related("action__plan", "action__priority__theme")
             .order_by("action__plan__title", "action__sort_order"))
    links = list(links)
    latest = current_statuses([link.action for link in links])
    result = []
    for link in links:
        action, plan = link.action, link.action.plan
        update = latest.get(action.pk)
        status = update.status if update else action.status
        result.append({
            "title": action.title, "url": f"{plan.url}#action-{action.pk}",
            "status": status, "status_label": _status_label(status),
            "priority": str(action.priority.theme), "plan_title": plan.title,
            "plan_url": plan.url,
        })
    return result


# --- approval workflow and permissions ----------------------------------------------------------

def ensure_governance(index) -> None:
    """Give a plan index the approval workflow and the page permissions plans need:
    officers add and edit, councillors edit and publish (they approve)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupApprovalTask, GroupPagePermission, Workflow, WorkflowPage

    councillors, _created = Group.objects.get_or_create(name=APPROVER_GROUP)
    officers, _created = Group.objects.get_or_create(name="Officers")
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.workflow_tasks.exists():
        task, _created = GroupApprovalTask.objects.get_or_create(name="Councillor approval")
        task.groups.add(councillors)
        workflow.workflow_tasks.create(task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})

    def perm(codename):
        return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)

    for group, codenames in ((officers, ("add_page", "change_page")),
                             (councillors, ("change_page", "publish_page"))):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(group=group, page=index,
                                                      permission=perm(codename))


def plans_citing(priority) -> list[dict]:
    """The plans (live or draft) that cite this snapshot priority, as a plan priority or
    through an action, as {"title", "url"} dicts: the public page for a live plan, the admin
    edit page for a draft. Registered with priorities as a citation source."""
    from django.db.models import Q
    from django.urls import reverse

    pk = getattr(priority, "pk", priority)
    plans = (LocalityPlanPage.objects.filter(Q(plan_priorities__priority_id=pk)
                                             | Q(actions__priority_id=pk))
             .distinct().order_by("title"))
    result = []
    for plan in plans:
        url = plan.url if plan.live else reverse("wagtailadmin_pages:edit", args=[plan.pk])
        result.append({"title": plan.title, "url": url or ""})
    return result


def plan_indexes():
    return LocalityPlanIndexPage.objects.all()


def neighbourhood_section(neighbourhood, request) -> dict | None:
    """The "plan for this neighbourhood" section on neighbourhood pages."""
    plans = list(published_plans().filter(neighbourhood=neighbourhood)[:3]) or list(
        published_plans().filter(locality_id=neighbourhood.locality_id)[:3]
        if neighbourhood.locality_id else [])
    if not plans:
        return None
    return {"title": _("Locality plan"), "template": "plans/neighbourhood_section.html",
            "context": {"plans": plans}}
