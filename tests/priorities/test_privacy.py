"""Public pages must not let a suppressed count be worked out from shares, scores or totals;
who took part is shown against who lives there with the same rules."""

import re

import pytest

from priorities.disclosure import hidden_groups, hidden_scores
from priorities.models import PopulationFigure
from priorities.population import characteristics, participation
from priorities.ranking import live_ranking
from tests.disclosure_recovery import (
    assert_hidden_together_exceed,
    assert_unrecoverable,
    number,
    possible_values,
    says_small,
    table_rows,
    text,
)

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


def _live_section(html):
    """The live ranking: its list, chart and table."""
    section = html[html.index(">Live ranking</h2>"):]
    return section[:section.index("</table>")]


def _cells(html):
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_live_ranking_hides_shares_and_scores_behind_a_small_count(
        client, priorities_page, harlesden_feedback):
    html = client.get("/priorities/harlesden/").content.decode()
    assert "10 items of community feedback." in html
    assert "4 items" not in html
    # The total is public...
    assert re.search(r"Community feedback</th>\s*<td[^>]*>40</td>\s*<td[^>]*>20</td>", html)
    # ...so housing's share or score (20%) would give 0.2 x 20 = 4 away.
    ranked = _live_section(html)
    figures = [int(n) for cell in _cells(ranked) for n in re.findall(r"(?<![\d.])(\d+)%", cell)]
    assert 50 in figures and 20 not in figures and 30 not in figures
    assert not re.search(r"(?<![\d.])(20|30)%", ranked)
    # Subtraction: 20 - 10 shown = 10 is two themes' worth, so homelessness is hidden too,
    # and reads the same as housing.
    assert "6 items of community feedback." not in html
    assert html.count("The number of community feedback items is not shown, to protect "
                      "people&#x27;s privacy.") == 2
    shown = sum(int(n) for n in re.findall(r"(\d+) items? of community feedback\.", html))
    assert 20 - shown != 4
    # The top theme, resting on 10 items, keeps its share and score; the gaps are explained.
    assert ">50%<" in ranked and "50% of people (95% interval" in ranked
    assert ranked.count("score not shown to protect privacy") == 2
    assert ranked.count("Fewer than 5 people: not shown to protect privacy.") == 1


def test_comparison_hides_scores_behind_a_small_count(client, priorities_page,
                                                       harlesden_feedback):
    html = client.get("/priorities/").content.decode()
    html = html[html.index('id="comparison"'):]
    assert "50% (rank 1)" in html
    assert not re.search(r"(?<![\d.])(20|30)%", html)
    assert "not shown (rank 3)" in html and "not shown (rank 2)" in html
    assert "Fewer than 5 people: not shown to protect privacy." in html


def test_officers_see_exact_shares(client, officer, settings, harlesden_feedback):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    from django.urls import reverse

    html = client.get(reverse("priorities_admin:neighbourhood",
                              args=[harlesden_feedback.pk])).content.decode()
    assert ">20%<" in html and ">30%<" in html


def test_no_secondary_suppression_when_two_small_counts_come_to_more_than_five(areas, themes):
    harlesden = areas["Harlesden"]
    for theme, items in (("housing", 3), ("homelessness", 3), ("financial-hardship", 10)):
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
    assert "not shown" in sex and "fewer than 5" not in sex  # both read the same
    result = participation(harlesden)
    rows = {r["category"]: r for c in result["characteristics"] if c["code"] == "sex"
            for r in c["rows"]}
    assert rows["male"]["count"] is None and rows["female"]["count"] is None
    assert str(rows["female"]["cell"]) == str(rows["male"]["cell"]) == "not shown"


def test_participation_keeps_counts_when_nothing_is_hidden(ranking_survey, areas):
    harlesden = areas["Harlesden"]
    add_responses(ranking_survey, harlesden, ["Housing"], count=6, equality={"sex": "female"})
    add_responses(ranking_survey, harlesden, ["Housing"], count=5, equality={"sex": "male"})
    result = participation(harlesden)
    rows = {r["category"]: r for c in result["characteristics"] if c["code"] == "sex"
            for r in c["rows"]}
    assert rows["female"]["count"] == 6 and rows["male"]["count"] == 5
    assert rows["female"]["cell"].shown and rows["female"]["share"] == 54.5


