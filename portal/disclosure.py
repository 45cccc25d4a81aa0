"""Small numbers: the one place that decides which figures about people the public may see.

Every public page, chart and open-data file that shows a count of people, or a figure worked
out from one (a percentage, a mean, a net score, a share, a score, a bar's length), asks this
module. Officers' admin pages keep exact figures. The rules, and why:

**Primary suppression.** A count of people from 1 to ``threshold() - 1`` is hidden
(`PORTAL_SUPPRESSION_THRESHOLD`, 5 by default), so nobody can be singled out. A lone count
(one that is not part of a table with a known total) is shown as "fewer than 5" (`count`).

**Zeros.** A zero is about nobody, so a zero is shown, as statistical offices show it, in a
table where nothing else is hidden. In a table where something is hidden its zeros are hidden
too: otherwise every hidden number would be known to be at least 1, and a total split between
few hidden cells (three cells sharing 3, say) would give each of them away.

**Secondary suppression** (`suppress_group`). When the public knows a table's total (it is
shown, or can be worked out from percentages or other pages), the hidden numbers add up to
the total minus the numbers shown. So hiding goes on, next smallest number first (equal ones
together, so that which goes does not hang on their order), until at least two numbers are
hidden and any one of them could be the threshold or more: one of them is, or together they
come to more than the threshold and could be one such number beside small ones. Then no
hidden number can be worked out, even by someone who knows these rules and re-runs them on
every guess, and nobody can tell which hidden numbers are the small ones. So every hidden
number in such a table looks the same ("not shown"): were the extra ones labelled apart from
the small ones, "fewer than 5" beside "at least 5" with a total of 6 would pin both.

**A small total.** When the total itself is below the threshold the whole table is small:
the total and every number in it are shown as "fewer than 5". So are hidden numbers that
nothing more can protect (a table of one, or a total of about the threshold).

A threshold of 2 protects nothing where zeros are shown: "fewer than 2" is 1. Use 3 or more.

**Derived figures** (`derived`). A percentage, mean, net score, share, score or chart value
is hidden when any number it is worked out from is hidden.

`tests/disclosure_recovery.py` tries every combination of hidden values consistent with what
a page shows, and every public output's tests use it to show that none can be recovered.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

K = TypeVar("K", bound=Hashable)

SHOWN = "shown"
SMALL = "small"  # below the threshold, or part of a table whose total is: "fewer than N"
PROTECTED = "protected"  # hidden so that no small number can be worked out: "not shown"
DERIVED = "derived"  # worked out from a hidden number: "not shown"


def threshold() -> int:
    """Counts of people below this are hidden (`PORTAL_SUPPRESSION_THRESHOLD`, default 5)."""
    return int(getattr(settings, "PORTAL_SUPPRESSION_THRESHOLD", 5) or 5)


@dataclass(frozen=True)
class Cell:
    """One public figure: its value when it may be shown, else why it is hidden.

    Plain data (it is cached with the results it belongs to); `display` is worked out in the
    active language when a page is drawn.
    """

    value: int | float | None
    reason: str = SHOWN
    limit: int = 5

    @property
    def shown(self) -> bool:
        return self.reason == SHOWN

    @property
    def hidden(self) -> bool:
        return not self.shown

    @property
    def small(self) -> bool:
        """Hidden as "fewer than N" (the public may know it is small, and only that)."""
        return self.reason == SMALL

    @property
    def display(self) -> str:
        """The figure as the public sees it: the number, "fewer than N" or "not shown"."""
        if self.shown:
            return number_format(self.value, force_grouping=True)
        if self.small:
            return _("fewer than %(n)s") % {"n": self.limit}
        return _("not shown")

    def __str__(self) -> str:
        return self.display


def _limit(limit: int | None) -> int:
    return threshold() if limit is None else limit


def count(n: int, limit: int | None = None) -> Cell:
    """A lone count of people (not one of a table with a known total): hidden when small."""
    limit = _limit(limit)
    if 0 < n < limit:
        return Cell(None, SMALL, limit)
    return Cell(n, SHOWN, limit)


def suppress_group(counts: Mapping[K, int], total: int | None = None, *,
                   hidden: Iterable[K] = (), limit: int | None = None) -> dict[K, Cell]:
    """The public cells of a table of counts of people, in the order of `counts`.

    `total` is the table's total when the public knows it or can work it out (it need not be
    the sum of the counts: people may be in several cells, as with multiple choice, or in none,
    as with places chosen from a list); ``None`` when nothing bounds the cells together, and
    then only small numbers (and the zeros beside them) are hidden. `hidden` names cells that
    must be hidden anyway, for instance because a linked table hides them. Show the total
    itself with `count(total)`.
    """
    limit = _limit(limit)
    keys = list(counts)
    if total is not None and 0 < total < limit:
        return {key: Cell(None, SMALL, limit) for key in keys}
    forced = {key for key in hidden if key in counts}
    hide = {key for key in keys if 0 < counts[key] < limit} | forced
    if not hide:
        return {key: Cell(counts[key], SHOWN, limit) for key in keys}
    hide |= {key for key in keys if counts[key] == 0}
    if total is None:
        # Nothing to subtract from: every hidden number is small and may be called so.
        known_small = True
    else:
        hide = _complete(counts, keys, hide, limit)
        # Still not safe with nothing left to hide (a table of one, or with a total of about
        # the threshold): the public can tell the hidden counts are small, so say so.
        known_small = not _safe([counts[key] for key in hide],
                                min((counts[key] for key in keys if key not in hide),
                                    default=None), limit)
    # A cell hidden for a linked table's sake may be large: were it labelled apart from the
    # small ones, its label would say so.
    hidden_as = SMALL if known_small and not forced else PROTECTED
    return {key: Cell(None, hidden_as, limit) if key in hide else Cell(counts[key], SHOWN, limit)
            for key in keys}


def _complete(counts, keys, hide: set, limit: int) -> set:
    """Hide the next smallest shown counts (equal ones together, so that which of them goes
    does not hang on their order) until the hidden ones are safe or nothing is left."""
    hide = set(hide)
    while True:
        shown = [counts[key] for key in keys if key not in hide]
        if _safe([counts[key] for key in hide], min(shown, default=None), limit) or not shown:
            return hide
        smallest = min(shown)
        hide |= {key for key in keys if key not in hide and counts[key] == smallest}


def _safe(hidden: list[int], smallest_shown: int | None, limit: int) -> bool:
    """Whether the public, knowing the total, the shown counts and these rules, can neither
    work out a hidden count nor tell the small hidden counts from the others.

    At least two are hidden, and any one of them could be a count of the threshold or more:
    either one of them is (swap it with any other and these rules hide the same cells), or
    together they come to more than the threshold and could be one such count (smaller than
    every shown count, since it would have been hidden to protect the rest) beside small ones.
    """
    if len(hidden) < 2:
        return False
    if max(hidden) >= limit:
        return True
    total = sum(hidden)
    if total <= limit:
        return False
    # What the others could add up to while all small, with these rules still short of safe
    # so that they would have hidden the large one too.
    room = min(limit if len(hidden) > 2 else limit - 1, (len(hidden) - 1) * (limit - 1))
    low = max(limit, total - room)
    high = total - 1 if smallest_shown is None else min(total - 1, smallest_shown - 1)
    return low <= high


def derived(value, *inputs: Cell, limit: int | None = None) -> Cell:
    """A figure worked out from `inputs` (a percentage, mean, net score, share, bar length):
    hidden when any of them is."""
    limit = _limit(limit)
    if any(cell.hidden for cell in inputs) or value is None:
        return Cell(None, DERIVED, limit)
    return Cell(value, SHOWN, limit)


def complement(values: Mapping[K, float], hidden: Iterable[K]) -> set[K]:
    """For figures whose sum the public knows (scores that add up to 1, shares of 100%):
    the hidden set grown so that a lone hidden figure is not the sum minus the rest.

    The next smallest shown figure is hidden with it; counts of people use `suppress_group`.
    """
    hide = {key for key in hidden if key in values}
    if len(hide) == 1:
        rest = sorted((value, index, key) for index, (key, value) in enumerate(values.items())
                      if key not in hide)
        if rest:
            hide.add(rest[0][2])
    return hide


def not_shown(limit: int | None = None) -> Cell:
    """A figure hidden because a table elsewhere hides it (shown as "not shown")."""
    return Cell(None, PROTECTED, _limit(limit))


def hidden_keys(cells: Mapping[K, Cell]) -> set[K]:
    """The keys of the cells the public may not see."""
    return {key for key, cell in cells.items() if cell.hidden}
