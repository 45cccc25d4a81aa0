"""The evidence behind a priority in plain language, with hidden numbers "not shown" whether
small themselves or hidden to protect a small one."""

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
    hidden = (
        "Survey figures for this theme are not shown, to protect people's privacy. "
        "The number of forum votes is not shown, to protect people's privacy. "
        "The number of community feedback items is not shown, to protect people's privacy.")
    assert evidence_summary(small, totals) == hidden
    # Hidden to protect another theme's small number: the same words, so they give nothing away.
    assert evidence_summary(evidence, totals, {"surveys", "forums", "feedback"}) == hidden
    assert evidence_summary(evidence, {"surveys": {"people": 4}}).startswith(
        "Survey figures for this theme are not shown")