def test_participation_suppresses_small_numbers_and_flags_who_is_missing(
        ranking_survey, areas):
    harlesden = areas["Harlesden"]
    for category, count in (("25_34", 100), ("35_44", 30), ("75_plus", 2)):
        add_responses(ranking_survey, harlesden, ["Housing"], count=count,
                      equality={"age": category})
    for category, people in (("25_34", 1000), ("35_44", 1000), ("75_plus", 2000)):
        PopulationFigure.objects.create(neighbourhood=harlesden, characteristic="age",
                                        category=category, people=people)
    result = participation(harlesden)
    age = next(c for c in result["characteristics"] if c["code"] == "age")
    rows = {row["category"]: row for row in age["rows"]}
    assert rows["25_34"]["count"] == 100 and rows["25_34"]["population_share"] == 25.0
    assert rows["75_plus"]["count"] is None and rows["75_plus"]["share"] is None
    # 35 to 44's 30 goes with the 2, or 132 - 100 would give it away.
    assert rows["35_44"]["count"] is None
    # Even if all 32 hidden answers were from people 75 and over, that would be 24% of
    # answers against half the population: under-heard, from what the public already knows.
    assert rows["75_plus"]["under"] is True and rows["25_34"]["under"] is False
    assert rows["35_44"]["under"] is False


# Recovery: every hidden number tried, through the public page -------------------------------


def _live_items(html):
    """(theme slug, its evidence sentences) in the order of the live ranking."""
    return re.findall(r'<li class="priority-list__item" id="live-([\w-]+)">(.*?)</li>', html,
                      re.S)


def test_no_hidden_feedback_count_can_be_worked_out_from_the_live_ranking(
        client, priorities_page, areas, themes):
    """Housing 1, homelessness 5, financial hardship 14 of 20 items: "fewer than 5" beside a
    "not shown" meaning at least 5 pinned both (20 - 14 = 6 = 1 + 5)."""
    harlesden = areas["Harlesden"]
    actual = {"housing": 1, "homelessness": 5, "financial-hardship": 14}
    for slug, items in actual.items():
        for _n in range(items):
            add_feedback(harlesden, [themes[slug]], people=2)
    html = client.get("/priorities/harlesden/").content.decode()
    items = _live_items(html)
    order = [slug for slug, _body in items]
    shown, hidden, claims = {}, [], {}
    for slug, item in items:
        body = " ".join(re.findall(r'<p class="priority-list__evidence">(.*?)</p>', item))
        found = re.search(r"(?<!than )(\d+) items? of community feedback", body)
        if found:
            shown[slug] = int(found.group(1))
            continue
        hidden.append(slug)
        # What the words claim: "Fewer than 5 items", or hidden "to protect a smaller group"
        # (so not small itself).
        claims[slug] = ("small" if says_small(text(body)) else
                        "large" if "smaller group" in text(body) else None)
    totals = {row[0]: row for row in table_rows(html, "People and evidence behind the ranking")}
    total = number(totals["Community feedback"][2])

    def ranked(values):
        # The ranking's order is public: with one source, by count, then A to Z.
        counts = {**shown, **values}
        if 0 in counts.values():
            return False  # a theme nobody spoke about is not in the ranking
        if any((claims[slug] == "small" and counts[slug] >= 5)
               or (claims[slug] == "large" and counts[slug] < 5) for slug in hidden):
            return False
        key = {slug: (-counts[slug], themes[slug].name) for slug in order}
        return order == sorted(order, key=key.get)

    def rules(values):
        counts = {**shown, **values}
        ranking = {"totals": {"feedback": {"count": total, "people": 2 * total}},
                   "weights": {"feedback": 1.0},
                   "priorities": [{"theme_id": themes[slug].pk, "score": counts[slug] / total,
                                   "evidence": {"feedback": {"count": counts[slug]}}}
                                  for slug in order]}
        hides = {theme for theme, groups in hidden_groups(ranking).items() if "feedback" in groups}
        return ranked(values) and hides == {themes[slug].pk for slug in hidden}

    rest = total - sum(shown.values())
    expected = {slug: actual[slug] for slug in hidden}
    # The order of the ranking is the point of the page, so the public may know which hidden
    # count is the smaller; it cannot work either out.
    weak = possible_values(hidden, upper=rest, total=rest, consistent=ranked)
    assert_unrecoverable(weak, actual=expected, could_be_large=False)
    assert_hidden_together_exceed(rest)
    assert (shown, sorted(hidden), total) == ({"financial-hardship": 14},
                                              ["homelessness", "housing"], 20)
    strong = possible_values(hidden, upper=rest, total=rest, consistent=rules)
    assert_unrecoverable(strong, actual=expected, could_be_large=False)


