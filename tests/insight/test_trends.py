"""Trends over community insight: counts by month, source, neighbourhood, theme, sub-theme
(across matrix versions), sentiment and demography; what changed since last quarter."""

import datetime

import pytest
from django.utils import timezone

from insight import trends
from insight.models import CodingMatrix, InsightItem, MatrixSubTheme
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = trends.Filters(since=D(2026, 1, 1), until=D(2026, 6, 30))
SQUARE = {"type": "Polygon", "coordinates": [[[-0.26, 51.53], [-0.25, 51.53],
                                              [-0.25, 51.54], [-0.26, 51.53]]]}


def place(name):
    return Neighbourhood.objects.create(name=name, slug=name.lower(), code=f"T-{name}",
                                        boundary=SQUARE)


class Maker:
    """Makes index rows directly (their origins do not matter to trends)."""

    def __init__(self):
        self.next_id = 1

    def __call__(self, n, when, where, source, theme=None, sub=None, sentiment="",
                 equality=None, people=1, text="Said at a drop-in."):
        made = []
        for _ in range(n):
            item = InsightItem.objects.create(
                origin=InsightItem.FEEDBACK, origin_id=self.next_id, text=text,
                received_on=when, source=source, neighbourhood=where, people_count=people,
                sentiment=sentiment, equality=equality or {},
                matrix=sub.matrix if sub else None,
                coded_at=timezone.now() if theme else None)
            self.next_id += 1
            if theme:
                item.themes.add(theme)
            if sub:
                item.sub_themes.add(sub)
            made.append(item)
        return made


@pytest.fixture
def world():
    """20 items in Jan-Jun 2026 (and one before), coded under two matrix versions."""
    housing, health = Theme.objects.order_by("name")[:2]
    v1 = CodingMatrix.objects.create(number=1)
    v2 = CodingMatrix.objects.create(number=2)
    repairs_v1 = MatrixSubTheme.objects.create(matrix=v1, theme=housing, key="repairs",
                                               name="Repairs")
    repairs_v2 = MatrixSubTheme.objects.create(matrix=v2, theme=housing, key="repairs",
                                               name="Repairs and damp")
    alpha, beta = place("Alpha"), place("Beta")
    add = Maker()
    add(4, D(2026, 1, 10), alpha, "healthwatch", housing, repairs_v1, "negative",
        {"sex": "female"})
    add(1, D(2026, 1, 11), alpha, "healthwatch", housing, repairs_v1, "negative", people=10)
    add(1, D(2026, 1, 12), alpha, "healthwatch", housing, repairs_v1, "negative")
    add(3, D(2026, 4, 5), alpha, "healthwatch", housing, repairs_v2, "negative")
    add(8, D(2026, 5, 1), alpha, "survey", health, None, "positive", {"age": "25_34"})
    add(2, D(2026, 2, 2), beta, "survey", health, None, "neutral")
    add(1, D(2026, 6, 3), None, "outreach")
    add(1, D(2025, 12, 31), alpha, "healthwatch", housing, repairs_v1, "negative")
    return {"housing": housing, "health": health, "alpha": alpha, "beta": beta, "add": add,
            "v1": v1, "v2": v2}


def counts(rows):
    return {row["label"]: row["items"] for row in rows}


def test_one_scan_counts_agree_with_the_separate_breakdowns(world):
    together = trends.by_channel_place_sentiment(PERIOD)
    assert together == (trends.by_source(PERIOD), trends.by_neighbourhood(PERIOD),
                        trends.by_sentiment(PERIOD))


def test_counts_by_month_source_neighbourhood_and_sentiment(world):
    data = trends.report(PERIOD)
    assert data["total"] == 20 and data["coded"] == 19 and data["people"] == 29
    assert [row["items"] for row in data["months"]] == [6, 2, 0, 3, 8, 1]
    assert [row["month"] for row in data["months"]][0] == D(2026, 1, 1)
    assert counts(data["sources"]) == {"Healthwatch report": 9, "Survey comment": 10,
                                       "Outreach conversation": 1}
    assert counts(data["neighbourhoods"]) == {"Alpha": 17, "Beta": 2, "No neighbourhood": 1}
    assert counts(data["sentiments"]) == {"Negative": 9, "Positive": 8, "Neutral": 2,
                                          "Not recorded": 1}


def test_themes_and_sub_themes_follow_keys_across_matrix_versions(world):
    data = trends.report(PERIOD)
    housing, health = world["housing"], world["health"]
    assert counts(data["themes"]) == {housing.name: 9, health.name: 10}
    # Coded under version 1 (6 items) and version 2 (3 items): one row, newest name.
    assert [(row["theme"], row["label"], row["items"]) for row in data["sub_themes"]] == [
        (housing.name, "Repairs and damp", 9)]


