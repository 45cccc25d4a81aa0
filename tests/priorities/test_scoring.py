"""The scoring method against hand-worked examples (pure Python, no database)."""

from priorities import scoring

NAMES = {1: "Housing", 2: "Community safety", 3: "Air quality", 4: "Employment",
         5: "Digital inclusion"}
DEFAULT = {"surveys": 1.0, "forums": 1.0, "feedback": 1.0}


def test_hand_worked_example_reproduced_exactly():
    """Neighbourhood 10, weights surveys 2, forums 1, feedback 1.

    Surveys: Housing 6 points, Safety 3, Air 1 -> total 10 -> shares .6, .3, .1
    Forums:  Housing 2 votes, Safety 6        -> total 8  -> shares .25, .75 (Air 0)
    Feedback: none, so it is left out: the denominator is 2 + 1 = 3.

    Housing = (2 x .6 + 1 x .25) / 3 = 1.45 / 3 = 0.483333
    Safety  = (2 x .3 + 1 x .75) / 3 = 1.35 / 3 = 0.45
    Air     = (2 x .1 + 1 x 0)   / 3 = 0.2  / 3 = 0.066667
    Ranking: Housing, Safety, Air.
    """
    rows = [
        (10, 1, "surveys", 4.0, 4), (10, 1, "surveys", 2.0, 3),  # two days of housing
        (10, 2, "surveys", 3.0, 5), (10, 3, "surveys", 1.0, 1),
        (10, 1, "forums", 2.0, 2), (10, 2, "forums", 6.0, 6),
        (10, 4, "assets", 9.0, 9),  # context: never scored
    ]
    weights = {None: DEFAULT, 10: {"surveys": 2.0, "forums": 1.0, "feedback": 1.0}}
    ranked = scoring.rank(rows, weights, NAMES)[10]
    assert [(s.theme_id, s.rank, s.score) for s in ranked] == [
        (1, 1, 0.483333), (2, 2, 0.45), (3, 3, 0.066667)]
    housing = ranked[0]
    assert housing.groups["surveys"].share == 0.6 and housing.groups["surveys"].count == 7
    assert housing.groups["forums"].share == 0.25 and housing.count == 9


def test_ties_broken_by_count_then_name():
    """Feedback only: Employment 2 items (weight 2), Digital inclusion 2, Housing 1 + 1.

    All three have share 2/6 = 0.333333. Counts: Housing 4 (two rows of 2), Employment 2,
    Digital inclusion 2. So Housing first (more evidence), then Digital inclusion before
    Employment (alphabetical).
    """
    rows = [(20, 4, "feedback", 2.0, 2), (20, 5, "feedback", 2.0, 2),
            (20, 1, "feedback", 1.0, 2), (20, 1, "feedback", 1.0, 2)]
    ranked = scoring.rank(rows, {None: DEFAULT}, NAMES)[20]
    assert [s.theme_id for s in ranked] == [1, 5, 4]
    assert {s.score for s in ranked} == {0.333333}


def test_zero_weight_source_is_left_out():
    """Forums weighted 0: only the survey shares count, divided by the survey weight alone."""
    rows = [(1, 1, "surveys", 1.0, 1), (1, 2, "surveys", 3.0, 3), (1, 1, "forums", 10.0, 10)]
    ranked = scoring.rank(rows, {None: {"surveys": 1.0, "forums": 0.0, "feedback": 1.0}}, NAMES)
    assert [(s.theme_id, s.score) for s in ranked[1]] == [(2, 0.75), (1, 0.25)]


def test_neighbourhood_without_evidence_is_absent_and_assets_alone_score_nothing():
    assert scoring.rank([], {None: DEFAULT}, NAMES) == {}
    assert scoring.rank([(3, 1, "assets", 5.0, 5)], {None: DEFAULT}, NAMES) == {}


def test_deterministic_whatever_the_row_order():
    rows = [(1, t, g, float(w), w) for t, g, w in
            [(1, "surveys", 3), (2, "surveys", 3), (3, "forums", 5), (1, "feedback", 1),
             (2, "feedback", 1), (3, "surveys", 1)]]
    first = [(s.theme_id, s.score) for s in scoring.rank(rows, {None: DEFAULT}, NAMES)[1]]
    again = [(s.theme_id, s.score) for s in
             scoring.rank(list(reversed(rows)), {None: DEFAULT}, NAMES)[1]]
    assert first == again
