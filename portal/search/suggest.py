""""Did you mean": a near miss corrected from the words of what the site holds.

The vocabulary is every word of the providers' public names and titles (pages, assets,
categories, services, organisations, forums, surveys, themes), cached for a few minutes per
language. A term that matched nothing is replaced by the closest vocabulary word (difflib's
ratio, which needs no database extension and works the same on SQLite and PostgreSQL).
"""

from __future__ import annotations

import difflib
import re
import string

from django.core.cache import cache
from django.utils.translation import get_language

from .query import MAX_QUERY_LENGTH, stem

CACHE_SECONDS = 300
MAX_WORDS = 20_000
CUTOFF = 0.75
_WORD = re.compile(r"[^\W\d_]{3,}")


def vocabulary(providers) -> frozenset[str]:
    """The distinct words (three letters or more, casefolded) of every provider's names."""
    key = f"portal-search-vocabulary:{get_language() or ''}"
    words = cache.get(key)
    if words is None:
        found: set[str] = set()
        for provider in providers:
            for name in provider.vocabulary():
                found.update(_WORD.findall(str(name).casefold()))
                if len(found) >= MAX_WORDS:
                    break
        words = frozenset(sorted(found)[:MAX_WORDS])
        cache.set(key, words, CACHE_SECONDS)
    return words


def correct(word: str, words: frozenset[str]) -> str | None:
    """The vocabulary word closest to `word`, or None when none is close enough."""
    if len(word) < 3 or len(word) > 20 or not word.isalpha():
        return None
    near = [candidate for candidate in words if abs(len(candidate) - len(word)) <= 2]
    best = difflib.get_close_matches(word, near, n=1, cutoff=CUTOFF)
    return best[0] if best else None


def did_you_mean(text: str, unmatched: set[str], providers) -> str:
    """`text` with each word whose term matched nothing corrected, or "" when nothing
    changes."""
    if not unmatched:
        return ""
    words = vocabulary(providers)
    changed = False
    out = []
    for word in text.split()[:MAX_QUERY_LENGTH]:
        folded = word.casefold().strip(string.punctuation)
        fixed = correct(folded, words) if stem(folded) in unmatched else None
        if fixed and fixed != folded:
            out.append(word.casefold().replace(folded, fixed))
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else ""
