"""The one disclosure-control module: primary and secondary suppression, zeros, small totals,
derived figures; and, over many small random tables, that no hidden number can be recovered
by someone who knows the total, the shown numbers and the rules themselves."""

import random

import pytest

from portal import disclosure
from portal.disclosure import Cell, complement, count, derived, hidden_keys, suppress_group
from tests.disclosure_recovery import (
    assert_unrecoverable,
    observe,
    possible_values,
    republishes,
)


def shown(cells):
    return {key: cell.value for key, cell in cells.items() if cell.shown}


def test_threshold_comes_from_settings(settings):
    settings.PORTAL_SUPPRESSION_THRESHOLD = 10
    assert disclosure.threshold() == 10
    assert count(7).hidden and count(10).shown
    del settings.PORTAL_SUPPRESSION_THRESHOLD
    assert disclosure.threshold() == 5


def test_a_lone_count_is_hidden_when_small_and_zero_is_shown():
    assert count(0).shown and count(0).display == "0"
    assert count(3).hidden and count(3).small and count(3).display == "fewer than 5"
    assert count(5).shown and count(1250).display == "1,250"
    assert str(count(2)) == "fewer than 5" and count(2).value is None


def test_the_eight_response_example_hides_every_cell_and_the_net_score():
    """Strongly agree 5 and a net score of 88 with the rest "fewer than 5" gave the rest away:
    the hidden three add up to 3, fewer than the threshold, so the 5 is hidden too."""
    counts = {"Strongly agree": 5, "Agree": 1, "Neutral": 1, "Disagree": 1,
              "Strongly disagree": 0}
    cells = suppress_group(counts, total=8)
    assert hidden_keys(cells) == set(counts)
    assert {cell.display for cell in cells.values()} == {"not shown"}
    net = derived(88, *cells.values(), count(8))
    assert net.hidden and net.display == "not shown"
    assert count(8).display == "8"


def test_two_small_cells_sharing_three_take_the_next_smallest_with_them():
    cells = suppress_group({"Yes": 5, "No": 2, "Maybe": 1}, total=8)
    assert hidden_keys(cells) == {"Yes", "No", "Maybe"}


def test_two_small_cells_together_above_the_threshold_are_enough():
    cells = suppress_group({"A": 100, "B": 2, "C": 4, "D": 50}, total=156)
    assert hidden_keys(cells) == {"B", "C"}
    assert shown(cells) == {"A": 100, "D": 50}


def test_a_hidden_cell_must_be_able_to_pass_for_a_large_one():
    # 1 + 4 + 2 = 7 is more than 6, but a hidden 6 or more would have to be smaller than the
    # 6 shown: impossible, so all four would be known to be small. The 6 goes too.
    cells = suppress_group({"c0": 6, "c1": 0, "c2": 1, "c3": 4, "c4": 2}, total=13, limit=6)
    assert hidden_keys(cells) == {"c0", "c1", "c2", "c3", "c4"}


def test_hidden_cells_must_come_to_more_than_the_threshold():
    # 2 + 3 = 5: both would be known to be below 5, so the next smallest (50) goes too.
    cells = suppress_group({"A": 100, "B": 2, "C": 3, "D": 50}, total=155)
    assert hidden_keys(cells) == {"B", "C", "D"}


def test_a_lone_small_cell_takes_the_next_smallest_and_its_equals():
    # Which of two equal counts went would otherwise depend on their order, which the
    # public can see: both go.
    cells = suppress_group({"A": 9, "B": 7, "C": 3, "D": 7}, total=26)
    assert hidden_keys(cells) == {"B", "C", "D"}
    assert hidden_keys(suppress_group({"A": 9, "B": 8, "C": 3}, total=20)) == {"B", "C"}


def test_zeros_are_shown_unless_something_beside_them_is_hidden():
    plain = suppress_group({"A": 10, "B": 0, "C": 7}, total=17)
    assert shown(plain) == {"A": 10, "B": 0, "C": 7}
    mixed = suppress_group({"A": 10, "B": 0, "C": 3, "D": 9}, total=22)
    assert hidden_keys(mixed) == {"B", "C", "D"}


def test_a_small_total_makes_every_cell_small():
    cells = suppress_group({"A": 3, "B": 0}, total=3)
    assert all(cell.small for cell in cells.values())
    assert {cell.display for cell in cells.values()} == {"fewer than 5"}


