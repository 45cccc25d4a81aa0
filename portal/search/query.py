"""Turn what a visitor typed into text every search backend can take."""

import unicodedata

MAX_QUERY_LENGTH = 200

# The site search passes plain words to the backend (no operators, no phrases), so a double
# quote means nothing to it; SQLite's FTS5 backend wraps each word in double quotes without
# escaping them, and an unbalanced quote is then a syntax error.
_DROPPED = {'"'}


def clean_query(raw: str) -> str:
    """The visitor's words without control characters, lone surrogates or double quotes."""
    kept = []
    for character in raw[: MAX_QUERY_LENGTH * 2]:
        category = unicodedata.category(character)
        if character in _DROPPED or category in {"Cc", "Cs"} or category == "Zs":
            kept.append(" ")  # NUL and the like end SQLite's strings early
        else:
            kept.append(character)
    return " ".join("".join(kept).split())[:MAX_QUERY_LENGTH].strip()
