"""Suggested codes for items, from the classifier trained on the portal's own coding.

Suggestions are advice for the officer on the coding screen: they are never applied on their
own, and asking for them changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from portal.themes.models import Theme

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suggestion:
    """A theme the classifier suggests for an item: never applied until an officer confirms."""

    theme_id: int
    theme_name: str
    confidence: float  # 0..1
    words: list[str] = field(default_factory=list)  # the words that drove it, strongest first


def suggestions_for(items) -> dict[int, list[Suggestion]]:
    """InsightItem pk -> suggestions, best first, for the uncoded items among `items` (a page
    of them: one pass of the model and one query for the theme names); items with nothing to
    suggest are left out, and it is {} when no model has been trained yet."""
    from . import classifier

    uncoded = [item for item in items if item.coded_at is None]
    if not uncoded:
        return {}
    try:
        picks = classifier.suggest([item.text for item in uncoded])
    except Exception:  # advice only: a broken model must never break the coding screen
        logger.exception("Suggested codes: suggesting failed")
        return {}
    wanted = {theme_id for row in picks for theme_id, _confidence, _words in row}
    names = dict(Theme.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    found = {}
    for item, row in zip(uncoded, picks, strict=True):
        found_here = [Suggestion(theme_id=theme_id, theme_name=names[theme_id],
                                 confidence=confidence, words=words)
                      for theme_id, confidence, words in row if theme_id in names]
        if found_here:
            found[item.pk] = found_here
    return found


def coding_saved(count: int = 1) -> None:
    """Tell the classifier officers coded `count` more items: after INSIGHT_RETRAIN_EVERY of
    them (or while there is no model) a retrain is queued in the background."""
    from . import classifier_tasks

    classifier_tasks.codings_saved(count)
