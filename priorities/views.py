"""Thin views: the public priorities pages and the officers' admin pages."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import InputError
from portal.neighbourhoods.content_cache import cached
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

from . import scoring
from .disclosure import hidden_groups, public_totals, snapshot_ranking, threshold
from .feedback import feedback_trends
from .forms import DecisionForm, PopulationImportForm, SnapshotForm, TrendsForm, WeightsForm
from .models import PrioritySnapshot, ScoringWeights, SnapshotPriority
from .pages import evidence_pages, priorities_page
from .population import import_population, participation
from .presentation import (
    TOP,
    any_hidden,
    bar_chart,
    comparison,
    method_info,
    multiplier_table,
    present,
    sensitivity,
    snapshot_scores,
)
from .ranking import (
    current_rankings,
    group_labels,
    live_ranking,
    low_sample_people,
    ranking_status,
    weights_instance,
)
from .snapshots import decide, latest_decided_snapshots, latest_snapshots, take_snapshot
from .wording import (
    caution_text,
    evidence_sentences,
    hidden_scores_explained,
    multiplier_text,
)

# Public ------------------------------------------------------------------------------------


def _neighbourhoods():
    # Without the boundaries, which the index does not show: it is kept in the shared cache.
    return list(Neighbourhood.objects.defer("boundary").order_by("name"))


def _cache_key(request, page, *parts) -> str:
    """Public pages show nobody's own data: one copy per page, language, host (and slug)."""
    return ":".join(str(part) for part in ("priorities", page.pk, get_language(),
                                           request.get_host(), *parts))


def priorities_index(request, page):
    """Every neighbourhood's top priorities, and the neighbourhoods x themes comparison
    (worked out once per content version: `portal.neighbourhoods.content_cache`)."""
    context = cached(_cache_key(request, page), lambda: (_index_context(page), None))
    return TemplateResponse(request, "priorities/priorities_page.html",
                            {"page": page, **context})


def _index_context(page) -> dict:
    neighbourhoods = _neighbourhoods()
    rankings, status = current_rankings()
    themes = Theme.objects.in_bulk()
    decided = latest_decided_snapshots()
    areas = []
    for neighbourhood in neighbourhoods:
        ranking = live_ranking(neighbourhood.pk, rankings)
        snapshot = decided.get(neighbourhood.pk)
        areas.append({
            "neighbourhood": neighbourhood,
            "url": page.url + page.reverse_subpage("neighbourhood_route",
                                                   kwargs={"slug": neighbourhood.slug}),
            "live": present(ranking, themes, limit=TOP),
            "adopted": [p for p in snapshot.priorities.all() if p.is_adopted]
            if snapshot else [],
        })
    table = comparison(rankings, neighbourhoods)
    return {
        "areas": areas, "comparison": table, "ranking_status": status,
        "method_url": page.url + page.reverse_subpage("method_route"),
        "method": method_info(scoring.METHOD_VERSION),
        "hidden_explained": hidden_scores_explained() if any(
            cell["hidden"] for row in table["rows"] for cell in row["cells"]) else "",
    }


def neighbourhood_priorities(request, page, slug):
    """One neighbourhood: adopted priorities, the live ranking, who took part (worked out
    once per content version: `portal.neighbourhoods.content_cache`)."""
    context = cached(_cache_key(request, page, slug),
                     lambda: (_neighbourhood_context(request, page, slug), None))
    if context is None:
        raise Http404
    return TemplateResponse(request, "priorities/neighbourhood_priorities.html",
                            {"page": page, **context})


def _neighbourhood_context(request, page, slug) -> dict | None:
    neighbourhood = Neighbourhood.objects.filter(slug=slug).first()
    if neighbourhood is None:
        return None
    ranking = live_ranking(neighbourhood)
    themes = Theme.objects.in_bulk([p["theme_id"] for p in ranking["priorities"]])
    live = present(ranking, themes)[:10]
    links = evidence_pages(ranking, request)
    for row in live:
        row["links"] = links.get(row["theme_id"], [])
    snapshot = latest_decided_snapshots([neighbourhood.pk]).get(neighbourhood.pk)
    return {
        "neighbourhood": neighbourhood, "ranking": ranking, "live": live,
        "ranking_status": ranking_status(),
        "chart": bar_chart(live[:10]), "snapshot": snapshot,
        "decided": _decided(snapshot) if snapshot else [],
        "snapshot_method": method_info(snapshot.method) if snapshot else None,
        "method": method_info(ranking["method"]),
        "sensitivity": sensitivity(ranking.get("sensitivity"), themes),
        "hidden_explained": hidden_scores_explained() if any_hidden(live) else "",
        "evidence_since": _day(ranking["since"]), "evidence_until": _day(ranking["until"]),
        "totals": public_totals(ranking["totals"]),
        "participation": participation(neighbourhood, ranking),
        "index_url": page.url, "method_url": page.url + page.reverse_subpage("method_route"),
        "caution": caution_text(),
    }


