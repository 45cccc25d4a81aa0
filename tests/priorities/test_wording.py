"""The evidence behind a priority in plain language, with numbers below the threshold shown
as "fewer than N"."""

from priorities.wording import evidence_summary


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
    assert evidence_summary(small, totals) == (
        "Chosen, ranked or agreed with by fewer than 5 of 1,250 survey respondents. "
        "Fewer than 5 votes at neighbourhood forums. Fewer than 5 items of community feedback.")
    assert "fewer than 5 survey respondents" in evidence_summary(
        small, {"surveys": {"people": 4}})
