"""Suggested codes for items (part D replaces this stub with the trained classifier's)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Suggestion:
    """A theme the classifier suggests for an item: never applied until an officer confirms."""

    theme_id: int
    theme_name: str
    confidence: float  # 0..1
    words: list[str] = field(default_factory=list)  # the words that drove it, strongest first


def suggestions_for(items) -> dict[int, list[Suggestion]]:
    """InsightItem pk -> suggestions, best first; {} when no model has been trained yet."""
    return {}


def coding_saved(count: int = 1) -> None:
    """Tell the classifier officers coded `count` more items (it may retrain in the background)."""
