"""Partners' trends hide small numbers so that no hidden count can be worked out from the
totals shown: the one-way tables and the two-way (month or neighbourhood x theme) tables."""

from insight import trends
from portal import disclosure
from tests.disclosure_recovery import (
    assert_unrecoverable,
    observe,
    possible_values,
    republishes,
)

# Rows r1..r3 x themes a..c; r1's "c" (2) is small.
CELLS = {("r1", "a"): 10, ("r1", "b"): 12, ("r1", "c"): 2,
         ("r2", "a"): 8, ("r2", "b"): 9, ("r2", "c"): 7,
         ("r3", "a"): 11, ("r3", "b"): 6, ("r3", "c"): 9}
ROWS, COLS = ["r1", "r2", "r3"], ["a", "b", "c"]


def margins(cells):
    rows = {r: sum(cells[(r, c)] for c in COLS) for r in ROWS}
    cols = {c: sum(cells[(r, c)] for r in ROWS) for c in COLS}
    return rows, cols, sum(rows.values())


def publish(cells):
    rows, cols, grand = margins(cells)
    return trends.suppress_table(cells, rows, cols, grand)


def test_a_small_cell_and_enough_others_are_hidden_in_every_row_and_column():
    shown, row_cells, col_cells = publish(CELLS)
    hidden = {key for key, cell in shown.items() if cell.hidden}
    assert ("r1", "c") in hidden
    for r in ROWS:
        assert len({c for c in COLS if (r, c) in hidden}) != 1
    for c in COLS:
        assert len({r for r in ROWS if (r, c) in hidden}) != 1
    assert all(cell.shown for cell in [*row_cells.values(), *col_cells.values()])
    assert all(shown[key].display == "not shown" for key in hidden)


def test_no_hidden_cell_can_be_worked_out_from_the_row_and_column_totals():
    shown, _rows, _cols = publish(CELLS)
    hidden = [key for key, cell in shown.items() if cell.hidden]
    rows, cols, _grand = margins(CELLS)
    known = {key: cell.value for key, cell in shown.items() if cell.shown}
    observed = tuple((key, cell.shown and cell.value) for key, cell in shown.items())

    def consistent(values):
        merged = {**known, **values}
        if any(sum(merged[(r, c)] for c in COLS) != rows[r] for r in ROWS):
            return False
        if any(sum(merged[(r, c)] for r in ROWS) != cols[c] for c in COLS):
            return False
        again, _r, _c = publish(merged)  # the attacker knows the rules and re-runs them
        return tuple((key, cell.shown and cell.value) for key, cell in again.items()) == observed

    total = sum(CELLS[key] for key in hidden)
    possible = possible_values(hidden, upper=max(rows.values()), total=total,
                               consistent=consistent)
    # Someone re-running the rules can tell the small cell from the others (as "fewer than 5"
    # would say) but not work out any hidden value.
    assert_unrecoverable(possible, actual={key: CELLS[key] for key in hidden},
                         could_be_large=False)
    assert possible[("r1", "c")] >= {1, 2, 3, 4}


def test_a_row_with_a_small_total_is_hidden_and_its_columns_protected():
    cells = {**CELLS, ("r1", "a"): 1, ("r1", "b"): 1, ("r1", "c"): 1}
    shown, row_cells, _cols = publish(cells)
    assert row_cells["r1"].hidden and row_cells["r2"].hidden  # 3 beside a shown total
    assert all(shown[("r1", c)].hidden for c in COLS)
    for c in COLS:  # each column hides a second cell beside r1's
        assert sum(shown[(r, c)].hidden for r in ROWS) >= 2


def test_one_way_tables_use_the_report_total():
    rows = [{"key": k, "items": n} for k, n in [("jan", 6), ("feb", 2), ("mar", 0),
                                                 ("apr", 3), ("may", 8), ("jun", 1)]]
    cells = trends.partner_cells(rows, total=20)
    assert {k for k, cell in cells.items() if cell.hidden} == {"feb", "mar", "apr", "jun"}
    hidden = ["feb", "mar", "apr", "jun"]
    known = {"jan": 6, "may": 8}
    order = [row["key"] for row in rows]
    possible = possible_values(hidden, upper=20, total=6, consistent=republishes(
        lambda values: observe(disclosure.suppress_group(values, total=20)),
        observe(cells), known, order))
    assert_unrecoverable(possible, actual={"feb": 2, "mar": 0, "apr": 3, "jun": 1},
                         could_be_large=not any(cells[k].small for k in hidden))

