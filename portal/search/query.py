"""Turn what a visitor typed into text every search backend can take, and into the words
(terms) the site search matches."""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 40

# The site search passes plain words to the backend (no operators, no phrases), so a double
# quote means nothing to it; SQLite's FTS5 backend wraps each word in double quotes without
# escaping them, and an unbalanced quote is then a syntax error.
_DROPPED = {'"'}
_WORD = re.compile(r"\w+")
# A UK postcode anywhere in the text: "food bank nw10 8se" -> NW10 8SE.
_POSTCODE = re.compile(r"\b((?:[A-Z]{1,2}[0-9][0-9A-Z]?|GIR)\s*[0-9][A-Z]{2})\b", re.I)

# Words too common to tell results apart (English and Welsh); kept if they are all there is.
STOP_WORDS = frozenset("""
a an and are as at be by for from has have i in is it its me my near of on or our the their
them there these they this to was we what when where which who with you your
a'r ac am ar at i o y yr yn
""".split())


def clean_query(raw: str) -> str:
    """The visitor's words without control or invisible characters, lone surrogates or
    double quotes, in Unicode's compatibility form (full-width "ｆｏｏｄ" is "food")."""
    kept = []
    for character in raw[: MAX_QUERY_LENGTH * 2]:
        category = unicodedata.category(character)
        if category == "Cf":
            continue  # zero-width spaces, direction overrides: invisible, so not part of a word
        if character in _DROPPED or category in {"Cc", "Cs"} or category == "Zs":
            kept.append(" ")  # NUL and the like end SQLite's strings early
        else:
            kept.append(character)
    text = unicodedata.normalize("NFKC", "".join(kept))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def stem(word: str) -> str:
    """A crude English plural folding, so "banks" finds "bank" and "libraries" "library"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def query_terms(text: str) -> tuple[str, ...]:
    """The distinct words to match, lower-cased and folded (see `stem`): common words left
    out unless there is nothing else, one-letter words left out, at most MAX_TERMS."""
    words = [word[:MAX_TERM_LENGTH] for word in _WORD.findall(text.casefold())
             if len(word) > 1 or word.isdigit()]
    kept = [word for word in words if word not in STOP_WORDS] or words
    return tuple(dict.fromkeys(stem(word) for word in kept))[:MAX_TERMS]


def split_postcode(text: str) -> tuple[str, str]:
    """(the first UK-shaped postcode in `text` or "", the rest of the text)."""
    match = _POSTCODE.search(text)
    if not match:
        return "", text
    rest = f"{text[: match.start()]} {text[match.end():]}"
    return match.group(1), " ".join(rest.split())
