"""A plan's page and PDF hide what the priorities pages hide: a count, score or summary of an
adopted priority cannot give away a small number the live ranking protects."""

import re

import pytest

from plans import pdfs
from priorities.models import SnapshotPriority
from priorities.snapshots import decide, take_snapshot
from tests.disclosure_recovery import assert_unrecoverable, possible_values, text
from tests.priorities.conftest import add_feedback

from .conftest import make_plan

pytestmark = pytest.mark.django_db

ITEMS = {"Housing": 1, "Homelessness": 5, "Financial hardship": 14}  # 20 items in all


@pytest.fixture
def feedback_plan(plan_index, harlesden, officer):
    from portal.themes.models import Theme

    for name, items in ITEMS.items():
        for _n in range(items):
            add_feedback(harlesden, [Theme.objects.get(name=name)], people=2)
    snapshot = take_snapshot(harlesden, officer)
    for priority in snapshot.priorities.exclude(theme__name="Housing"):
        decide(priority, SnapshotPriority.ADOPTED, "Residents told us.", officer)
    return make_plan(plan_index, snapshot)


def published(page: str, pdf: str, name: str) -> tuple[list[int], list[float]]:
    """(counts, scores) a plan's page and PDF print for a theme, read as an attacker would:
    its score in the priorities tables, its summary's count, its evidence appendix."""
    scores = re.findall(rf"{name}</a></th><td[^>]*>(.*?)</td>", page)
    scores += re.findall(rf"{name}</th><td[^>]*>(.*?)</td>", pdf)
    scores = [score.removesuffix("%") for score in scores]
    counts = []
    for html in (page, pdf):
        for section in re.findall(rf"{name}</h\d>(.*?)(?:<h\d|</section>)", html, re.S):
            counts += re.findall(r"(\d+) items? of community feedback", text(section))
    appendix = re.search(rf"Evidence for {name}</caption>(.*?)</table>", pdf, re.S)
    if appendix:
        counts += re.findall(r"Community feedback</td><td[^>]*>(\d+)<", appendix.group(1))
    return ([int(n) for n in counts], [int(n) for n in scores if n.isdigit()])


def priorities_section(html: str) -> str:
    """The plan's priorities: the chart, the table of scores and the text under it."""
    start = html.index('id="priorities"')
    return html[start:html.index("</section>", start)]


def test_a_plan_gives_no_hidden_count_away(client, feedback_plan):
    page = client.get(feedback_plan.url).content.decode()
    pdf = pdfs.plan_pdf_html(feedback_plan)
    for html in (page, pdf):
        assert "Financial hardship" in html and "Homelessness" in html
        assert "5 items of community feedback" not in html
        section = priorities_section(html)
        # Homelessness' score: 25% of 20 items = 5; its interval would say much the same.
        assert not re.search(r"(?<![\d.])25%", section)
        assert "not shown" in section
        assert "Fewer than 5 people: not shown to protect privacy." in section
        assert ">70%<" in section and not re.search(r"\b0\.\d+", section)
    assert "14 items of community feedback" in page
    assert published(page, pdf, "Financial hardship")[0] == [14, 14, 14]

    # The attacker knows the 20 items in all and financial hardship's 14 from the priorities
    # page, and reads whatever the plan prints about homelessness.
    counts, scores = published(page, pdf, "Homelessness")

    def consistent(values):
        homelessness = values["Homelessness"]
        return (min(values.values()) > 0 and all(n == homelessness for n in counts)
                and all(score == round(100 * homelessness / 20) for score in scores))

    possible = possible_values(["Housing", "Homelessness"], upper=6, total=6,
                               consistent=consistent)
    # Which of the two is smaller is public (the ranking's order); neither can be worked out.
    assert_unrecoverable(possible, actual={"Housing": 1, "Homelessness": 5},
                         could_be_large=False)