def _day(value):
    """A ranking's ISO date (a string, as cached) as a date for the template's format."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _decided(snapshot) -> list[dict]:
    """A decided snapshot's priorities for the public: sentences and scores hidden as the
    live ranking hides them (what would give a small number away is hidden too)."""
    hidden = hidden_groups(snapshot_ranking(snapshot))
    scores = snapshot_scores(snapshot)
    return [{"priority": priority, **scores[priority.pk],
             "sentences": evidence_sentences(priority.evidence, snapshot.totals,
                                             hidden.get(priority.theme_id, set()))}
            for priority in snapshot.priorities.all()
            if priority.decision != SnapshotPriority.PENDING]


def priorities_method(request, page):
    """How we worked this out, in plain English, with the multipliers in use."""
    return TemplateResponse(request, "priorities/method.html", {
        "page": page, "index_url": page.url, "multipliers": multiplier_table(),
        "threshold": threshold(), "low_sample": low_sample_people(),
        "method": method_info(scoring.METHOD_VERSION),
    })


# Admin -------------------------------------------------------------------------------------


def _require(request, action):
    """Refuse the request unless the user may do `action` (see rules.py)."""
    if not request.user.has_perm(f"priorities.{action}"):
        raise PermissionDenied


def _admin(request, template, title, context, icon="list-ol"):
    page = priorities_page(getattr(request, "site", None))
    method_url = page.get_url(request) + page.reverse_subpage("method_route") if page else ""
    return TemplateResponse(request, f"priorities/admin/{template}", {
        "header_title": title, "page_title": title, "header_icon": icon,
        "method_url": method_url, **context})


def admin_overview(request):
    _require(request, "view_rankings")
    rankings, status = current_rankings()
    themes = Theme.objects.in_bulk()
    latest = latest_snapshots()
    rows = [{"neighbourhood": n,
             "live": present(live_ranking(n.pk, rankings), themes, limit=TOP,
                             public=False),
             "snapshot": latest.get(n.pk)} for n in _neighbourhoods()]
    return _admin(request, "overview.html", _("Priorities"), {
        "rows": rows, "can_weights": request.user.has_perm("priorities.change_weights"),
        "method": method_info(scoring.METHOD_VERSION), "ranking_status": status,
    })


def admin_neighbourhood(request, pk, snapshot_form=None):
    _require(request, "view_rankings")
    neighbourhood = get_object_or_404(Neighbourhood, pk=pk)
    ranking = live_ranking(neighbourhood)
    live = present(ranking, public=False)  # officers see exact shares and scores
    labels = group_labels()
    return _admin(request, "neighbourhood.html",
                  _("Priorities: %(name)s") % {"name": neighbourhood.name}, {
                      "neighbourhood": neighbourhood, "ranking": ranking, "live": live,
                      "ranking_status": ranking_status(),
                      "chart": bar_chart(live[:10]),
                      "weights": [(labels[g], multiplier_text(v)) for g, v in
                                  (ranking.get("multipliers") or ranking["weights"]).items()],
                      "need_weighting": bool(ranking.get("need_weighting")),
                      "need_weighting_withheld": bool(ranking.get("need_weighting_withheld")),
                      "threshold": threshold(),
                      "method": method_info(ranking["method"]),
                      "sensitivity": sensitivity(ranking.get("sensitivity")),
                      "totals": public_totals(ranking["totals"]),
                      "participation": participation(neighbourhood, ranking),
                      "snapshots": neighbourhood.priority_snapshots.select_related("taken_by"),
                      "snapshot_form": snapshot_form or SnapshotForm(),
                      "can_snapshot": request.user.has_perm("priorities.take_snapshot"),
                      "can_weights": request.user.has_perm("priorities.change_weights"),
                      "can_import": request.user.has_perm("priorities.import_population"),
                      "caution": caution_text(),
                  })


@require_POST
def admin_take_snapshot(request, pk):
    _require(request, "take_snapshot")
    neighbourhood = get_object_or_404(Neighbourhood, pk=pk)
    form = SnapshotForm(request.POST)
    if not form.is_valid():
        return admin_neighbourhood(request, pk, snapshot_form=form)
    snapshot = take_snapshot(neighbourhood, request.user, form.cleaned_data["title"])
    if snapshot.priorities.exists():
        messages.success(request, _("Snapshot taken. Adopt or set aside each priority below."))
    else:
        messages.warning(request, _("Snapshot taken, but it is empty: there is no evidence for "
                                    "%(name)s yet.") % {"name": neighbourhood.name})
    return redirect("priorities_admin:snapshot", snapshot.pk)


def admin_weights(request, pk=None):
    _require(request, "change_weights")
    neighbourhood = get_object_or_404(Neighbourhood, pk=pk) if pk else None
    row = weights_instance(neighbourhood)
    form = WeightsForm(request.POST or None)
    fields = [name for name in (*ScoringWeights.SOURCES, "need_weighting") if name in form.fields]
    form.initial = {name: getattr(row, name) for name in fields}
    if request.method == "POST" and form.is_valid():
        for name in fields:
            setattr(row, name, form.cleaned_data[name])
        row.updated_by = request.user
        row.full_clean()
        row.save()
        messages.success(request, _("Multipliers saved. The live ranking uses them now."))
        if neighbourhood:
            return redirect("priorities_admin:neighbourhood", neighbourhood.pk)
        return redirect("priorities_admin:overview")
    title = (_("Multipliers: %(name)s") % {"name": neighbourhood.name} if neighbourhood
             else _("Default multipliers"))
    return _admin(request, "weights.html", title, {"form": form, "neighbourhood": neighbourhood},
                  icon="cog")


def _snapshot_context(request, snapshot, failed=None, failed_form=None):
    priorities = []
    scores = snapshot_scores(snapshot, public=False)  # officers see exact scores
    for priority in snapshot.priorities.select_related("theme", "decided_by"):
        form = failed_form if failed == priority.pk else DecisionForm(
            prefix=f"p{priority.pk}",
            initial={"decision": priority.decision if priority.decision !=
                     SnapshotPriority.PENDING else None, "rationale": priority.rationale})
        priorities.append({"priority": priority, "form": form, **scores[priority.pk],
                           "sentences": evidence_sentences(priority.evidence,
                                                                    snapshot.totals)})
    labels = group_labels()
    return {"snapshot": snapshot, "priorities": priorities,
            "can_adopt": request.user.has_perm("priorities.adopt_priority"),
            "weights": [(labels.get(g, g), multiplier_text(v))
                        for g, v in snapshot.weights.items()],
            "method": method_info(snapshot.method),
            "need_weighting": snapshot.need_weighting,
            "sensitivity": sensitivity(snapshot.sensitivity),
            "totals": public_totals(snapshot.totals),
            "errors_form": failed_form, "caution": caution_text()}


def admin_snapshot(request, pk):
    _require(request, "view_rankings")
    snapshot = get_object_or_404(PrioritySnapshot.objects.select_related("neighbourhood",
                                                                         "taken_by"), pk=pk)
    return _admin(request, "snapshot.html", str(snapshot), _snapshot_context(request, snapshot))


@require_POST
def admin_decide(request, pk, priority):
    _require(request, "adopt_priority")
    snapshot = get_object_or_404(PrioritySnapshot, pk=pk)
    item = get_object_or_404(snapshot.priorities.select_related("theme"), pk=priority)
    form = DecisionForm(request.POST, prefix=f"p{item.pk}")
    if form.is_valid():
        try:
            decide(item, form.cleaned_data["decision"], form.cleaned_data["rationale"],
                            request.user)
        except InputError as error:
            field = "rationale" if error.code == "rationale_required" else "decision"
            form.add_error(field, error.message)
        else:
            messages.success(request, _("Decision on %(theme)s saved.")
                             % {"theme": item.theme.name})
            return redirect(f"{request.build_absolute_uri(_snapshot_url(snapshot))}"
                            f"#priority-{item.pk}")
    response = _admin(request, "snapshot.html", str(snapshot),
                      _snapshot_context(request, snapshot, failed=item.pk, failed_form=form))
    response.status_code = 400
    return response


def _snapshot_url(snapshot):
    return reverse("priorities_admin:snapshot", args=[snapshot.pk])


def admin_trends(request):
    _require(request, "view_feedback_trends")
    form = TrendsForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    report = feedback_trends(data.get("group_by") or "source", data.get("since"),
                                      data.get("until"))
    return _admin(request, "trends.html", _("Community feedback trends"),
                  {"form": form, "report": report}, icon="table")


def admin_import_population(request):
    _require(request, "import_population")
    form = PopulationImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_population(form.cleaned_data["file"],
                                            dry_run=form.cleaned_data["dry_run"])
        if not report.errors and not report.dry_run:
            messages.success(request, _("Population figures imported: %(created)s new, "
                                        "%(updated)s updated.")
                             % {"created": report.created, "updated": report.updated})
            return redirect("priorities_admin:import_population")
    return _admin(request, "import_population.html", _("Import population figures"),
                  {"form": form, "report": report}, icon="upload")
