"""Safeguarding flags (part F replaces this stub)."""

from __future__ import annotations


def flag_raised(item, user, request=None) -> None:
    """An item was newly flagged: tell the safeguarding contact through the task queue, with a
    link and never the text. Called by the coding screen and the importer after the commit."""
