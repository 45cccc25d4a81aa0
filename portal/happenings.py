"""What's new: the registry of public happenings that feeds show and alerts will send.

A happening is something a resident may want to hear about: a survey opened, its results or
its "you said, we did" were published, a forum was announced or changed, a plan was published
or updated, a monthly highlight report appeared. Feature apps answer from their own models
through providers registered under the `HAPPENINGS` hook (`portal.extension_points`); the core
collects, filters and orders them here and never imports an app.

A provider is `fn(*, since=None) -> Iterable[Happening]`: only live, public pages, nothing
about a person, texts in the active language (a consumer activates a language first). Each
happening has a stable `id` ("surveys:results:<translation key>"): the same happening keeps
its id on every call, and every language copy of a page gives the same id, so a consumer can
remember what it has already shown or sent and `happenings(language=...)` keeps one copy of
each. A provider that raises is logged and skipped, so one broken app never empties a feed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import PageLogEntry

from .extension_points import HAPPENINGS

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 50
SUMMARY_LENGTH = 300

SURVEY_OPENED = "survey_opened"
RESULTS_PUBLISHED = "results_published"
YOU_SAID_WE_DID = "you_said_we_did"
FORUM_ANNOUNCED = "forum_announced"
FORUM_CHANGED = "forum_changed"
PLAN_PUBLISHED = "plan_published"
PLAN_UPDATED = "plan_updated"
HIGHLIGHT_REPORT = "highlight_report"

# kind -> (short label, headline with the thing's title)
KINDS = {
    SURVEY_OPENED: (_("Survey open"), _("Survey open: %(title)s")),
    RESULTS_PUBLISHED: (_("Results published"), _("Results published: %(title)s")),
    YOU_SAID_WE_DID: (_("You said, we did"), _("You said, we did: %(title)s")),
    FORUM_ANNOUNCED: (_("Forum announced"), _("Forum announced: %(title)s")),
    FORUM_CHANGED: (_("Forum changed"), _("Forum changed: %(title)s")),
    PLAN_PUBLISHED: (_("Plan published"), _("Plan published: %(title)s")),
    PLAN_UPDATED: (_("Plan updated"), _("Plan updated: %(title)s")),
    HIGHLIGHT_REPORT: (_("Highlight report"), _("Highlight report: %(title)s")),
}


@dataclass(frozen=True)
class Happening:
    """One public happening. `url` is a path ("/surveys/family-hubs/results/") or an absolute
    URL; `neighbourhood_ids` empty means the whole area; `happened_at` is time-zone aware."""

    id: str
    kind: str
    title: str
    url: str
    happened_at: datetime
    summary: str = ""
    neighbourhood_ids: frozenset[int] = field(default_factory=frozenset)
    theme_ids: frozenset[int] = field(default_factory=frozenset)
    language: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown happening kind {self.kind!r}")
        if not self.id or timezone.is_naive(self.happened_at):
            raise ValueError("A happening needs an id and an aware happened_at")
        object.__setattr__(self, "neighbourhood_ids", frozenset(self.neighbourhood_ids))
        object.__setattr__(self, "theme_ids", frozenset(self.theme_ids))

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind][0])

    @property
    def headline(self) -> str:
        """The title with what happened: "Results published: Family hubs survey"."""
        return str(KINDS[self.kind][1]) % {"title": self.title}

    @property
    def whole_area(self) -> bool:
        return not self.neighbourhood_ids

    def is_for(self, neighbourhood_id: int) -> bool:
        """Whether someone following this neighbourhood should hear of it."""
        return self.whole_area or neighbourhood_id in self.neighbourhood_ids

    def absolute_url(self, base: str | None = None) -> str:
        """The URL with the scheme and host of `base` (default: the configured address)."""
        if urlsplit(self.url).scheme:
            return self.url
        return (base or site_base_url()).rstrip("/") + self.url


def site_base_url() -> str:
    """The portal's configured public address (PORTAL_BASE_URL), never a request's host."""
    return str(getattr(settings, "PORTAL_SITE_URL", settings.WAGTAILADMIN_BASE_URL)).rstrip("/")


def collect(since: datetime | None = None, failed: list | None = None) -> list[Happening]:
    """Every provider's happenings, unfiltered; a provider that fails is logged and skipped
    (and added to `failed` when given, so a caller does not keep an incomplete list)."""
    found: list[Happening] = []
    for provider in hooks.get_hooks(HAPPENINGS):
        try:
            items = list(provider(since=since))
        except Exception:  # one broken app must not take the feeds down with it
            logger.exception("Happenings provider %r failed; its items are left out",
                             getattr(provider, "__qualname__", provider))
            if failed is not None:
                failed.append(provider)
            continue
        found.extend(item for item in items if isinstance(item, Happening))
    return found


def happenings(since: datetime | None = None, neighbourhood=None, limit: int | None =
               DEFAULT_LIMIT, language: str | None = None, now: datetime | None = None,
               kinds: Iterable[str] | None = None) -> list[Happening]:
    """Public happenings, newest first, one per id.

    `since`: only those after it. `neighbourhood` (a Neighbourhood or its id): only its own and
    the whole area's. `language`: of each happening, the copy in that language, else the copy
    in the default language, else any. `kinds`: only these. Nothing after `now` (a page
    scheduled for later has not happened yet)."""
    return select(collect(since), since=since, neighbourhood=neighbourhood, limit=limit,
                  language=language, now=now, kinds=kinds)


def select(found: Iterable[Happening], since: datetime | None = None, neighbourhood=None,
           limit: int | None = DEFAULT_LIMIT, language: str | None = None,
           now: datetime | None = None, kinds: Iterable[str] | None = None) -> list[Happening]:
    """`happenings()` from happenings already collected (`collect()`, perhaps cached): the
    same filters, one copy per id, newest first."""
    now = now or timezone.now()
    neighbourhood_id = getattr(neighbourhood, "pk", neighbourhood)
    wanted_kinds = set(kinds) if kinds is not None else None
    items = [item for item in found
             if item.happened_at <= now
             and (since is None or item.happened_at > since)
             and (neighbourhood_id is None or item.is_for(neighbourhood_id))
             and (wanted_kinds is None or item.kind in wanted_kinds)]
    items = one_per_id(items, language)
    items.sort(key=lambda item: (item.happened_at, item.id), reverse=True)
    return items[:limit] if limit is not None else items


def one_per_id(items: Iterable[Happening], language: str | None = None) -> list[Happening]:
    """Of the happenings sharing an id (language copies), the one in `language`, else in the
    default language, else the latest."""
    default = settings.LANGUAGE_CODE.split("-")[0]

    def preference(item):
        return (item.language == language, item.language == default, item.happened_at)

    best: dict[str, Happening] = {}
    for item in items:
        kept = best.get(item.id)
        if kept is None or preference(item) > preference(kept):
            best[item.id] = item
    return list(best.values())


# Helpers for providers --------------------------------------------------------------------

def plain_summary(text: str, length: int = SUMMARY_LENGTH) -> str:
    """Plain text from text or rich text, on one line, cut at a word near `length`."""
    text = " ".join(strip_tags(text or "").split())
    return Truncator(text).chars(length)


class UrlCache:
    """Holds Wagtail's site root paths for one run of a provider: pass it to `page_path`."""


