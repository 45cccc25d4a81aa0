"""The trail, "you said, we did": which survey and forum pages each action's priority rests on,
the actions a page led to (for the surveys' and forums' outcome sections) and the plans that
cite a priority (so priorities can refuse to set a cited one aside)."""

from __future__ import annotations

import importlib
import logging
from collections import defaultdict

from django.apps import apps
from django.db import transaction
from django.db.models import Q, Subquery
from django.urls import reverse
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from portal.neighbourhoods import content_cache
from portal.themes.names import theme_name

from .models import ActionEvidence, ActionUpdate, LocalityPlanPage, PlanAction

logger = logging.getLogger(__name__)


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


def _evidence_links(actions) -> set[tuple[int, int]]:
    """(action id, page id) for each evidence page of each action's priority's neighbourhood
    and theme, from every evidence module."""
    wanted = defaultdict(set)
    for action in actions:
        snapshot = action.priority.snapshot
        wanted[(snapshot.neighbourhood_id, action.priority.theme_id)].add(action.pk)
    links = set()
    if not wanted:
        return links
    for module in evidence_modules():
        try:
            rows = module.pages()
        except Exception:  # one app's evidence failing must not stop publishing a plan
            logger.exception("Evidence pages from %s failed", module.__name__)
            continue
        for row in rows:
            for action_id in wanted.get((row.neighbourhood_id, row.theme_id), ()):
                links.add((action_id, row.page_id))
    return links


def rebuild_trail(plan) -> int:
    """Link each action of a plan to the survey and forum pages its priority's evidence came
    from (the snapshot's evidence window); returns how many links there are. Only the
    original plan of a translation family is linked: its translations show its links (matched
    by the actions' translation_key), so the same evidence is never counted twice."""
    if plan.original_plan.pk != plan.pk:
        return 0
    links = _evidence_links(plan.actions.select_related("priority__snapshot"))
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
    """Per priority id: the live evidence pages (title, url) behind the plan's actions (for a
    translated plan, its original's actions with the same translation_key)."""
    keys = {action.translation_key for action in actions if action.pk}
    result = defaultdict(list)
    if not keys:
        return result
    seen = set()
    for link in ActionEvidence.objects.filter(action__translation_key__in=keys).select_related(
            "page", "action").order_by("page__title"):
        key = (link.action.priority_id, link.page_id)
        if key in seen or not link.page.live:
            continue
        seen.add(key)
        result[link.action.priority_id].append({"title": link.page.title,
                                                "url": link.page.url})
    return result


def actions_for_page(page, *, cached: bool = True) -> list[dict]:
    """The OUTCOMES hook: live plan actions whose priority rests on this page's evidence,
    kept in the shared cache until content changes (`content_cache`), or worked out afresh
    with `cached=False`."""
    if not cached:
        return _actions_for_page(page)
    if not page.pk:
        return []
    return content_cache.cached(f"plans:trail:{page.pk}:{get_language()}",
                                lambda: (_actions_for_page(page), None))


def _in_language(actions) -> dict:
    """translation_key -> the action's translation in the active language, in a live plan
    (one query; none where the plan has no translation in it)."""
    try:
        locale = Locale.get_active()
    except (LookupError, Locale.DoesNotExist):
        return {}
    keys = {action.translation_key for action in actions if action.locale_id != locale.pk}
    if not keys:
        return {}
    return {action.translation_key: action for action in PlanAction.objects.filter(
        translation_key__in=keys, locale=locale, plan__live=True).select_related(
        "plan", "priority__theme")}


def _actions_for_page(page) -> list[dict]:
    # The page's translations share its links (evidence pools into the original page). The
    # family is found by the page's pk in the same query, so any page (even none, pk 0) runs
    # the same queries: surveys' reference look-up relies on that.
    family = Page.objects.filter(pk=page.pk).values("translation_key")[:1]
    links = list(ActionEvidence.objects.filter(page__translation_key=Subquery(family),
                                               action__plan__live=True)
                 .select_related("action__plan", "action__priority__theme")
                 .order_by("action__plan__title", "action__sort_order", "action_id"))
    links = list({link.action_id: link for link in links}.values())
    latest = ActionUpdate.objects.latest_by_action([link.action for link in links])
    translated = _in_language([link.action for link in links])
    result = []
    for link in links:
        update = latest.get(link.action_id)
        action = translated.get(link.action.translation_key, link.action)
        plan = action.plan
        status = update.status if update else action.status
        result.append({
            "title": action.title, "url": f"{plan.url}#action-{action.pk}",
            "status": status, "status_label": PlanAction.status_label(status),
            "priority": theme_name(action.priority.theme), "plan_title": plan.title,
            "plan_url": plan.url,
        })
    return result


def plans_citing(priority) -> list[dict]:
    """The CITATIONS hook: the plans (live or draft) that cite this snapshot priority, as a
    plan priority or through an action, as {"title", "url"} dicts: the public page for a live
    plan, the admin edit page for a draft."""
    pk = getattr(priority, "pk", priority)
    plans = (LocalityPlanPage.objects.filter(Q(plan_priorities__priority_id=pk)
                                             | Q(actions__priority_id=pk))
             .originals().distinct().order_by("title"))  # a plan once, not per language
    result = []
    for plan in plans:
        url = plan.url if plan.live else reverse("wagtailadmin_pages:edit", args=[plan.pk])
        result.append({"title": plan.title, "url": url or ""})
    return result
