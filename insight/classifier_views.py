"""The suggested codes page: how well the classifier does, and "Retrain now"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import classifier, classifier_tasks
from .models import ClassifierModel


def _require(request, action):
    """Refuse the request unless the user may do `action` (see rules.py)."""
    if not request.user.has_perm(f"insight.{action}"):
        raise PermissionDenied


def _percent(value):
    return None if value is None else round(value * 100)


def _themes(model) -> tuple[list[dict], list[dict]]:
    """(measured themes, themes left out), each by name, from the stored per-theme figures."""
    measured, left_out = [], []
    for slug, entry in (model.per_theme or {}).items():
        row = {"name": entry.get("name", slug), "examples": entry.get("examples"),
               "support": entry.get("support"), "precision": _percent(entry.get("precision")),
               "recall": _percent(entry.get("recall"))}
        (left_out if entry.get("left_out") else measured).append(row)
    return (sorted(measured, key=lambda row: row["name"]),
            sorted(left_out, key=lambda row: row["name"]))


def suggestions(request):
    """When the model was trained, on how many items, and how well it did on held-back ones."""
    _require(request, "view_suggestions")
    model = ClassifierModel.objects.defer("artefact").order_by("-trained_at", "-pk").first()
    measured, left_out = _themes(model) if model else ([], [])
    refusal = classifier_tasks.last_refusal()
    if refusal and model and refusal.get("at", "") < model.trained_at.isoformat():
        refusal = None  # a model was trained since
    if refusal and not model:
        left_out = sorted(refusal.get("left_out", []), key=lambda row: row["name"])
    title = _("Suggested codes")
    return TemplateResponse(request, "insight/suggestions/index.html", {
        "header_title": title, "page_title": title, "header_icon": "wand-magic-sparkles",
        "model": model, "precision": _percent(model.precision) if model else None,
        "recall": _percent(model.recall) if model else None,
        "measured": measured, "left_out": left_out, "refusal": refusal,
        "status": classifier_tasks.status(), "retrain_every": classifier_tasks.retrain_every(),
        "can_train": request.user.has_perm("insight.train_classifier"),
        "threshold": _percent(classifier.threshold()),
        "minimum_items": classifier.MIN_ITEMS, "minimum_per_theme": classifier.MIN_PER_THEME,
    })


@require_POST
def retrain(request):
    """Queue a retrain (one at a time: a second press while one waits queues nothing)."""
    _require(request, "train_classifier")
    if classifier_tasks.request_retrain():
        messages.success(request, _("Retraining queued. The new model is used as soon as it is "
                                    "ready; this page shows its figures then."))
    else:
        messages.info(request, _("A retrain is already queued or running."))
    return redirect("insight:suggestions")


urlpatterns = [
    path("", suggestions, name="suggestions"),
    path("retrain/", retrain, name="retrain_classifier"),
]
