"""Scoring hits the same way whatever provider found them, and plain-text extracts with the
searched words marked.

A hit's score counts first how many of the query's terms it has (so one with every word
beats one with some), then where they are: each term found in a field adds the field's
weight, twice over at the start of a word, and the whole query as a phrase adds more.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .hits import SearchHit

SNIPPET_LENGTH = 200
_SPACES = re.compile(r"\s+")


def plain_text(text: str) -> str:
    """Text without tags or entities, on one line: what a rich text field reads as."""
    if "<" in text or "&" in text:
        text = html.unescape(strip_tags(text.replace("<", " <")))
    return _SPACES.sub(" ", text).strip()


def _term_pattern(terms: Iterable[str]) -> re.Pattern | None:
    """Each term and the rest of its word ("bank" marks "banks"), longest first."""
    parts = sorted({re.escape(term) for term in terms if term}, key=len, reverse=True)
    if not parts:
        return None
    return re.compile(rf"(?:{'|'.join(parts)})\w*", re.IGNORECASE)


def score_hit(hit: SearchHit, terms: tuple[str, ...], phrase: str = "") -> SearchHit:
    """Set the hit's `matched` terms and `score` from its fields."""
    matched: set[str] = set()
    points = 0.0
    phrase = " ".join(phrase.casefold().split())
    for text, weight in hit.fields:
        folded = plain_text(text).casefold()
        if not folded:
            continue
        for term in terms:
            position = folded.find(term)
            if position < 0:
                continue
            matched.add(term)
            word_start = position == 0 or not folded[position - 1].isalnum()
            points += weight * (2 if word_start else 1)
        if len(terms) > 1 and phrase and phrase in folded:
            points += weight * 3
    if phrase and plain_text(hit.title).casefold() == phrase:
        points += 100  # the very thing asked for by name
    hit.matched = frozenset(matched)
    hit.score = len(matched) * 1000 + points
    return hit


def rank(hits: Iterable[SearchHit], terms: tuple[str, ...], phrase: str = ""
         ) -> tuple[list[SearchHit], bool]:
    """Hits best first, and whether they are those with every term (True) or, when none has
    them all, those with some (False). Hits with the same key are merged (best score kept)."""
    best: dict[str, SearchHit] = {}
    for hit in hits:
        score_hit(hit, terms, phrase)
        if not hit.matched:
            continue
        if hit.key not in best or hit.score > best[hit.key].score:
            best[hit.key] = hit
    found = list(best.values())
    complete = [hit for hit in found if len(hit.matched) == len(terms)]
    chosen = complete or found
    chosen.sort(key=lambda hit: (-hit.score, hit.title.casefold()))
    return chosen, bool(complete) or not found


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """`text` (plain) escaped, with each term's words in <mark>."""
    pattern = _term_pattern(terms)
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last:match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped above)


def snippet(text: str, terms: Iterable[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """A plain-text extract of `text` (tags stripped) around its first searched word, at most
    about `length` characters on word boundaries, escaped and with the words marked."""
    terms = list(terms)
    plain = plain_text(text)
    if not plain:
        return mark_safe("")
    pattern = _term_pattern(terms)
    match = pattern.search(plain) if pattern else None
    start = 0
    if match and match.start() > length // 3:
        start = plain.rfind(" ", 0, match.start() - length // 3) + 1
    end = start + length
    if end < len(plain):
        cut = plain.rfind(" ", start, end)
        end = cut if cut > start else end
    extract = plain[start:end].strip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(plain) else ""
    return mark_safe(f"{prefix}{highlight(extract, terms)}{suffix}")  # noqa: S308
