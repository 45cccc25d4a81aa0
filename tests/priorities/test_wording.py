"""The evidence behind a priority in plain language, with hidden numbers "not shown" whether
small themselves or hidden to protect a small one."""

from decimal import Decimal

from priorities.presentation import interval_percent, percent
from priorities.wording import (
    evidence_summary,
    hidden_scores_explained,
    method_name,
    multiplier_text,
    scenario_label,
    score_text,
    sensitivity_sentence,
    under_heard_text,
)


def test_plain_language_summary_and_suppression(settings):
    settings.PORTAL_SUPPRESSION_THRESHOLD = 5
    totals = {"surveys": {"people": 1250, "count": 3000}}
    evidence = {"surveys": {"people": 525, "count": 600}, "forums": {"count": 63, "occasions": 2},
                "feedback": {"count": 18}}
    assert evidence_summary(evidence, totals) == (
        "Chosen, ranked or agreed with by 42% of 1,250 survey respondents. "
        "63 votes at 2 forums. 18 items of community feedback.")
    small = {"surveys": {"people": 3, "count": 3}, "forums": {"count": 4, "occasions": 1},
             "feedback": {"count": 2}}
    hidden = (
        "Survey figures for this theme are not shown, to protect people's privacy. "
        "The number of forum votes is not shown, to protect people's privacy. "
        "The number of community feedback items is not shown, to protect people's privacy.")
    assert evidence_summary(small, totals) == hidden
    # Hidden to protect another theme's small number: the same words, so they give nothing away.
    assert evidence_summary(evidence, totals, {"surveys", "forums", "feedback"}) == hidden
    assert evidence_summary(evidence, {"surveys": {"people": 4}}).startswith(
        "Survey figures for this theme are not shown")


# Scores, methods and sensitivity in words -------------------------------------------------

def test_a_score_is_a_whole_percentage_with_its_interval():
    assert percent(0.2583) == 26 and percent(0.41) == 41
    assert interval_percent([0.372, 0.454]) == (37, 45)
    assert interval_percent(None) is None and interval_percent([None, None]) is None
    assert score_text(41, (37, 45)) == "41% (37% to 45%)"
    assert score_text(26) == "26%"
    assert score_text(None) == "not shown to protect privacy"


def test_methods_are_named_in_words():
    assert method_name("share-of-people/2") == "share of people, version 2"
    assert method_name("share-of-attention/1") == "share of attention, version 1"
    assert method_name("something-else/9") == "something-else/9"


def test_hidden_scores_are_explained_with_the_threshold(settings):
    settings.PORTAL_SUPPRESSION_THRESHOLD = 7
    assert hidden_scores_explained().startswith(
        "Fewer than 7 people: not shown to protect privacy.")


def test_multipliers_read_as_multiplications():
    assert multiplier_text(Decimal("1.00")) == "×1"
    assert multiplier_text(Decimal("1.50")) == "×1.5"
    assert multiplier_text(0.5) == "×0.5"


def test_sensitivity_in_one_plain_sentence():
    stable = {"top": [1, 2, 3], "stable": True, "scenarios": [
        {"key": "without:feedback", "top": [1, 2, 3], "changes_members": False,
         "changes_order": False},
        {"key": "half:surveys", "top": [1, 2, 3], "changes_members": False,
         "changes_order": False}]}
    assert sensitivity_sentence(stable) == (
        "The top three stay the same whichever source is left out and if any multiplier is "
        "halved or raised by half.")
    changing = {"top": [1, 2, 3], "stable": False, "scenarios": [
        {"key": "without:feedback", "top": [1, 4, 2], "changes_members": True,
         "changes_order": True},
        {"key": "more:surveys", "top": [2, 1, 3], "changes_members": False,
         "changes_order": True},
        {"key": "half:forums", "top": [1, 2, 3], "changes_members": False,
         "changes_order": False}]}
    assert sensitivity_sentence(changing) == (
        "The top three would change if community feedback were left out, and would come in "
        "a different order if the multiplier for surveys were raised by half.")
    changing["scenarios"][2].update(changes_members=True)
    del changing["scenarios"][1]
    assert sensitivity_sentence(changing) == (
        "The top three would change if community feedback were left out or if the "
        "multiplier for forums were halved.")
    order_only = {"top": [1, 2, 3], "scenarios": [
        {"key": "without:surveys", "top": [2, 1, 3], "changes_members": False,
         "changes_order": True}]}
    assert sensitivity_sentence(order_only) == (
        "The top three would stay the same themes but come in a different order if surveys "
        "were left out.")
    assert sensitivity_sentence({}) == "" and sensitivity_sentence(None) == ""
    assert scenario_label("half:surveys") == "if the multiplier for surveys were halved"


def test_the_most_deprived_fifth_has_its_own_flag():
    assert under_heard_text("deprivation", ["q1", "q2"]) == (
        "The most deprived fifth of this neighbourhood is under-heard")
    assert under_heard_text("deprivation", ["q3"]) == ""
    assert under_heard_text("age", ["q1"]) == ""