def page_path(page, cache: UrlCache) -> str:
    """A page's URL path ("/cy/..." for a Welsh copy), or "" when it cannot be routed."""
    parts = page.get_url_parts(request=cache)
    if not parts or parts[2] is None:
        return ""
    site_id, root_url, path = parts
    return path if len(cache_sites(cache)) <= 1 else (root_url or "") + path


def cache_sites(cache: UrlCache) -> set:
    return {values[0] for values in getattr(cache, "_wagtail_cached_site_root_paths", ())}


@dataclass(frozen=True)
class Publication:
    """One publication of a page: when, which revision, and the fields asked for as they were
    in that revision's content."""

    at: datetime
    revision_id: int
    fields: dict


def publish_history(page_ids: Iterable[int], fields: Iterable[str] = (),
                    since: datetime | None = None) -> dict[int, list[Publication]]:
    """Page id -> its publications, oldest first, in one query (Wagtail's publish log, with
    only the named fields read out of each revision's content)."""
    fields = list(fields)
    entries = (PageLogEntry.objects
               .filter(page_id__in=list(page_ids), action="wagtail.publish",
                       revision__isnull=False)
               .order_by("page_id", "timestamp", "pk"))
    if since is not None:
        entries = entries.filter(timestamp__gt=since)
    columns = {f"content_{name}": f"revision__content__{name}" for name in fields}
    history: dict[int, list[Publication]] = {}
    for row in entries.values("page_id", "timestamp", "revision_id", **_transforms(columns)):
        history.setdefault(row["page_id"], []).append(Publication(
            at=row["timestamp"], revision_id=row["revision_id"],
            fields={name: row[f"content_{name}"] for name in fields}))
    return history


def _transforms(columns: dict[str, str]) -> dict:
    from django.db.models import F

    return {alias: F(lookup) for alias, lookup in columns.items()}
