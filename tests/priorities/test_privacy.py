"""Public pages must not let a suppressed count be worked out from shares, scores or totals;
who took part is shown against who lives there with the same rules."""

import re

import pytest

from priorities.disclosure import hidden_groups, hidden_scores
from priorities.models import PopulationFigure
from priorities.population import participation
from priorities.ranking import live_ranking

from .conftest import add_feedback, add_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def harlesden_feedback(areas, themes):
    """20 items of feedback: housing 4 (suppressed), homelessness 6, financial hardship 10."""
    harlesden = areas["Harlesden"]
    for theme, items in (("housing", 4), ("homelessness", 6), ("financial-hardship", 10)):
        for _n in range(items):
            add_feedback(harlesden, [themes[theme]], people=2)
    return harlesden


def _cells(html):
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_live_ranking_hides_shares_and_scores_behind_a_small_count(
        client, priorities_page, harlesden_feedback):
    html = client.get("/priorities/harlesden/").content.decode()
    assert "Fewer than 5 items of community feedback." in html
    assert "10 items of community feedback." in html
    # The total is public...
    assert re.search(r"Community feedback</th>\s*<td[^>]*>40</td>\s*<td[^>]*>20</td>", html)
    # ...so housing's share (20.0%) or score (20.0) would give 0.2 x 20 = 4 away.
    figures = [float(n) for cell in _cells(html) for n in re.findall(r"\d+\.\d+", cell)]
    assert 50.0 in figures and 20.0 not in figures and 30.0 not in figures
    assert "score 20.0" not in html and ">20.0<" not in html and "20.0%" not in html
    # Subtraction: 20 - 10 shown = 10 is two themes' worth, so homelessness is hidden too.
    assert "6 items of community feedback." not in html
    assert "30.0" not in html
    assert ("The number of community feedback items is not shown, to protect a smaller "
            "group.") in html
    shown = sum(int(n) for n in re.findall(r"(\d+) items? of community feedback\.", html))
    assert 20 - shown != 4
    # The top theme, resting on 10 items, keeps its share and score.
    assert "50.0%" in html and "score 50.0" in html
    assert "not shown" in html


def test_comparison_hides_scores_behind_a_small_count(client, priorities_page,
                                                       harlesden_feedback):
    html = client.get("/priorities/").content.decode()
    assert "50.0 (1)" in html
    assert "20.0" not in html and "30.0" not in html
    assert "not shown (3)" in html and "not shown (2)" in html


def test_officers_see_exact_shares(client, officer, settings, harlesden_feedback):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    from django.urls import reverse

    html = client.get(reverse("priorities_admin:neighbourhood",
                              args=[harlesden_feedback.pk])).content.decode()
    assert "20.0%" in html and "30.0%" in html


def test_no_secondary_suppression_when_two_counts_are_small(areas, themes):
    harlesden = areas["Harlesden"]
    for theme, items in (("housing", 3), ("homelessness", 2), ("financial-hardship", 10)):
        for _n in range(items):
            add_feedback(harlesden, [themes[theme]])
    ranking = live_ranking(harlesden)
    hidden = hidden_groups(ranking)
    assert hidden == {themes["housing"].pk: {"feedback"}, themes["homelessness"].pk: {"feedback"}}
    assert hidden_scores(ranking) == {themes["housing"].pk, themes["homelessness"].pk}


def test_participation_hides_the_next_smallest_group_too(client, priorities_page,
                                                         ranking_survey, areas):
    harlesden = areas["Harlesden"]
    add_responses(ranking_survey, harlesden, ["Housing"], count=20, equality={"sex": "female"})
    add_responses(ranking_survey, harlesden, ["Housing"], count=3, equality={"sex": "male"})
    html = client.get("/priorities/harlesden/").content.decode()
    sex = html[html.index("<summary>Sex"):]
    sex = sex[:sex.index("</details>")]
    # Female's 20 and 87.0% would give the 23 who answered, and 23 - 20 = 3 men.
    assert "87.0%" not in sex and ">20<" not in sex
    assert "not shown, to protect a smaller group" in sex
    assert "fewer than 5" in sex
    result = participation(harlesden)
    rows = {r["category"]: r for c in result["characteristics"] if c["code"] == "sex"
            for r in c["rows"]}
    assert rows["male"]["count"] is None and rows["female"]["count"] is None
    assert rows["female"]["withheld"] is True and rows["male"]["withheld"] is False


def test_participation_keeps_counts_when_nothing_is_hidden(ranking_survey, areas):
    harlesden = areas["Harlesden"]
    add_responses(ranking_survey, harlesden, ["Housing"], count=6, equality={"sex": "female"})
    add_responses(ranking_survey, harlesden, ["Housing"], count=5, equality={"sex": "male"})
    result = participation(harlesden)
    rows = {r["category"]: r for c in result["characteristics"] if c["code"] == "sex"
            for r in c["rows"]}
    assert rows["female"]["count"] == 6 and rows["male"]["count"] == 5
    assert not rows["female"]["withheld"]


def test_participation_suppresses_small_numbers_and_flags_who_is_missing(
        ranking_survey, areas):
    harlesden = areas["Harlesden"]
    add_responses(ranking_survey, harlesden, ["Housing"], count=20, equality={"age": "25_34"})
    add_responses(ranking_survey, harlesden, ["Housing"], count=2, equality={"age": "75_plus"})
    for category, people in (("25_34", 1000), ("75_plus", 1000)):
        PopulationFigure.objects.create(neighbourhood=harlesden, characteristic="age",
                                        category=category, people=people)
    result = participation(harlesden)
    age = next(c for c in result["characteristics"] if c["code"] == "age")
    rows = {row["category"]: row for row in age["rows"]}
    assert rows["25_34"]["count"] == 20 and rows["25_34"]["population_share"] == 50.0
    assert rows["75_plus"]["count"] is None and rows["75_plus"]["share"] is None
    assert rows["75_plus"]["under"] is True and rows["25_34"]["under"] is False
