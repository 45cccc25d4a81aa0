"""What forums tell the "what's new" registry (`portal.happenings`, hook HAPPENINGS): a forum
was announced, a forum's date, time, place or format changed or it was cancelled, and a
"you said, we did" was added after it.

Dates come from Wagtail's publish log: each publication is compared with the one before it,
reading only the fields that matter out of each revision. A forum published after it ended
(recorded after the event) was never announced. Changes are grouped by day, so the id
"forums:changed:<translation key>:<date>" names one day's changes. Five queries in all.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import happenings as registry

from .formatting import venue_text, when_text
from .models import ForumEventPage, ForumVoteTally, YouSaidWeDid

# What a resident planning to come needs to know again when it changes.
DETAILS = ("start", "end", "format", "is_cancelled", "venue_name", "venue_address",
           "venue_postcode")


def happenings(*, since=None) -> list[registry.Happening]:
    """The happenings of live, public forums (all of them; the registry filters by `since`)."""
    events = list(ForumEventPage.objects.live().public()
                  .defer("agenda", "minutes", "joining_link", "joining_instructions")
                  .select_related("locale").prefetch_related("neighbourhoods", "ballot_themes"))
    if not events:
        return []
    ids = [event.pk for event in events]
    history = registry.publish_history(ids, DETAILS + ("you_said_we_did",))
    themes = _themes(ids)
    cache = registry.UrlCache()
    items = []
    for event in events:
        path = registry.page_path(event, cache)
        if not path:
            continue
        common = {
            "title": event.title, "language": event.locale.language_code,
            "neighbourhood_ids": {n.pk for n in event.neighbourhoods.all()},
            "theme_ids": themes.get(event.pk, set()) | {t.pk for t in event.ballot_themes.all()},
        }
        key = f"forums:%s:{event.translation_key}"
        published = history.get(event.pk, [])
        items += _announced(event, key, path, common)
        items += _changes(event, key, path, common, published)
        items += _you_said_we_did(event, key, path, common, published)
    return items


def _themes(ids) -> dict[int, set[int]]:
    """Forum id -> the themes of its dot-vote tallies and its "you said, we did"."""
    themes: dict[int, set[int]] = {}
    rows = list(ForumVoteTally.objects.filter(page_id__in=ids).values_list("page_id", "theme_id"))
    rows += list(YouSaidWeDid.objects.filter(page_id__in=ids, theme__isnull=False)
                 .values_list("page_id", "theme_id"))
    for page_id, theme_id in rows:
        themes.setdefault(page_id, set()).add(theme_id)
    return themes


def _details_text(event) -> str:
    if event.is_cancelled:
        return _("This forum has been cancelled.")
    where = venue_text(event) if event.is_in_person else ""
    if event.is_online:
        where = ", ".join(filter(None, [where, _("Online")]))
    return ". ".join(filter(None, [when_text(event), where])) + "."


def _announced(event, key, path, common) -> list[registry.Happening]:
    announced = event.first_published_at
    if announced is None or announced >= event.end:
        return []
    summary = " ".join(filter(None, [_details_text(event), registry.plain_summary(event.summary)]))
    return [registry.Happening(id=key % "announced", kind=registry.FORUM_ANNOUNCED, url=path,
                               happened_at=announced, summary=summary, **common)]


def _by_day(moments) -> dict:
    """Local day -> the latest of the moments on it."""
    days: dict = {}
    for moment in moments:
        day = timezone.localdate(moment)
        days[day] = max(days.get(day, moment), moment)
    return days


def _changes(event, key, path, common, published) -> list[registry.Happening]:
    """One happening a day on which a publication changed the forum's details before it ended."""
    moments = [now.at for before, now in zip(published, published[1:], strict=False)
               if now.at < event.end
               and [before.fields.get(name) for name in DETAILS]
               != [now.fields.get(name) for name in DETAILS]]
    summary = _details_text(event)
    return [registry.Happening(
        id=key % "changed" + f":{day.isoformat()}", kind=registry.FORUM_CHANGED, url=path,
        happened_at=at, summary=summary, **common) for day, at in _by_day(moments).items()]


def _outcomes(fields) -> set[tuple[str, str]]:
    rows = fields.get("you_said_we_did") or []
    return {(str(row.get("you_said") or ""), str(row.get("we_did") or ""))
            for row in rows if isinstance(row, dict) and (row.get("we_did") or "").strip()}


def _you_said_we_did(event, key, path, common, published) -> list[registry.Happening]:
    """One happening a day on which a publication added a "we did" answer."""
    seen: set = set()
    added: dict = {}
    for publication in published:
        rows = _outcomes(publication.fields)
        new = rows - seen
        seen |= rows
        if new:
            day = timezone.localdate(publication.at)
            added[day] = (publication.at, sorted(new)[0][1])
    return [registry.Happening(
        id=key % "you-said-we-did" + f":{day.isoformat()}", kind=registry.YOU_SAID_WE_DID,
        url=path + "#outcome-title", happened_at=at, summary=registry.plain_summary(we_did),
        **common) for day, (at, we_did) in added.items()]
