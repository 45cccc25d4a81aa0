"""An attacker's toolkit: try to recover hidden small numbers from what a public page shows.

The recovery check every public output's tests use. It is brute force on purpose, so that it
does not share the reasoning of `portal.disclosure`: it tries *every* combination of values for
the hidden cells, keeps the combinations that agree with everything the page shows (totals,
percentages, net scores, means, the order of a ranking, and, for the strongest attacker, the
published suppression rules themselves re-run on the candidate), and collects what each hidden
cell could be.

A page leaks when

1. a hidden cell has a single possible value (it has been recovered), or
2. a hidden cell's possible values all lie below the threshold although the page claims
   nothing about its size ("not shown"): the public could then tell the small numbers from
   the others. Where the page itself says "fewer than N", or the table's total is at most the
   threshold (so that every part of it is small), the check is switched off with
   ``could_be_large=False``.

Usage::

    possible = possible_values(["No", "Maybe"], upper=8, total=3,
                               consistent=lambda values: ...)
    assert_unrecoverable(possible, limit=5, actual={"No": 2, "Maybe": 1})
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence

from portal import disclosure


def assignments(keys: Sequence[Hashable], upper: int | Mapping[Hashable, int],
                sum_min: int = 0, sum_max: int | None = None) -> Iterator[dict]:
    """Every {key: value} with 0 <= value <= upper (per key if a mapping) and
    sum_min <= sum of values <= sum_max, pruned as it goes."""
    keys = list(keys)
    bounds = [upper[key] if isinstance(upper, Mapping) else upper for key in keys]
    tail_max = [sum(bounds[i:]) for i in range(len(bounds) + 1)]
    values: list[int] = []

    def walk(index: int, so_far: int):
        if index == len(keys):
            if so_far >= sum_min:
                yield dict(zip(keys, values, strict=True))
            return
        for value in range(bounds[index] + 1):
            reached = so_far + value
            if sum_max is not None and reached > sum_max:
                break
            if reached + tail_max[index + 1] < sum_min:
                continue
            values.append(value)
            yield from walk(index + 1, reached)
            values.pop()

    yield from walk(0, 0)


def possible_values(hidden: Sequence[Hashable], *, upper: int | Mapping[Hashable, int],
                    total: int | None = None, at_least: int | None = None,
                    at_most: int | None = None,
                    consistent: Callable[[dict], bool] | None = None) -> dict[Hashable, set]:
    """What each hidden cell could be, given everything the page shows.

    `total`: the hidden cells add up to exactly this (the shown total minus the shown cells);
    `at_least`/`at_most`: bounds on their sum; `consistent(values)`: any further check a
    candidate must pass (a net score, a mean, a percentage, re-publishing it).
    """
    low = total if total is not None else (at_least or 0)
    high = total if total is not None else at_most
    found: dict[Hashable, set] = {key: set() for key in hidden}
    for values in assignments(hidden, upper, max(low, 0), high):
        if consistent is None or consistent(values):
            for key, value in values.items():
                found[key].add(value)
    return found


def assert_unrecoverable(possible: Mapping[Hashable, set], limit: int | None = None, *,
                         actual: Mapping[Hashable, int] | None = None,
                         could_be_large: bool = True) -> None:
    """Fail when a hidden cell is recovered, or (with `could_be_large`) when the public can
    tell that a hidden cell is small."""
    limit = disclosure.threshold() if limit is None else limit
    if actual is not None:
        for key, value in actual.items():
            assert value in possible[key], (
                f"the attacker model is wrong: the true value {value} of {key!r} was ruled "
                f"out ({sorted(possible[key])})")
    pinned = {key: sorted(values) for key, values in possible.items() if len(values) < 2}
    assert not pinned, f"hidden cells recovered: {pinned}"
    if could_be_large:
        small = {key: sorted(values) for key, values in possible.items()
                 if max(values) < limit}
        assert not small, f"hidden cells known to be below {limit}: {small}"


def assert_hidden_together_exceed(hidden_total: int, limit: int | None = None) -> None:
    """Fail when the hidden cells of a table together come to no more than the threshold:
    the public would know every one of them to be small (two cells sharing 3 are 1 and 2, or
    0 and 3)."""
    limit = disclosure.threshold() if limit is None else limit
    assert hidden_total > limit, (
        f"the hidden cells together come to {hidden_total}, no more than {limit}")


def says_small(cell_text: str) -> bool:
    """Whether a hidden cell's words claim it is below the threshold ("fewer than 5")."""
    return "fewer than" in cell_text.lower()


def republishes(publish: Callable[[dict], object], observed, known: Mapping,
                order: Sequence[Hashable]) -> Callable:
    """A `consistent` check for the strongest attacker, who knows the published rules: the
    candidate, put together with the `known` shown cells (in the page's `order`) and
    published again, must look exactly like the page."""
    def check(values: dict) -> bool:
        merged = {**known, **values}
        return publish({key: merged[key] for key in order}) == observed
    return check


def observe(cells: Mapping[Hashable, disclosure.Cell]) -> tuple:
    """What the public sees of suppressed cells, in a form that compares equal when a page
    would look the same."""
    return tuple((key, cell.value if cell.shown else ("hidden", cell.small))
                 for key, cell in cells.items())


# Reading pages ------------------------------------------------------------------------------


def text(fragment: str) -> str:
    """A fragment of HTML as the words a reader sees."""
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def table_rows(page: str, caption: str) -> list[list[str]]:
    """The body rows of the table whose caption contains `caption`, as lists of cell texts."""
    for table in re.findall(r"<table.*?</table>", page, re.S):
        found = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)
        if found and caption in text(found.group(1)):
            body = re.search(r"<tbody>(.*?)</tbody>", table, re.S)
            rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1) if body else table, re.S)
            return [[text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                    for row in rows]
    raise AssertionError(f"no table captioned {caption!r}")


def number(cell: str) -> int | float | None:
    """A table cell's number ("1,250" -> 1250, "62.5%" -> 62.5), or None when hidden."""
    found = re.fullmatch(r"(-?[\d,]+(?:\.\d+)?)%?", cell.strip())
    if not found:
        return None
    value = found.group(1).replace(",", "")
    return float(value) if "." in value else int(value)
