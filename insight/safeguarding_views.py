"""Safeguarding flags in the admin: the list of flagged items (no text in it) and each item's
page, which shows the text and records every opening (`SafeguardingOpened`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import safeguarding
from .models import InsightItem
from .sources import source_for

PER_PAGE = 50
AUDIT_SHOWN = 200


def _require(request, action: str) -> None:
    """Refuse the request unless the user may do `action` (see rules.py)."""
    if not request.user.has_perm(f"insight.{action}"):
        raise PermissionDenied


def _page_number(request) -> int:
    """The page asked for; anything that is not a positive number is the first page."""
    value = request.GET.get("p", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 10**6 else 1


@never_cache
@require_GET
def flagged_list(request):
    """Every flagged item: kind, channel, date, neighbourhood, who flagged it, who opened it
    last and when. The text is not in the list: it is read on the item's page, which is
    audited."""
    _require(request, "open_safeguarding")
    unopened = request.GET.get("unopened") == "1"
    items = safeguarding.flagged_items()
    if unopened:
        items = items.filter(times_opened=0)
    page = Paginator(items, PER_PAGE).get_page(_page_number(request))
    rows = [{"item": item, "channel": safeguarding.channel_label(item)} for item in page]
    title = _("Safeguarding flags")
    return TemplateResponse(request, "insight/safeguarding/list.html", {
        "header_title": title, "page_title": title, "header_icon": "warning",
        "page": page, "rows": rows, "unopened": unopened,
    })


@never_cache
@require_GET
def flagged_item(request, pk: int):
    """One flagged item with its text. Each time it is opened a `SafeguardingOpened` row is
    written; those who may see the audit see every opening below it."""
    _require(request, "open_safeguarding")
    item = get_object_or_404(
        InsightItem.objects.select_related("neighbourhood", "flagged_by", "coded_by"),
        pk=pk, safeguarding=True)
    safeguarding.record_opening(item, request.user)
    can_audit = request.user.has_perm("insight.view_safeguarding_audit")
    openings = item.openings.select_related("user").order_by("-at", "-pk")
    source = source_for(item.origin)
    title = _("Safeguarding concern %(number)s") % {"number": item.pk}
    return TemplateResponse(request, "insight/safeguarding/item.html", {
        "header_title": title, "page_title": title, "header_icon": "warning",
        "item": item, "channel": safeguarding.channel_label(item),
        "themes": list(item.themes.order_by("name")),
        "origin_url": source.link(item.origin_id) if source else "",
        "can_audit": can_audit,
        "openings": list(openings[:AUDIT_SHOWN]) if can_audit else [],
        "openings_total": openings.count() if can_audit else 0,
        "audit_shown": AUDIT_SHOWN,
    })


urlpatterns = [
    path("", flagged_list, name="safeguarding"),
    path("<int:pk>/", flagged_item, name="safeguarding_item"),
]