def test_without_a_total_only_small_numbers_are_hidden_and_called_small():
    cells = suppress_group({"A": 3, "B": 40, "C": 0}, total=None)
    assert shown(cells) == {"B": 40}
    assert cells["A"].small and cells["C"].small


def test_cells_a_linked_table_hides_are_hidden_too():
    cells = suppress_group({"A": 30, "B": 20, "C": 9}, total=59, hidden={"A"})
    assert hidden_keys(cells) == {"A", "C"}


def test_derived_figures_hide_with_any_input():
    assert derived(62.5, count(5), count(8)).value == 62.5
    assert derived(62.5, count(5), count(3)).hidden
    assert derived(None, count(5)).hidden


def test_complement_for_figures_with_a_known_sum():
    scores = {"housing": 0.2, "homes": 0.3, "money": 0.5}
    assert complement(scores, {"housing"}) == {"housing", "homes"}
    assert complement(scores, {"housing", "money"}) == {"housing", "money"}
    assert complement(scores, set()) == set()


def test_cells_pickle_and_compare_as_plain_data():
    import pickle

    cell = Cell(None, disclosure.PROTECTED, 5)
    assert pickle.loads(pickle.dumps(cell)) == cell


# Property: nothing can be recovered from many small random tables ---------------------------

# How the cells relate to the total the public knows: they add up to it (single choice,
# Likert); each person is in one or more (multiple choice, rankings); in at most one (places
# chosen from a list); or nothing is known.
RELATIONS = ("exact", "at_least", "at_most", "none")
VALUES = (0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14)


def _table(rng):
    relation = rng.choice(RELATIONS)
    size = rng.randint(1, 3 if relation in ("at_least", "none") else 5)
    counts = {f"c{i}": rng.choice(VALUES) for i in range(size)}
    total_of_cells = sum(counts.values())
    if relation == "exact":
        total = total_of_cells
    elif relation == "at_least":
        total = rng.randint(max(counts.values()), max(total_of_cells, max(counts.values())))
    elif relation == "at_most":
        total = total_of_cells + rng.randint(0, 4)
    else:
        total = None
    return relation, counts, total, rng.randint(3, 6)


def _attack(relation, counts, total, limit):
    """Everything each hidden cell could be, for an attacker who sees the page and knows the
    rules; the table's total is part of what the page shows."""
    def publish(values, people):
        return (observe(suppress_group(values, total=people, limit=limit)),
                None if people is None else observe({"total": count(people, limit)}))

    observed = publish(counts, total)
    cells = suppress_group(counts, total=total, limit=limit)
    hidden = [key for key, cell in cells.items() if cell.hidden]
    known = shown(cells)
    total_cell = None if total is None else count(total, limit)
    totals = ([None] if total is None else [total] if total_cell.shown
              else list(range(1, limit)))
    found = {key: set() for key in hidden}
    for people in totals:
        cap = (people if people is not None else max(counts.values()) + limit)
        upper = min(cap, 16)
        rest = people - sum(known.values()) if people is not None else None
        if relation in ("exact", "at_most") and rest < 0:
            continue
        bounds = {"exact": {"total": rest}, "at_least": {"at_least": rest},
                  "at_most": {"at_most": rest}, "none": {}}[relation]
        check = republishes(lambda values, people=people: publish(values, people), observed,
                            known, list(counts))
        for key, values in possible_values(hidden, upper=upper, consistent=check,
                                           **bounds).items():
            found[key] |= values
    return cells, hidden, found


@pytest.mark.parametrize("seed", range(8))
def test_no_hidden_cell_of_a_random_table_can_be_recovered(seed):
    rng = random.Random(seed)
    for _ in range(60):
        relation, counts, total, limit = _table(rng)
        cells, hidden, found = _attack(relation, counts, total, limit)
        if not hidden:
            assert all(value == 0 or value >= limit for value in counts.values())
            continue
        actual = {key: counts[key] for key in hidden}
        context = f"{relation} {counts} total={total} limit={limit}"
        said_small = all(cells[key].small for key in hidden)
        if said_small:
            # No total to subtract from, a table of one, or a total of about the threshold:
            # the page says "fewer than N", truly, and nothing more can be worked out.
            assert all(counts[key] < limit for key in hidden), context
        else:
            assert not any(cells[key].small for key in hidden), context
        try:
            assert_unrecoverable(found, limit, actual=actual, could_be_large=not said_small)
        except AssertionError as error:
            raise AssertionError(f"{context}: {error}") from error
