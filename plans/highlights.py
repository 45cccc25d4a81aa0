"""Monthly highlight reports (the Suffolk teams' format), built from officers' progress updates:
only for the plan's report months, the months with updates."""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.errors import InputError
from portal.happenings import publish_history

from .context import plan_data
from .models import ActionUpdate, PlanAction


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


def _statuses_at(plan, end: date, actions) -> dict[int, str]:
    """Action id -> its status on `end` (from its last update by then). The updates are the
    original plan's; each counts for the action of `actions` with its translation_key."""
    pks = {action.translation_key: action.pk for action in actions}
    status_then = {}
    for key, status in (ActionUpdate.objects.for_plan(plan).filter(date__lte=end)
                        .order_by("date", "id").values_list("action__translation_key", "status")):
        if key in pks:
            status_then[pks[key]] = status
    return status_then


def _as_plans_own(updates, actions) -> list:
    """The updates, each pointing at the action of `actions` with its translation_key (a
    translated plan's own action, in its language) rather than the original's."""
    by_key = {action.translation_key: action for action in actions}
    for update in updates:
        own = by_key.get(update.action.translation_key)
        if own is not None:
            update.action = own
    return updates


def _planned(action_rows, updates, status_then, next_start, next_end) -> list[dict]:
    """Actions not yet done with next steps this month, or starting or due next month."""
    done_ids = {aid for aid, status in status_then.items() if status == PlanAction.DONE}
    planned = []
    for row in action_rows:
        action = row["action"]
        if action.pk in done_ids:
            continue
        next_steps = [u.next_steps for u in updates if u.action_id == action.pk and u.next_steps]
        starts = next_start <= action.start_date <= next_end
        due = next_start <= action.due_date <= next_end
        if next_steps or starts or due:
            planned.append({"action": action, "next_steps": next_steps, "starts": starts,
                            "due": due})
    return planned


def _priority_counts(priorities, status_then) -> list[dict]:
    """Each priority with its actions counted by status at the month's end."""
    result = []
    for item in priorities:
        counts = Counter(status_then.get(row["action"].pk, row["action"].status)
                         for row in item["actions"])
        result.append({"item": item, "counts": [
            (key, label, counts.get(key, 0)) for key, label in PlanAction.STATUS_CHOICES]})
    return result


def _value(raw) -> Decimal | None:
    try:
        return None if raw in (None, "") else Decimal(str(raw))
    except InvalidOperation:
        return None


def _recorded_values(plan) -> list[dict]:
    """Every (measure, value, date) the plan has published, from its published revisions (a
    measure's past values live there: each edit of "latest value" is a new revision) and its
    current rows, oldest publication first."""
    recorded = []
    history = publish_history([plan.pk], fields=["measures"]).get(plan.pk, [])
    for publication in history:
        for item in publication.fields.get("measures") or []:
            if isinstance(item, dict):
                recorded.append({"pk": item.get("pk"), "indicator": item.get("indicator"),
                                 "value": _value(item.get("latest_value")),
                                 "date": parse_date(str(item.get("latest_date") or ""))})
    for measure in plan.measures.all():
        recorded.append({"pk": measure.pk, "indicator": measure.indicator,
                         "value": measure.latest_value, "date": measure.latest_date})
    return recorded


def measures_as_of(plan, end: date) -> list[dict]:
    """The plan's measures with the value each had at `end`: the latest value dated on or
    before it (a later correction of the same date wins), or none ("not measured yet")."""
    recorded = _recorded_values(plan)
    rows = []
    for measure in plan.measures.all():
        candidates = [r for r in recorded if r["value"] is not None and r["date"] is not None
                      and r["date"] <= end and (r["pk"] == measure.pk or r["pk"] is None
                                                and r["indicator"] == measure.indicator)]
        then = None
        for candidate in candidates:  # oldest publication first, so a correction wins a tie
            if then is None or candidate["date"] >= then["date"]:
                then = candidate
        rows.append({"measure": measure, "indicator": measure.indicator, "unit": measure.unit,
                     "target": measure.target, "target_date": measure.target_date,
                     "latest_value": then["value"] if then else None,
                     "latest_date": then["date"] if then else None})
    return rows


def highlight_report(plan, year: int, month: int) -> dict:
    """A Suffolk-style monthly highlight report built from the month's progress updates."""
    check_month(year, month)
    start, end = _month_bounds(year, month)
    next_start, next_end = _month_bounds(*_next_month(year, month))
    data = plan_data(plan)
    actions = [row["action"] for row in data["action_rows"]]
    updates = _as_plans_own(list(ActionUpdate.objects.for_plan(plan)
                                 .filter(date__range=(start, end))
                                 .select_related("action", "action__priority__theme")
                                 .order_by("date", "id")), actions)
    status_then = _statuses_at(plan, end, actions)  # where each action stood then, not today
    return {
        "plan": plan, "year": year, "month": month, "month_start": start,
        "month_label": date_format(start, "F Y"),
        "next_month_label": date_format(next_start, "F Y"),
        "updates": updates,
        "priorities": _priority_counts(data["priorities"], status_then),
        "outcomes": measures_as_of(plan, end),  # as they stood then, not today
        "completed": [u for u in updates if u.status == PlanAction.DONE],
        "planned": _planned(data["action_rows"], updates, status_then, next_start, next_end),
        "learning": [u for u in updates if u.learning],
        "help": [u for u in updates if u.help_needed],
        "issues": [u for u in updates if u.issue or u.status == PlanAction.AT_RISK],
        "risks": [risk for risk in data["risks"] if risk.rating >= 6],
        "rows_by_action": {row["action"].pk: row for row in data["action_rows"]},
    }
