"""Method v2 ("share-of-people/2") against hand-worked examples (pure Python, no database)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from priorities import scoring

HOUSING, SAFETY, AIR, JOBS, DIGITAL = 1, 2, 3, 4, 5
NAMES = {HOUSING: "Housing", SAFETY: "Community safety", AIR: "Air quality", JOBS: "Employment",
         DIGITAL: "Digital inclusion"}
ONES = {"surveys": 1.0, "forums": 1.0, "feedback": 1.0}
GROUPS = ("surveys", "forums", "feedback")


def worked_example():
    """The module docstring's table: neighbourhood 10, three sources.

    surveys  T 40: Housing 18, Safety 10, Air 6 (respondents)
    forums   T 10 (attendance): Housing 2 votes, Safety 7
    feedback T 10 (people in all items): Housing 4, Safety 2, Air 6
    """
    rows = [(10, HOUSING, "surveys", 20.0, 25), (10, SAFETY, "surveys", 9.0, 12),
            (10, AIR, "surveys", 4.0, 6),
            (10, HOUSING, "forums", 2.0, 2), (10, SAFETY, "forums", 7.0, 7),
            (10, HOUSING, "feedback", 2.0, 2), (10, SAFETY, "feedback", 1.0, 1),
            (10, AIR, "feedback", 1.0, 1),
            (10, JOBS, "assets", 9.0, 9)]  # context: never scored
    people = {("surveys", 10, None): 40, ("surveys", 10, HOUSING): 18,
              ("surveys", 10, SAFETY): 10, ("surveys", 10, AIR): 6,
              ("forums", 10, None): 10,
              ("feedback", 10, None): 10, ("feedback", 10, HOUSING): 4,
              ("feedback", 10, SAFETY): 2, ("feedback", 10, AIR): 6}
    return scoring.gather(rows, people, GROUPS)[10]


def test_worked_example_from_the_docstring():
    """Housing 24/60 = 0.4, Safety 19/60 = 0.316667, Air 12/60 = 0.2, n = 60."""
    sources = worked_example()
    assert {g: s.total for g, s in sources.items()} == {"surveys": 40, "forums": 10,
                                                        "feedback": 10}
    ranked = scoring.rank_people(sources, ONES, NAMES)
    assert [(s.theme_id, s.rank, s.score) for s in ranked] == [
        (HOUSING, 1, 0.4), (SAFETY, 2, 0.316667), (AIR, 3, 0.2)]
    assert [s.interval for s in ranked] == [
        (0.285695, 0.526339), (0.213059, 0.442338), (0.118285, 0.317818)]
    assert [round(100 * s.score) for s in ranked] == [40, 32, 20]
    # Housing and Safety overlap: too close to call; Safety and Air overlap too.
    assert [(s.too_close, s.tied) for s in ranked] == [(True, False), (True, False),
                                                       (False, False)]
    housing = ranked[0]
    assert housing.people == 24 and housing.count == 29
    assert housing.groups["surveys"].share == 18 / 40 and housing.groups["forums"].share == 0.2
    assert scoring.effective_people(sources, ONES) == 60


def test_worked_example_with_surveys_counting_twice():
    """Denominator 2 x 40 + 10 + 10 = 100; n = 100**2 / (4 x 40 + 10 + 10) = 55.6."""
    multipliers = {**ONES, "surveys": 2.0}
    sources = worked_example()
    ranked = scoring.rank_people(sources, multipliers, NAMES)
    assert [(s.theme_id, s.score) for s in ranked] == [(HOUSING, 0.42), (SAFETY, 0.29),
                                                       (AIR, 0.18)]
    assert scoring.effective_people(sources, multipliers) == pytest.approx(10_000 / 180)
    assert ranked[0].interval == (0.29955, 0.550798)


def test_wilson_interval_against_a_hand_calculation():
    """p = 0.5, n = 100, z = 1.959964: centre (0.5 + z²/200) / (1 + z²/100) = 0.5,
    half-width z / (1 + z²/100) x sqrt(0.0025 + z²/40000) = 1.8848 x 0.05095 = 0.0962."""
    z2 = 1.959964 ** 2
    half = 1.959964 / (1 + z2 / 100) * math.sqrt(0.25 / 100 + z2 / 40_000)
    assert scoring.wilson_interval(0.5, 100) == (round(0.5 - half, 6), round(0.5 + half, 6))
    assert scoring.wilson_interval(0.5, 100) == (0.403832, 0.596168)
    # 0 of 10: not a point at 0 but up to (z²/10) / (1 + z²/10) = 0.384146 / 1.384146.
    assert scoring.wilson_interval(0.0, 10) == (0.0, 0.277533)
    assert scoring.wilson_interval(1.0, 10) == (0.722467, 1.0)
    assert scoring.wilson_interval(0.3, 0) is None


def test_a_large_survey_outweighs_a_few_feedback_items():
    """The Kilburn case: 48% of 893 respondents against 10 people in feedback items."""
    rows = [(1, HOUSING, "surveys", 900.0, 429), (1, SAFETY, "surveys", 300.0, 100),
            (1, SAFETY, "feedback", 10.0, 10)]
    people = {("surveys", 1, None): 893, ("surveys", 1, HOUSING): 429,
              ("surveys", 1, SAFETY): 100, ("feedback", 1, None): 10,
              ("feedback", 1, SAFETY): 10}
    ranked = scoring.rank_people(scoring.gather(rows, people, GROUPS)[1], ONES, NAMES)
    assert [(s.theme_id, s.score) for s in ranked] == [(HOUSING, round(429 / 903, 6)),
                                                       (SAFETY, round(110 / 903, 6))]
    assert ranked[0].too_close is False


def test_ties_are_marked_and_broken_by_people_then_name():
    """Feedback, 12 people: Employment 4, Digital inclusion 4, Housing 4 - all 1/3."""
    rows = [(2, t, "feedback", 1.0, 1) for t in (JOBS, DIGITAL, HOUSING)]
    people = {("feedback", 2, None): 12, **{("feedback", 2, t): 4 for t in (JOBS, DIGITAL,
                                                                           HOUSING)}}
    ranked = scoring.rank_people(scoring.gather(rows, people, GROUPS)[2], ONES, NAMES)
    assert [s.theme_id for s in ranked] == [DIGITAL, JOBS, HOUSING]  # same people: by name
    assert all(s.tied and s.score == 0.333333 for s in ranked)
    assert [s.too_close for s in ranked] == [True, True, False]  # the last has no next


def test_no_people_known_uses_counts_and_shares_never_exceed_one():
    """Forums give attendance only; 12 votes for one theme at a forum of 8 attendees means
    T is at least 12, so the share is 1, not 1.5."""
    rows = [(3, HOUSING, "forums", 12.0, 12), (3, AIR, "forums", 4.0, 4)]
    sources = scoring.gather(rows, {("forums", 3, None): 8}, GROUPS)[3]
    assert sources["forums"].total == 12 and sources["forums"].by_theme == {HOUSING: 12,
                                                                            AIR: 4}
    ranked = scoring.rank_people(sources, ONES, NAMES)
    assert [(s.theme_id, s.score) for s in ranked] == [(HOUSING, 1.0), (AIR, 0.333333)]


def test_zero_multiplier_and_missing_source_are_left_out():
    rows = [(4, HOUSING, "surveys", 1.0, 1), (4, AIR, "surveys", 3.0, 3),
            (4, HOUSING, "forums", 10.0, 10)]
    sources = scoring.gather(rows, {("surveys", 4, None): 4}, GROUPS)[4]
    ranked = scoring.rank_people(sources, {**ONES, "forums": 0.0}, NAMES)
    assert [(s.theme_id, s.score) for s in ranked] == [(AIR, 0.75), (HOUSING, 0.25)]
    assert scoring.rank_people({}, ONES, NAMES) == []
    assert scoring.gather([(4, HOUSING, "assets", 1.0, 1)], {}, GROUPS) == {}


def test_need_weighting_counts_the_most_deprived_areas_more():
    """20 respondents: Housing 10 (6 from quintile 1), Air 10 (all quintile 5).
    Weighted: Housing 10 + 0.5 x 6 = 13; Air 10; T = 20 + 3 = 23."""
    rows = [(5, HOUSING, "surveys", 10.0, 10), (5, AIR, "surveys", 10.0, 10)]
    people = {("surveys", 5, None): 20, ("surveys", 5, HOUSING): 10,
              ("surveys", 5, AIR): 10}
    need = {("surveys", 5, None, 1): 6, ("surveys", 5, HOUSING, 1): 6,
            ("surveys", 5, None, 5): 10, ("surveys", 5, AIR, 5): 10}
    off = scoring.rank_people(scoring.gather(rows, people, GROUPS, need)[5], ONES, NAMES)
    assert [(s.theme_id, s.score, s.tied) for s in off] == [(AIR, 0.5, True),
                                                            (HOUSING, 0.5, True)]
    weighted = scoring.gather(rows, people, GROUPS, need, need_weighted={5})[5]
    assert weighted["surveys"].total == 23
    on = scoring.rank_people(weighted, ONES, NAMES)
    assert [(s.theme_id, s.score) for s in on] == [(HOUSING, round(13 / 23, 6)),
                                                   (AIR, round(10 / 23, 6))]
    assert on[0].people == 10  # the people themselves are not multiplied
    assert [scoring.need_factor(q) for q in (1, 2, 3, 4, 5, None)] == [1.5, 1.25, 1, 1, 1, 1]


# Sensitivity ------------------------------------------------------------------------------


def test_sensitivity_when_leaving_feedback_out_changes_the_top_three():
    """Surveys 100 people: Housing 30, Safety 28, Air 26. Feedback 29 people, all on
    Employment: with feedback, Employment is 29/129, second; without it, it drops out."""
    rows = [(6, HOUSING, "surveys", 1.0, 30), (6, SAFETY, "surveys", 1.0, 28),
            (6, AIR, "surveys", 1.0, 26), (6, JOBS, "feedback", 3.0, 3)]
    people = {("surveys", 6, None): 100, ("feedback", 6, None): 29,
              ("feedback", 6, JOBS): 29}
    sources = scoring.gather(rows, people, GROUPS)[6]
    result = scoring.sensitivity(sources, ONES, NAMES)
    assert result["top"] == [HOUSING, JOBS, SAFETY] and result["stable"] is False
    by_key = {s["key"]: s for s in result["scenarios"]}
    assert list(by_key) == ["without:feedback", "half:feedback", "more:feedback",
                            "without:surveys", "half:surveys", "more:surveys"]
    assert by_key["without:feedback"] == {
        "key": "without:feedback", "top": [HOUSING, SAFETY, AIR], "changes_members": True,
        "changes_order": True}
    # Halving feedback: Employment 14.5/114.5 = 13% drops below Air 26/114.5 = 23%.
    assert by_key["half:feedback"]["changes_members"] is True
    # x1.5: Employment 43.5/143.5 = 30% goes first; same three, new order.
    assert by_key["more:feedback"] == {
        "key": "more:feedback", "top": [JOBS, HOUSING, SAFETY], "changes_members": False,
        "changes_order": True}
    # Without surveys only Employment is left.
    assert by_key["without:surveys"]["top"] == [JOBS]


def test_sensitivity_stable_when_nothing_changes():
    """A survey with a clear order, and feedback agreeing with it: scores are
    (60 + 5m, 40 + 3m, 20 + 2m, 5) / (100 + 10m), in the same order whatever m is."""
    rows = [(7, HOUSING, "surveys", 1.0, 60), (7, SAFETY, "surveys", 1.0, 40),
            (7, AIR, "surveys", 1.0, 20), (7, JOBS, "surveys", 1.0, 5),
            (7, HOUSING, "feedback", 1.0, 1), (7, SAFETY, "feedback", 1.0, 1),
            (7, AIR, "feedback", 1.0, 1)]
    people = {("surveys", 7, None): 100, ("feedback", 7, None): 10,
              ("feedback", 7, HOUSING): 5, ("feedback", 7, SAFETY): 3,
              ("feedback", 7, AIR): 2}
    result = scoring.sensitivity(scoring.gather(rows, people, GROUPS)[7], ONES, NAMES)
    assert result["top"] == [HOUSING, SAFETY, AIR] and result["stable"] is True
    assert len(result["scenarios"]) == 6
    assert not any(s["changes_members"] or s["changes_order"] for s in result["scenarios"])


def test_sensitivity_with_one_source_has_no_leave_out_scenario_and_none_without_evidence():
    rows = [(8, HOUSING, "surveys", 1.0, 3), (8, AIR, "surveys", 1.0, 1)]
    result = scoring.sensitivity(scoring.gather(rows, {}, GROUPS)[8], ONES, NAMES)
    assert [s["key"] for s in result["scenarios"]] == ["half:surveys", "more:surveys"]
    assert result["stable"] is True
    assert scoring.sensitivity({}, ONES, NAMES) == {}


# The property -----------------------------------------------------------------------------

people_counts = st.integers(min_value=0, max_value=500)
theme_evidence = st.fixed_dictionaries({g: people_counts for g in GROUPS})


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(theme_evidence, min_size=2, max_size=8),
       st.fixed_dictionaries({g: people_counts for g in GROUPS}))
def test_more_people_never_rank_below_fewer(themes, extra_totals):
    """All multipliers 1, no need weighting: a theme supported by more people (summed over
    the sources) never ranks below one supported by fewer."""
    rows, people = [], {}
    for theme_id, by_group in enumerate(themes, start=1):
        for group, count in by_group.items():
            if count:
                rows.append((1, theme_id, group, float(count), count))
                people[(group, 1, theme_id)] = count
    for group in GROUPS:
        largest = max(t[group] for t in themes)
        people[(group, 1, None)] = largest + extra_totals[group]
    sources = scoring.gather(rows, people, GROUPS).get(1, {})
    ranked = scoring.rank_people(sources, ONES, {})
    supporters = {i: sum(t.values()) for i, t in enumerate(themes, start=1)}
    for higher, lower in zip(ranked, ranked[1:], strict=False):
        assert supporters[higher.theme_id] >= supporters[lower.theme_id]
