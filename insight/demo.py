"""Load the demo's community insight: a coding matrix (version 1 and a second version with one
sub-theme renamed and one added), the Healthwatch Brent import source with its saved mapping,
and about 200 more items of community feedback over the past year, about 60% coded.

Run by `load_demo_insight` after the other demo loaders. Everything is written in bulk; a second
run changes nothing. The words in demo_content.py are what residents say in the context papers.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from portal.neighbourhoods.models import Neighbourhood
from portal.roles import OFFICERS
from portal.themes.models import Theme
from priorities.models import FeedbackItem

from . import demo_content as content
from . import matrix as matrices
from . import sources
from .models import (
    CodingEvent,
    CodingMatrix,
    ImportSource,
    InsightItem,
    MatrixService,
    MatrixSubTheme,
)

ITEMS = 200
CODED_SHARE = 0.6
SEED = 20261130
ADDED_KEY = slugify(content.ADDED[1])


def load(stdout=None) -> dict:
    """Load the demo insight (idempotent). Returns counts of what was made."""
    say = stdout.write if stdout else (lambda text: None)
    officer = get_user_model().objects.filter(groups__name=OFFICERS).order_by("pk").first()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    first, second = load_matrix(themes, officer)
    ImportSource.objects.get_or_create(name=content.IMPORT_SOURCE, defaults={
        "channel": FeedbackItem.HEALTHWATCH, "mapping": content.IMPORT_MAPPING,
        "date_format": "dmy"})
    for source in sources.all_sources():  # survey comments too, when surveys offer them
        sources.refresh(source)
    made = 0
    if not FeedbackItem.objects.filter(source_detail=content.IMPORT_SOURCE).exists():
        made = len(add_feedback(themes, officer))
    coded = code_items(first, second, themes, officer)
    say(f"  coding matrix versions {first.number} and {second.number}, {made} feedback items, "
        f"{coded} items coded with sub-themes")
    return {"feedback": made, "coded": coded}


def load_matrix(themes, officer) -> tuple[CodingMatrix, CodingMatrix]:
    """Version 1 from the context documents' themes, then version 2 through the matrix service
    (one sub-theme renamed, one added). Left alone when a matrix exists."""
    if CodingMatrix.objects.exists():
        versions = list(CodingMatrix.objects.order_by("number"))
        return versions[0], versions[-1]
    now = timezone.now()
    first = CodingMatrix.objects.create(number=1, notes=content.V1_NOTES, created_by=officer)
    MatrixSubTheme.objects.bulk_create([
        MatrixSubTheme(matrix=first, theme=themes[slug], name=name, position=position,
                       key=matrices.make_key(name, set(), "sub-theme"))
        for slug, names in content.SUB_THEMES.items() if slug in themes
        for position, name in enumerate(names, start=1)])
    MatrixService.objects.bulk_create([
        MatrixService(matrix=first, key=matrices.make_key(name, set(), "service"), name=name)
        for name in content.SERVICES])
    rows = [matrices.SubThemeRow(row.theme_id, row.name, row.position, row.key)
            for row in first.sub_themes.all()]
    slug, key, new_name = content.RENAMED
    for row in rows:
        if row.key == key and row.theme_id == themes[slug].pk:
            row.name = new_name
    slug, name, _fallback = content.ADDED
    rows.append(matrices.SubThemeRow(themes[slug].pk, name, 2))
    proposal = matrices.propose(first, rows, [matrices.ServiceRow(row.name, row.key)
                                              for row in first.services.all()])
    second = matrices.save_new_version(proposal, officer, content.V2_NOTES)
    CodingMatrix.objects.filter(pk=first.pk).update(created_at=now - timedelta(days=380))
    CodingMatrix.objects.filter(pk=second.pk).update(created_at=now - timedelta(days=90))
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def add_feedback(themes, officer) -> list[int]:
    """About 200 items over the past 12 months, across neighbourhoods and channels; those to
    be coded carry their theme (as the origin records it), the rest wait to be coded."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    places = [n for n in Neighbourhood.objects.order_by("name") if n.name in content.PLACES]
    if not places:
        return []
    items, theme_links = [], []
    plan = [(comment, False) for comment in content.COMMENTS]
    plan = (plan * (ITEMS // len(plan) + 1))[:ITEMS - len(content.SAFEGUARDING)]
    plan += [(comment, True) for comment in content.SAFEGUARDING]
    for index, ((slug, _key, sentiment, _service, text), flagged) in enumerate(plan):
        neighbourhood = places[(index * 7 + index // len(places)) % len(places)]
        source, detail = content.CHANNELS[rng.randrange(len(content.CHANNELS))]
        coded = flagged or rng.random() < CODED_SHARE
        items.append(FeedbackItem(
            source=source, source_detail=detail.format(neighbourhood=neighbourhood.name),
            neighbourhood=neighbourhood,
            received_on=today - timedelta(days=rng.randint(2, 360)),
            text=text.format(place=rng.choice(content.PLACES[neighbourhood.name])),
            sentiment=sentiment if sentiment in {"positive", "neutral", "negative"} else
            FeedbackItem.NEGATIVE,
            people_count=rng.choice([1, 1, 1, 1, 2, 3, 5, 12]),
            safeguarding=flagged, created_by=officer))
        theme_links.append(themes[slug] if coded and slug in themes else None)
    with sources.muted():
        FeedbackItem.objects.bulk_create(items, batch_size=500)
        through = FeedbackItem.themes.through
        through.objects.bulk_create([through(feedbackitem_id=item.pk, theme_id=theme.pk)
                                     for item, theme in zip(items, theme_links, strict=True)
                                     if theme is not None], batch_size=1000)
    ids = [item.pk for item in items]
    sources.refresh(sources.feedback_source, ids)
    return ids


def _wanted(item, by_text) -> tuple | None:
    """The demo comment an indexed item came from (its theme, key, sentiment, service)."""
    for (slug, key, sentiment, service, text) in by_text:
        head = text.split("{place}")[0][:40]
        if item.text.startswith(head):
            return slug, key, sentiment, service
    text = item.text.lower()
    for words, slug, key in content.KEYWORDS:
        if any(word in text for word in words):
            return slug, key, "", ""
    return None


def code_items(first, second, themes, officer) -> int:
    """Give the coded demo items (those whose origin has themes) their matrix version,
    sub-theme, service, sentiment, equality and a coding record, as an officer would have.
    Items already given a version are left alone. Returns how many were coded."""
    rng = random.Random(SEED + 1)
    comments = content.COMMENTS + content.SAFEGUARDING
    subs = {(row.matrix_id, row.theme_id, row.key): row for row in MatrixSubTheme.objects.filter(
        matrix__in=[first, second])}
    services = {(row.matrix_id, row.name): row for row in MatrixService.objects.filter(
        matrix__in=[first, second])}
    items = list(InsightItem.objects.filter(origin=InsightItem.FEEDBACK, matrix__isnull=True,
                                            coded_at__isnull=False))
    links, events, changed = [], [], []
    for item in items:
        wanted = _wanted(item, comments)
        if wanted is None or wanted[0] not in themes:
            continue
        slug, key, sentiment, service = wanted
        version = second if item.received_on >= second.created_at.date() else first
        row = subs.get((version.pk, themes[slug].pk, key))
        if row is None and key == ADDED_KEY:  # added in version 2: before, it was this one
            row = subs.get((version.pk, themes[slug].pk, content.ADDED[2]))
        if row is None:
            continue
        item.matrix = version
        item.sentiment = sentiment or item.sentiment or InsightItem.NEUTRAL
        item.service = services.get((version.pk, service))
        item.equality = dict(rng.choice(content.EQUALITY)) if rng.random() < 0.4 else {}
        coded_on = item.received_on + timedelta(days=rng.randint(1, 9))
        item.coded_at = min(timezone.now(), timezone.make_aware(
            datetime.combine(coded_on, time(rng.randint(9, 16), rng.randint(0, 59)))))
        item.coded_by = officer
        changed.append(item)
        links.append(InsightItem.sub_themes.through(insightitem_id=item.pk,
                                                    matrixsubtheme_id=row.pk))
        events.append(CodingEvent(item=item, action=CodingEvent.CODED, user=officer,
                                  matrix=version, codes={
                                      "themes": [slug], "sub_themes": [row.key],
                                      "sentiment": item.sentiment}))
    InsightItem.objects.bulk_update(changed, ["matrix", "sentiment", "service", "equality",
                                              "coded_at", "coded_by"], batch_size=500)
    InsightItem.sub_themes.through.objects.bulk_create(links, batch_size=1000,
                                                       ignore_conflicts=True)
    CodingEvent.objects.bulk_create(events, batch_size=500)
    for event, item in zip(events, changed, strict=True):
        event.at = item.coded_at
    CodingEvent.objects.bulk_update(events, ["at"], batch_size=500)
    return len(changed)
