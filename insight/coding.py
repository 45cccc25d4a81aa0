"""Coding at speed: finding items to code, and saving an officer's coding with its audit.

`filtered()` narrows the 50,000-a-year index with index-friendly filters, newest first;
`page_of()` paginates it with one COUNT and loads what one page shows in a few queries.
`code_item()` saves one item's coding, records a `CodingEvent`, writes themes, sentiment and
the safeguarding flag back to the origin (so priorities' evidence counts them) and tells the
safeguarding contact of a new flag after the commit; `bulk_code()` does the bulk actions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.themes.models import Theme

from . import safeguarding as safeguarding_alerts
from . import sources, suggestions
from .models import CodingEvent, CodingMatrix, InsightItem, MatrixService, MatrixSubTheme

try:  # the coding matrix's services (part of this app, built alongside)
    from . import matrix as matrix_services
except ImportError:  # pragma: no cover - before the matrix module exists
    matrix_services = None

PER_PAGE = 25
UNCODED, CODED, ALL = "uncoded", "coded", "all"
FLAGGED, NEEDS_REVIEW = "flagged", "review"


def current_matrix() -> CodingMatrix | None:
    """The matrix version new coding is saved under."""
    if matrix_services is not None and hasattr(matrix_services, "current_matrix"):
        return matrix_services.current_matrix()
    return CodingMatrix.current()


def filtered(params: Mapping):
    """InsightItems matching the coding screen's (cleaned) filters, newest first.

    Keys, all optional: status (uncoded / coded / all), flag (flagged / review), theme (a
    Theme or id), sub_theme (a MatrixSubTheme or id: matched by its key in any version), source,
    origin, neighbourhood (a Neighbourhood or id), date_from, date_to, language, q (words in
    the text)."""
    items = InsightItem.objects.all()
    status = params.get("status") or ALL
    if status == UNCODED:
        items = items.uncoded()
    elif status == CODED:
        items = items.coded()
    flag = params.get("flag")
    if flag == FLAGGED:
        items = items.filter(safeguarding=True)
    elif flag == NEEDS_REVIEW:
        items = items.exclude(review_reason="")
    if theme := params.get("theme"):
        through = InsightItem.themes.through.objects.filter(theme_id=getattr(theme, "pk", theme))
        items = items.filter(pk__in=through.values("insightitem_id"))
    if sub_theme := params.get("sub_theme"):
        if not isinstance(sub_theme, MatrixSubTheme):
            sub_theme = MatrixSubTheme.objects.filter(pk=sub_theme).first()
        same = MatrixSubTheme.objects.filter(key=getattr(sub_theme, "key", ""),
                                             theme_id=getattr(sub_theme, "theme_id", None))
        through = InsightItem.sub_themes.through.objects.filter(matrixsubtheme__in=same)
        items = items.filter(pk__in=through.values("insightitem_id"))
    for field in ("source", "origin", "language"):
        if value := params.get(field):
            items = items.filter(**{field: value})
    if neighbourhood := params.get("neighbourhood"):
        items = items.filter(neighbourhood_id=getattr(neighbourhood, "pk", neighbourhood))
    if date_from := params.get("date_from"):
        items = items.filter(received_on__gte=date_from)
    if date_to := params.get("date_to"):
        items = items.filter(received_on__lte=date_to)
    if words := (params.get("q") or "").strip():
        items = items.filter(text__icontains=words)
    return items.order_by("-received_on", "-id")


def page_of(items, number, per_page: int = PER_PAGE):
    """One page of `items` (COUNT once), with what the screen shows of each loaded for the
    page only: neighbourhood, service, coder, themes, sub-themes and the coding history."""
    paginator = Paginator(items.select_related("neighbourhood", "service", "coded_by",
                                               "matrix"), per_page)
    page = paginator.get_page(number)
    rows = list(page.object_list)
    events = CodingEvent.objects.select_related("user").order_by("-at", "-id")
    prefetch_related_objects(
        rows, "themes", Prefetch("sub_themes", MatrixSubTheme.objects.select_related("theme")),
        Prefetch("events", events))
    page.object_list = rows
    return page


def _check(theme_ids, sub_theme_ids, service_id, matrix) -> tuple[list[int], list[int]]:
    """Valid ids, or a ValidationError naming what is wrong. Sub-themes bring their theme."""
    theme_ids = sorted({int(t) for t in theme_ids})
    known = set(Theme.objects.filter(pk__in=theme_ids).values_list("pk", flat=True))
    if set(theme_ids) - known:
        raise ValidationError(_("Choose themes from the list."), code="theme")
    sub_theme_ids = sorted({int(s) for s in sub_theme_ids})
    subs = dict(MatrixSubTheme.objects.filter(pk__in=sub_theme_ids, matrix=matrix)
                .values_list("pk", "theme_id"))
    if set(sub_theme_ids) - set(subs):
        raise ValidationError(_("Choose sub-themes of the current coding matrix."),
                              code="sub_theme")
    if service_id and not MatrixService.objects.filter(pk=service_id, matrix=matrix).exists():
        raise ValidationError(_("Choose a service of the current coding matrix."),
                              code="service")
    return sorted(set(theme_ids) | set(subs.values())), sub_theme_ids


def _codes(item: InsightItem) -> dict:
    """The coding as saved, for the audit: readable without the rows it names."""
    return {"themes": sorted(t.slug for t in item.themes.all()),
            "sub_themes": sorted(s.key for s in item.sub_themes.all()),
            "sentiment": item.sentiment,
            "service": item.service.key if item.service_id else "",
            "safeguarding": item.safeguarding}


def _write_back(item: InsightItem, theme_ids: Iterable[int], user) -> None:
    source = sources.source_for(item.origin)
    if source is None:
        return
    with sources.muted():
        source.apply(item.origin_id, theme_ids=list(theme_ids), sentiment=item.sentiment,
                     safeguarding=item.safeguarding, user=user)


@transaction.atomic
def code_item(item: InsightItem, *, theme_ids, sub_theme_ids=(), sentiment="", service_id=None,
              safeguarding=False, user, accepted_suggestion=False, request=None) -> InsightItem:
    """Save one item's coding under the current matrix version; record who and when; write
    themes, sentiment and flag back to the origin; a new flag tells the safeguarding contact
    after the commit. Raises ValidationError for an unknown theme, a sub-theme or service of
    another matrix version, or an unknown sentiment."""
    matrix = current_matrix()
    theme_ids, sub_theme_ids = _check(theme_ids, sub_theme_ids, service_id, matrix)
    if sentiment and sentiment not in dict(InsightItem.SENTIMENTS):
        raise ValidationError(_("Choose a sentiment from the list."), code="sentiment")
    was_flagged = InsightItem.objects.filter(pk=item.pk).values_list(
        "safeguarding", flat=True).first()
    item.matrix, item.sentiment, item.service_id = matrix, sentiment or "", service_id or None
    item.safeguarding, item.coded_at, item.coded_by = bool(safeguarding), timezone.now(), user
    item.save(update_fields=["matrix", "sentiment", "service", "safeguarding", "coded_at",
                             "coded_by"])
    item.themes.set(theme_ids)
    item.sub_themes.set(sub_theme_ids)
    codes = _codes(item)
    action = CodingEvent.SUGGESTION_ACCEPTED if accepted_suggestion else CodingEvent.CODED
    events = [CodingEvent(item=item, action=action, user=user, matrix=matrix, codes=codes)]
    if item.safeguarding != bool(was_flagged):
        events.append(CodingEvent(
            item=item, user=user, matrix=matrix, codes=codes,
            action=CodingEvent.FLAGGED if item.safeguarding else CodingEvent.UNFLAGGED))
    CodingEvent.objects.bulk_create(events)
    _write_back(item, theme_ids, user)
    if item.safeguarding and not was_flagged:
        transaction.on_commit(lambda: safeguarding_alerts.flag_raised(item, user, request))
    transaction.on_commit(lambda: suggestions.coding_saved(1))
    return item


@transaction.atomic
def bulk_code(items: Iterable[InsightItem], *, user, add_theme_ids=(), sentiment="",
              mark_reviewed=False) -> int:
    """Bulk actions on chosen items: add themes, set the sentiment, mark reviewed (clears why
    an item needed review). One BULK CodingEvent per item; themes and sentiment are written
    back to each origin. Returns the number of items changed."""
    items = list(items)
    if not items:
        return 0
    matrix = current_matrix()
    add_theme_ids, _subs = _check(add_theme_ids, (), None, matrix)
    if sentiment and sentiment not in dict(InsightItem.SENTIMENTS):
        raise ValidationError(_("Choose a sentiment from the list."), code="sentiment")
    now, through = timezone.now(), InsightItem.themes.through
    through.objects.bulk_create([through(insightitem_id=item.pk, theme_id=theme_id)
                                 for item in items for theme_id in add_theme_ids],
                                ignore_conflicts=True)
    fields = ["review_reason"] if mark_reviewed else []
    for item in items:
        if mark_reviewed:
            item.review_reason = ""
        if add_theme_ids or sentiment:
            item.sentiment = sentiment or item.sentiment
            item.matrix, item.coded_at, item.coded_by = item.matrix or matrix, now, user
    if add_theme_ids or sentiment:
        fields += ["sentiment", "matrix", "coded_at", "coded_by"]
    InsightItem.objects.bulk_update(items, fields, batch_size=500)
    prefetch = InsightItem.objects.filter(pk__in=[i.pk for i in items]).select_related(
        "service").prefetch_related("themes", "sub_themes").order_by("pk")
    CodingEvent.objects.bulk_create([CodingEvent(item=item, action=CodingEvent.BULK, user=user,
                                                 matrix=item.matrix, codes=_codes(item))
                                     for item in prefetch])
    if add_theme_ids or sentiment:
        for item in prefetch:
            _write_back(item, [t.pk for t in item.themes.all()], user)
        transaction.on_commit(lambda: suggestions.coding_saved(len(items)))
    return len(items)
