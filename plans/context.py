"""What a plan's web page and PDF show: the plan as data, in a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal import disclosure
from priorities.disclosure import hidden_groups, hidden_scores, snapshot_ranking
from priorities.pages import priorities_page
from priorities.presentation import score_fields, snapshot_interval
from priorities.scoring import SCORED_GROUPS
from priorities.wording import evidence_summary, hidden_scores_explained, method_name

from .catalogues import describe_markers, partner_organisations
from .charts import map_markers, plan_map_svg, priorities_chart_svg
from .models import ActionUpdate, PlanAction
from .trail import trail_pages_for_plan

# Evidence sources that count things, not people (the asset map's places): their counts are
# never suppressed, and they have no people column.
NOT_ABOUT_PEOPLE = {"assets"}

SOURCE_LABELS = {
    "surveys": gettext_lazy("Surveys"), "forums": gettext_lazy("Forums"),
    "feedback": gettext_lazy("Community feedback"), "assets": gettext_lazy("Community assets"),
}


def plan_data(plan) -> dict:
    """Everything a plan's web page and PDF show, in a fixed number of queries."""
    actions = list(plan.actions.select_related("priority__theme").order_by("sort_order", "pk"))
    markers = describe_markers(map_markers(actions))
    rows = action_rows(actions, markers)
    priorities = priority_items(plan, rows)
    evidence_pages = trail_pages_for_plan(plan, actions)
    for priority in priorities:
        priority["pages"] = evidence_pages.get(priority["priority"].pk, [])
    budget_lines = list(plan.budget_lines.all())
    return {
        "priorities": priorities, "action_rows": rows,
        "score_methods": sorted({item["method"] for item in priorities}),
        "without_interval": any(item["percent"] is not None and item["interval"] is None
                                for item in priorities),
        "hidden_explained": hidden_scores_explained() if any(
            item["score"] is None for item in priorities) else "",
        "status_totals": [(key, label, sum(1 for r in rows if r["status"] == key))
                          for key, label in PlanAction.STATUS_CHOICES],
        "budget_lines": budget_lines,
        "budget_total": sum((line.amount for line in budget_lines), Decimal("0")),
        "measures": list(plan.measures.all()),
        "risks": sorted(plan.risks.all(), key=lambda risk: -risk.rating),
        "contacts": list(plan.contacts.all()),
        "markers": markers,
        "chart_svg": priorities_chart_svg(priorities),
        "method_url": method_page_url(plan),
        "map_svg": plan_map_svg(plan, markers),
    }


def method_page_url(plan) -> str:
    """The full address of the public page explaining how scores are worked out, or ""."""
    page = priorities_page(plan.get_site())
    return page.full_url + page.reverse_subpage("method_route") if page else ""


def action_rows(actions, markers) -> list[dict]:
    """One row per action, numbered: its current status (from its latest update), partner
    organisations still on the catalogue, numbered venues and whether it is overdue."""
    latest = ActionUpdate.objects.latest_by_action(actions)
    marker_numbers = {marker["key"]: marker["number"] for marker in markers}
    organisations = partner_organisations(actions)
    today = timezone.localdate()
    rows = []
    for number, action in enumerate(actions, start=1):
        update = latest.get(action.pk)
        status = update.status if update else action.status
        rows.append({
            "number": number, "action": action, "status": status,
            "status_label": PlanAction.status_label(status), "last_update": update,
            "organisations": [organisations[key] for key in action.partner_organisation_keys
                              or [] if key in organisations],
            "venues": [dict(v, number=marker_numbers.get(v["key"])) for v in action.venues],
            "overdue": status != PlanAction.DONE and action.due_date < today,
        })
    return rows


def priority_items(plan, rows) -> list[dict]:
    """The plan's priorities in order, each with its action rows, status counts, and its
    evidence, summary and score as the public may see them (`snapshot_disclosure`): the
    score as a fraction (``score``) and for people (``percent``, ``interval``,
    ``score_text`` as on the priorities pages), with its snapshot's ``method`` in words."""
    plan_priorities = plan.plan_priorities.select_related(
        "priority__theme", "priority__snapshot__neighbourhood").order_by("sort_order", "pk")
    by_priority = defaultdict(list)
    for row in rows:
        by_priority[row["action"].priority_id].append(row)
    priorities, snapshots = [], {}
    for rank, plan_priority in enumerate(plan_priorities, start=1):
        priority = plan_priority.priority
        if priority.snapshot_id not in snapshots:
            snapshots[priority.snapshot_id] = snapshot_disclosure(priority.snapshot)
        hidden, no_score = snapshots[priority.snapshot_id]
        groups = hidden.get(priority.theme_id, set())
        priority_rows = by_priority.get(priority.pk, [])
        score_hidden = priority.theme_id in no_score
        priorities.append({
            "number": rank, "plan_priority": plan_priority, "priority": priority,
            "theme": priority.theme, "actions": priority_rows,
            "evidence": evidence_rows(priority, groups),
            "summary": evidence_summary(priority.evidence or {}, priority.snapshot.totals or {},
                                        groups),
            "score": None if score_hidden else priority.score,
            **score_fields({"score": priority.score, "interval": snapshot_interval(priority)},
                           score_hidden),
            "method": method_name(priority.snapshot.method),
            "status_counts": Counter(row["status"] for row in priority_rows),
            "anchor": f"priority-{rank}",
        })
    return priorities


def snapshot_disclosure(snapshot) -> tuple[dict[int, set[str]], set[int]]:
    """(groups hidden per theme, themes whose score is hidden) for a snapshot: what the
    priorities pages hide, plans hide too, so no page gives away what another protects."""
    ranking = snapshot_ranking(snapshot)
    hidden = hidden_groups(ranking)
    return hidden, hidden_scores(ranking, hidden)


def evidence_rows(priority, hidden: set[str] | None = None) -> list[dict]:
    """The evidence behind a priority, per source, as the public may see it: a source's
    numbers are hidden when the snapshot's tables hide them (`hidden`, worked out from the
    snapshot when not given) or, for any other source about people, when small."""
    if hidden is None:
        hidden = snapshot_disclosure(priority.snapshot)[0].get(priority.theme_id, set())
    rows = []
    for source, data in (priority.evidence or {}).items():
        if not isinstance(data, dict):
            continue
        people, count = data.get("people"), data.get("count")
        about_people = source not in NOT_ABOUT_PEOPLE
        if not about_people:
            people = None  # places are not people: shown as "–", never hidden
        withheld = about_people and (
            source in hidden or source not in SCORED_GROUPS and any(
                value is not None and disclosure.count(value).hidden
                for value in (people, count)))
        rows.append({
            "source": SOURCE_LABELS.get(source, source.replace("_", " ").capitalize()),
            "count": None if withheld else count,
            "people": None if withheld else people,
            "suppressed": withheld,
            "cell": disclosure.not_shown() if withheld else None,
            "about_people": about_people,
        })
    return rows

