"""Reading uploaded JSON: nesting too deep to parse is an input error, not a server error."""

import json


class NestedTooDeep(ValueError):
    """JSON nested more deeply than the parser can follow."""


def loads_json(text: str | bytes):
    """json.loads, with nesting too deep to parse raised as NestedTooDeep.

    Python's JSON parser recurses once per nested array or object, so a small file of
    nested brackets ("[[[[...") would otherwise end in a RecursionError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise NestedTooDeep() from None