def test_no_hidden_count_can_be_worked_out_from_who_took_part(
        client, priorities_page, ranking_survey, areas):
    harlesden = areas["Harlesden"]
    actual = {"no": 40, "yes_little": 9, "yes_lot": 2, "prefer_not": 0}
    for category, count in actual.items():
        if count:
            add_responses(ranking_survey, harlesden, ["Housing"], count=count,
                          equality={"disability": category})
    add_responses(ranking_survey, harlesden, ["Housing"], count=10)  # skipped the question
    html = client.get("/priorities/harlesden/").content.decode()
    block = html[html.index("<summary>Disability"):]
    block = block[:block.index("</details>")]
    rows = table_rows(block, "Disability")
    labels = {"No": "no", "Yes, limited a little": "yes_little", "Yes, limited a lot": "yes_lot",
              "Prefer not to say": "prefer_not"}
    observed = {labels[row[0]]: row[1:] for row in rows}
    shown = {key: number(cells[0]) for key, cells in observed.items()
             if number(cells[0]) is not None}
    shares = {key: number(cells[1]) for key, cells in observed.items()
              if key in shown and key != "prefer_not" and number(cells[1]) is not None}
    hidden = [key for key in observed if key not in shown]
    people = number({row[0]: row for row in table_rows(
        html, "People and evidence behind the ranking")}["Surveys"][1])
    options = next(opts for code, _label, opts in characteristics() if code == "disability")
    figures = {}

    def page_arithmetic(values):
        counts = {**shown, **values}
        answered = sum(n for key, n in counts.items() if key != "prefer_not")
        return (all(round(100 * counts[key] / answered, 1) == share
                    for key, share in shares.items())
                and answered + counts["prefer_not"] <= people
                and all(counts[key] < 5 for key in hidden if says_small(observed[key][0])))

    expected = {key: actual[key] for key in hidden}
    weak = possible_values(hidden, upper=people, at_most=people - sum(shown.values()),
                           consistent=page_arithmetic)
    assert_unrecoverable(weak, actual=expected,
                         could_be_large=not any(says_small(observed[key][0]) for key in hidden))
    assert observed["no"][:2] == ["40", "78.4%"] and people == 61
    assert sorted(hidden) == ["prefer_not", "yes_little", "yes_lot"]

    def rules(values):
        from priorities.population import _characteristic

        counts = {("disability", key): n for key, n in {"no": 40, **values}.items()}
        section = _characteristic("disability", "Disability", options, counts, figures)
        republished = {row["category"]: row for row in section["rows"]}
        return page_arithmetic(values) and all(
            (republished[key]["count"] is None) == (key in hidden)
            and (str(republished[key]["cell"]) == observed[key][0] if key in hidden else True)
            for key in observed)

    strong = possible_values(hidden, upper=people, at_most=people - 40, consistent=rules)
    assert_unrecoverable(strong, actual=expected)


def test_a_hidden_prefer_not_to_say_is_safe_when_everybody_answered(
        client, priorities_page, ranking_survey, areas):
    """Everybody answered: the 54 taking part less the 51 the shares give away would be the
    hidden "Prefer not to say", so the shares are not shown."""
    harlesden = areas["Harlesden"]
    actual = {"no": 40, "yes_little": 9, "yes_lot": 2, "prefer_not": 3}
    for category, count in actual.items():
        add_responses(ranking_survey, harlesden, ["Housing"], count=count,
                      equality={"disability": category})
    html = client.get("/priorities/harlesden/").content.decode()
    block = html[html.index("<summary>Disability"):]
    rows = {row[0]: row[1:] for row in table_rows(block[:block.index("</details>")],
                                                  "Disability")}
    # Whatever share the page shows gives away how many answered: 54 less that is the
    # "Prefer not to say" count.
    answered = {round(100 * 40 / n, 1): n for n in range(41, 55)}.get(number(rows["No"][1]))
    prefer = rows["Prefer not to say"][0]
    if answered is not None and says_small(prefer):
        possible = {"prefer_not": {54 - answered}}
    else:
        # 54 - 40 = 14 between three hidden counts, with nothing to say how many answered.
        possible = possible_values(["yes_little", "yes_lot", "prefer_not"], upper=14, total=14)
    assert_unrecoverable(possible, actual={key: actual[key] for key in possible})
    assert rows["No"][0] == "40" and rows["No"][1] == "–"  # no share
    assert prefer == "not shown" and "78.4%" not in block