def test_demography_per_characteristic_adds_up_to_the_total(world):
    data = trends.report(PERIOD)
    by_code = {block["code"]: counts(block["rows"]) for block in data["demography"]}
    assert by_code == {"sex": {"Female": 4, "Not known": 16},
                       "age": {"25 to 34": 8, "Not known": 12}}


def test_filters_narrow_by_neighbourhood_source_theme_and_dates(world):
    by_place = trends.report(trends.Filters(PERIOD.since, PERIOD.until,
                                            neighbourhood=world["beta"]))
    assert by_place["total"] == 2
    by_source = trends.report(trends.Filters(PERIOD.since, PERIOD.until, source="healthwatch"))
    assert by_source["total"] == 9
    by_theme = trends.report(trends.Filters(PERIOD.since, PERIOD.until, theme=world["health"]))
    assert by_theme["total"] == 10 and counts(by_theme["themes"]) == {world["health"].name: 10}
    wider = trends.report(trends.Filters(D(2025, 12, 1), PERIOD.until))
    assert wider["total"] == 21 and wider["months"][0]["items"] == 1


def test_an_item_with_two_themes_counts_under_each_but_once_in_the_total(world):
    item = world["add"](1, D(2026, 3, 3), world["beta"], "survey", world["health"])[0]
    item.themes.add(world["housing"])
    data = trends.report(PERIOD)
    assert data["total"] == 21
    assert counts(data["themes"]) == {world["housing"].name: 10, world["health"].name: 11}


def test_default_period_is_the_last_twelve_months():
    assert trends.default_period(D(2026, 11, 30)) == (D(2025, 12, 1), D(2026, 11, 30))
    assert trends.default_period(D(2026, 1, 5)) == (D(2025, 2, 1), D(2026, 1, 5))


def test_the_report_is_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        trends.report(PERIOD)
    world["add"](30, D(2026, 3, 1), world["beta"], "survey", world["health"])
    with django_assert_max_num_queries(6):
        assert trends.report(PERIOD)["total"] == 50


def test_quarter_changes_in_plain_words_biggest_rise_first(world):
    changes = trends.quarter_changes(PERIOD)
    assert changes["this_start"] == D(2026, 4, 1) and changes["prev_start"] == D(2026, 1, 1)
    by_place = {s["neighbourhood"]: [row["sentence"] for row in s["rows"]]
                for s in changes["sections"]}
    housing, health = world["housing"].name, world["health"].name
    assert by_place["Alpha"] == [f"{health}: 8 items, up from 0",
                                 f"{housing}: 3 items, down from 6"]
    assert by_place["Beta"] == [f"{health}: 0 items, down from 2"]


def test_quarter_before_the_year_turns():
    assert trends.previous_quarter_start(D(2026, 2, 14)) == D(2025, 10, 1)
    assert trends.quarter_start(D(2026, 12, 31)) == D(2026, 10, 1)


def test_partner_quarter_changes_hide_small_numbers_and_the_change_resting_on_them(world):
    changes = trends.quarter_changes(PERIOD, partner=True)
    alpha = next(s for s in changes["sections"] if s["neighbourhood"] == "Alpha")
    housing = next(row for row in alpha["rows"] if row["theme"] == world["housing"].name)
    assert housing["now"].hidden and housing["change"].hidden
    assert "3" not in housing["sentence"]
    # 8 beside a hidden 3 with the total known is hidden too; hidden rows go A to Z, so
    # their order says nothing about their size.
    assert all(row["change"].hidden for row in alpha["rows"])
    assert [row["theme"] for row in alpha["rows"]] == sorted(row["theme"]
                                                             for row in alpha["rows"])
    assert alpha["total_now"].display == "11"
    # Hidden this quarter, so hidden last quarter too (6 is not small): a report of exactly
    # these two quarters shows their sum.
    assert housing["before"].hidden


def test_partner_quarters_hide_a_cell_in_both_or_neither():
    from insight.trends import _paired_tables

    now, before = {"a": 3, "b": 9, "c": 12}, {"a": 10, "b": 11, "c": 2}
    data = {"cells": {"x": {t: [before[t], now[t]] for t in now}},
            "totals": {"x": [sum(before.values()), sum(now.values())]}}
    (now_cells, _now_totals), (before_cells, _before_totals) = _paired_tables(data)
    for theme in now:
        assert now_cells[("x", theme)].hidden == before_cells[("x", theme)].hidden
    assert now_cells[("x", "a")].hidden and before_cells[("x", "c")].hidden
