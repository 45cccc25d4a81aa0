"""Trend charts drawn on the server as SVG geometry: no JavaScript, no chart library.

Each chart is a horizontal bar chart with its label above each bar and its figure written at
the bar's end, so colour is never the only cue, and it sits beside a table with the same
figures (the SVG's accessible name says so). Bars are one colour, GOV.UK blue (#1d70b8, 5.2:1
against white). A hidden figure (partner view) draws no bar: its bar's length would give the
number away, and every other bar is scaled to the largest figure shown.
"""

from __future__ import annotations

from portal import disclosure

WIDTH = 280  # drawn at its own size (never scaled), so it fits a 320 px screen
ROW = 40
BAR_HEIGHT = 14
VALUE_ROOM = 96
LABEL_CHARS = 38  # a longer label is cut with "…" in the chart; the table has it whole


def bar_chart(rows: list[dict], cells: dict[str, disclosure.Cell]) -> dict:
    """Geometry of a bar chart of `rows` ({"key", "label"}) with their `cells`."""
    shown = [cells[row["key"]].value for row in rows if cells[row["key"]].shown]
    top = max([value for value in shown if value] or [1])
    room = WIDTH - VALUE_ROOM
    bars = []
    for index, row in enumerate(rows):
        cell = cells[row["key"]]
        length = round(room * cell.value / top) if cell.shown and cell.value else 0
        y = index * ROW
        label = str(row["label"])
        if len(label) > LABEL_CHARS:
            label = label[:LABEL_CHARS - 1].rstrip() + "…"
        bars.append({"label": label, "label_y": y + 14, "bar_y": y + 20,
                     "width": length, "value_x": length + 6, "value_y": y + 32,
                     "display": cell.display})
    return {"bars": bars, "width": WIDTH, "height": max(len(rows) * ROW + 8, 40),
            "bar_height": BAR_HEIGHT}


def ordered(rows: list[dict], cells: dict[str, disclosure.Cell],
            by_size: bool = True) -> list[dict]:
    """Rows for a table or chart: largest first when `by_size`, hidden ones last, A to Z, so
    that their order says nothing about their size; otherwise as given (months)."""
    if not by_size:
        return rows
    shown = [row for row in rows if cells[row["key"]].shown]
    hidden = sorted((row for row in rows if cells[row["key"]].hidden),
                    key=lambda row: row["label"])
    return sorted(shown, key=lambda row: (-cells[row["key"]].value, row["label"])) + hidden


def section(slug: str, title: str, column: str, rows: list[dict],
            cells: dict[str, disclosure.Cell], by_size: bool = True, chart: bool = True) -> dict:
    """One breakdown for the template: its title, table rows and chart."""
    rows = ordered(rows, cells, by_size)
    table = [{"label": row["label"], "cell": cells[row["key"]],
              "theme": row.get("theme", ""), "people": row.get("people")} for row in rows]
    return {"slug": slug, "title": title, "column": column, "rows": table,
            "chart": bar_chart(rows, cells) if chart and rows else None}
