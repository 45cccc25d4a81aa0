"""The coding screen: community feedback and survey comments, filtered, coded one by one or in
bulk, at keyboard speed. Officers code; councillors read; the text of a safeguarding-flagged
item is shown only to those who may open it, and each showing is recorded."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import coding, sources, suggestions
from .coding_forms import BulkForm, CodingChoices, FilterForm, ItemCodingForm, source_choices
from .models import InsightItem, SafeguardingOpened


def _require(request, action: str) -> None:
    if not request.user.has_perm(f"insight.{action}"):
        raise PermissionDenied


def _filters(request, choices):
    data = request.GET.copy()
    data.pop("page", None)
    if not data.get("status"):
        can_code = request.user.has_perm("insight.code_items")
        data["status"] = coding.UNCODED if can_code else coding.ALL
    form = FilterForm(data, choices=choices)
    form.is_valid()  # invalid filters are reported and left out; the valid ones apply
    return form


def _error_list(*forms, anchor_prefix="id_"):
    errors = []
    for form in forms:
        if form is None:
            continue
        errors += [{"message": message} for message in form.non_field_errors()]
        for name, field_errors in form.errors.items():
            if name != "__all__":
                errors += [{"message": m, "anchor": f"{anchor_prefix}{name}"}
                           for m in field_errors]
    return errors


def _rows(page, request, choices, item_form=None, item_pk=None):
    """What each item of the page shows: no query per item."""
    can_open = request.user.has_perm("insight.open_safeguarding")
    items = list(page.object_list)
    suggested = suggestions.suggestions_for(items) if items else {}
    labels = dict(source_choices())
    languages = dict(settings.LANGUAGES)
    current = {(s.theme_id, s.key): s.pk for s in choices.sub_themes}  # old versions' by key
    rows = []
    for index, item in enumerate(items):
        posted = item_form.data if item_form is not None and item.pk == item_pk else None
        theme_ids = ({int(v) for v in posted.getlist("themes") if v.isdigit()} if posted
                     else {t.pk for t in item.themes.all()})
        rows.append({
            "item": item, "theme_ids": theme_ids,
            "retired": [t for t in item.themes.all() if not t.is_active],
            "sub_theme_ids": {current.get((s.theme_id, s.key)) for s in item.sub_themes.all()},
            "show_text": can_open or not item.safeguarding,
            "source_label": labels.get(item.source, item.source),
            "language_label": languages.get(item.language, item.language),
            "suggestions": suggested.get(item.pk, [])[:3],
            "next_pk": items[index + 1].pk if index + 1 < len(items) else "",
            "errors": item_form.errors if posted is not None else None,
        })
    opened = [SafeguardingOpened(item=row["item"], user=request.user) for row in rows
              if row["item"].safeguarding and row["show_text"]]
    SafeguardingOpened.objects.bulk_create(opened)
    return rows


def coding_screen(request, *, item_form=None, item_pk=None, bulk_form=None):
    """The list to code, its filters and bulk actions (GET); re-shown with errors after a
    post that could not be saved."""
    _require(request, "view_items")
    choices = CodingChoices.load()
    filters = _filters(request, choices)
    page = coding.page_of(coding.filtered(filters.cleaned_data), request.GET.get("page"))
    query = filters.data.copy()
    page_query = query.copy()
    if page.number > 1:
        page_query["page"] = page.number
    errors = _error_list(filters) + _error_list(item_form, anchor_prefix=f"item-{item_pk}-")
    errors += _error_list(bulk_form, anchor_prefix="bulk-id_")
    count = page.paginator.count
    title = _("Code feedback and comments")
    response = TemplateResponse(request, "insight/coding/screen.html", {
        "filters": filters, "page": page, "rows": _rows(page, request, choices, item_form,
                                                        item_pk),
        "choices": choices, "query": query.urlencode(), "page_query": page_query.urlencode(),
        "sub_theme_groups": choices.sub_theme_groups(), "errors": errors,
        "bulk_form": bulk_form or BulkForm(choices=choices, auto_id="bulk-id_%s"),
        "can_code": request.user.has_perm("insight.code_items"),
        "sentiments": InsightItem.SENTIMENTS,
        "count_text": ngettext("%(n)s item matches", "%(n)s items match", count)
        % {"n": number_format(count, force_grouping=True)},
        "header_title": title, "page_title": title, "header_icon": "tag",
    }, status=400 if (item_form is not None or bulk_form is not None) else 200)
    return response


def _back(request, anchor=""):
    url = reverse("insight:coding")
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}{anchor}" if query else f"{url}{anchor}")


@require_POST
def code(request, pk):
    """Save one item's coding, then go on to the next item of the list."""
    _require(request, "view_items")
    _require(request, "code_items")
    item = get_object_or_404(InsightItem, pk=pk)
    choices = CodingChoices.load()
    form = ItemCodingForm(request.POST, choices=choices, auto_id=f"item-{pk}-id_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            coding.code_item(item, theme_ids=form.theme_ids(), sub_theme_ids=data["sub_themes"],
                             sentiment=data["sentiment"], service_id=data["service"],
                             safeguarding=data["safeguarding"], user=request.user,
                             accepted_suggestion=bool(data.get("accept")), request=request)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return coding_screen(request, item_form=form, item_pk=item.pk)
    messages.success(request, _("Item %(n)s saved.") % {"n": item.pk})
    next_pk = form.cleaned_data.get("next")
    return _back(request, f"#item-{next_pk or item.pk}")


@require_POST
def bulk(request):
    """Apply a bulk action to the ticked items, or to every item of the page."""
    _require(request, "view_items")
    _require(request, "code_items")
    choices = CodingChoices.load()
    form = BulkForm(request.POST, choices=choices, auto_id="bulk-id_%s")
    if form.is_valid():
        data = form.cleaned_data
        items = InsightItem.objects.filter(pk__in=data["ids"])
        try:
            changed = coding.bulk_code(
                items, user=request.user,
                add_theme_ids=[data["theme"]] if data["action"] == BulkForm.ADD_THEME else [],
                sentiment=data["sentiment"] if data["action"] == BulkForm.SET_SENTIMENT else "",
                mark_reviewed=data["action"] == BulkForm.REVIEWED)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, ngettext("%(n)s item changed.", "%(n)s items changed.",
                                               changed) % {"n": changed})
            return _back(request)
    return coding_screen(request, bulk_form=form)


def origin(request, pk):
    """The item where it came from (the feedback's edit page, the survey's comments)."""
    _require(request, "view_items")
    item = get_object_or_404(InsightItem, pk=pk)
    if item.safeguarding and not request.user.has_perm("insight.open_safeguarding"):
        raise PermissionDenied
    source = sources.source_for(item.origin)
    link = source.link(item.origin_id) if source is not None else ""
    if not link:
        messages.error(request, _("The original of item %(n)s is no longer there.")
                       % {"n": item.pk})
        return _back(request)
    return redirect(link)


urlpatterns = [
    path("", coding_screen, name="coding"),
    path("items/<int:pk>/code/", code, name="coding_item"),
    path("items/<int:pk>/original/", origin, name="coding_origin"),
    path("bulk/", bulk, name="coding_bulk"),
]
