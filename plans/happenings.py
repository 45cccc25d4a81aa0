"""What locality plans tell the "what's new" registry (`portal.happenings`, hook HAPPENINGS):
a plan was published, a published plan was updated, a monthly highlight report appeared.

A plan is published when it first goes live (a councillor approved it) and updated on each
later day it is published again. A month's highlight report appears when the month is over
and has progress updates (or when its first update is entered, if that is later). A plan for
a locality is for each of the locality's neighbourhoods. Six queries in all.
"""

from __future__ import annotations

import datetime

from django.db.models import Min
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import happenings as registry
from portal.neighbourhoods.models import Neighbourhood

from .models import ActionUpdate, LocalityPlanPage, PlanPriority


def happenings(*, since=None) -> list[registry.Happening]:
    """The happenings of live, public plans (all of them; the registry filters by `since`)."""
    plans = list(LocalityPlanPage.objects.live().public().select_related("locale"))
    if not plans:
        return []
    ids = [plan.pk for plan in plans]
    history = registry.publish_history(ids)
    areas = _neighbourhoods(plans)
    themes: dict[int, set[int]] = {}
    for plan_id, theme_id in (PlanPriority.objects.filter(plan_id__in=ids)
                              .values_list("plan_id", "priority__theme_id")):
        themes.setdefault(plan_id, set()).add(theme_id)
    months = _report_months({plan.translation_key for plan in plans})
    cache = registry.UrlCache()
    items = []
    for plan in plans:
        path = registry.page_path(plan, cache)
        if not path:
            continue
        common = {"title": plan.title, "language": plan.locale.language_code,
                  "neighbourhood_ids": areas.get(plan.pk, set()),
                  "theme_ids": themes.get(plan.pk, set())}
        key = f"plans:%s:{plan.translation_key}"
        items += _publications(plan, key, path, common, history.get(plan.pk, []))
        items += _reports(plan, key, path, common, months.get(plan.translation_key, {}))
    return items


def _neighbourhoods(plans) -> dict[int, set[int]]:
    """Plan id -> its neighbourhood, or every neighbourhood of its locality."""
    localities = {plan.locality_id for plan in plans if plan.locality_id}
    in_locality: dict[int, set[int]] = {}
    for locality_id, pk in (Neighbourhood.objects.filter(locality_id__in=localities)
                            .values_list("locality_id", "pk")):
        in_locality.setdefault(locality_id, set()).add(pk)
    return {plan.pk: ({plan.neighbourhood_id} if plan.neighbourhood_id
                      else in_locality.get(plan.locality_id, set()))
            for plan in plans}


def _report_months(keys) -> dict:
    """Plan translation_key -> {first day of a month with updates: when its first update was
    entered}: a translated plan has its original's report months (the updates are recorded on
    the original's actions)."""
    rows = (ActionUpdate.objects.filter(action__plan__translation_key__in=keys)
            .annotate(month=TruncMonth("date")).values("action__plan__translation_key", "month")
            .annotate(entered=Min("created_at")).order_by())
    months: dict = {}
    for row in rows:
        family = months.setdefault(row["action__plan__translation_key"], {})
        if row["month"] not in family or row["entered"] < family[row["month"]]:
            family[row["month"]] = row["entered"]
    return months


def _publications(plan, key, path, common, published) -> list[registry.Happening]:
    first = plan.first_published_at or (published[0].at if published else None)
    if first is None:
        return []
    period = _("Plan for %(period)s.") % {"period": plan.period_label}
    summary = " ".join(filter(None, [period, registry.plain_summary(plan.summary)]))
    items = [registry.Happening(id=key % "published", kind=registry.PLAN_PUBLISHED, url=path,
                                happened_at=first, summary=summary, **common)]
    first_day = timezone.localdate(first)
    later: dict = {}
    for publication in published:
        day = timezone.localdate(publication.at)
        if day > first_day:
            later[day] = max(later.get(day, publication.at), publication.at)
    items += [registry.Happening(
        id=key % "updated" + f":{day.isoformat()}", kind=registry.PLAN_UPDATED, url=path,
        happened_at=at, summary=summary, **common) for day, at in later.items()]
    return items


def _month_end(month: datetime.date) -> datetime.datetime:
    """The moment the month is over: midnight, local time, at the start of the next one."""
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return timezone.make_aware(datetime.datetime.combine(following, datetime.time()))


def _reports(plan, key, path, common, months) -> list[registry.Happening]:
    items = []
    for month, entered in months.items():
        if isinstance(month, datetime.datetime):
            month = month.date()
        url = path + plan.reverse_subpage(
            "highlight", kwargs={"year": f"{month.year:04d}", "month": f"{month.month:02d}"})
        label = date_format(month, "YEAR_MONTH_FORMAT")
        items.append(registry.Happening(
            id=key % "highlights" + f":{month:%Y-%m}", kind=registry.HIGHLIGHT_REPORT, url=url,
            happened_at=max(_month_end(month), entered),
            summary=_("Progress on the plan's actions in %(month)s.") % {"month": label},
            **{**common, "title": _("%(plan)s, %(month)s") % {"plan": plan.title,
                                                              "month": label}}))
    return items
