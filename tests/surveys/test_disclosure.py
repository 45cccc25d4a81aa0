"""Public survey results give no small number away. Each test reads the public results page
through the test client, as anyone could, and tries every combination of hidden values that
agrees with what the page shows (`tests/disclosure_recovery.py`): first with the page's own
arithmetic (totals, percentages, net score, Borda scores, mean ranks), then also knowing the
published rules. Nothing can be recovered, and no hidden number can be told to be small."""

import itertools
import re
from collections import Counter

import pytest
from django.core.cache import cache

from portal import disclosure
from portal.neighbourhoods.models import Neighbourhood
from surveys.answering import submit_response
from surveys.models import Question
from surveys.results import suppressed
from tests.disclosure_recovery import (
    assert_hidden_together_exceed,
    assert_unrecoverable,
    assignments,
    number,
    possible_values,
    says_small,
    table_rows,
    text,
)

from .conftest import CLOCK, block, inside, make_survey, map_sections, options, question

pytestmark = pytest.mark.django_db

LIKERT = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree",
          "Strongly disagree"]
ISSUES = ["Housing", "Air quality", "Safety", "Isolation"]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def hub_sections():
    return [block("section", {"title": "The hub", "introduction": "", "questions": [
        block("where_you_live", question("Where do you live?", required=False)),
        block("single_choice", question("How do you get to the hub?", required=False,
                                        options=options("Walk", "Bus", "Car"))),
        block("likert", question("The hub is welcoming", required=False)),
        block("multiple_choice", question(
            "Which services have you used?", required=False,
            options=options("Health visitor", "Library", "Stay and play"),
            min_choices=1, max_choices=2)),
        block("ranking", question("Rank these issues", required=False,
                                  options=options(*ISSUES), rank_count=2)),
        block("number", question("How many people live in your home?", required=False,
                                 min_value=1, max_value=20)),
    ]})]


def published(survey):
    survey.results_published = True
    survey.save_revision().publish()
    return survey


@pytest.fixture
def hub(survey_index):
    return make_survey(survey_index, title="Hub survey", sections=hub_sections())


def answer(survey, *, where=None, single=None, likert=None, services=(), ranks=(),
           number_value=None):
    """One response to the hub survey, giving only the answers named."""
    questions = {q.kind: q for q in Question.objects.filter(survey=survey, retired=False)}
    answers = []

    def option(kind, label):
        return questions[kind].options.get(label=label).pk

    if where:
        answers.append({"question_id": questions[Question.WHERE].pk, "text": "NW10"})
    if single:
        answers.append({"question_id": questions[Question.SINGLE].pk,
                        "option_id": option(Question.SINGLE, single)})
    if likert:
        answers.append({"question_id": questions[Question.LIKERT].pk, "number": likert})
    answers += [{"question_id": questions[Question.MULTIPLE].pk,
                 "option_id": option(Question.MULTIPLE, label)} for label in services]
    answers += [{"question_id": questions[Question.RANKING].pk, "rank": rank,
                 "option_id": option(Question.RANKING, label)}
                for rank, label in enumerate(ranks, start=1)]
    if number_value is not None:
        answers.append({"question_id": questions[Question.NUMBER].pk, "number": number_value})
    neighbourhood = Neighbourhood.objects.get(name=where).pk if where else None
    submit_response(survey, answers, neighbourhood_id=neighbourhood)


def results_page(client, survey) -> str:
    response = client.get(f"{survey.url}results/")
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, label: str) -> str:
    for found in re.findall(r'<section class="result".*?</section>', page, re.S):
        if label in found:
            return found
    raise AssertionError(f"no results for {label!r}")


def people_answered(page: str, label: str) -> int | None:
    found = re.search(r"(\d+) (?:person|people) answered", text(section(page, label)))
    return int(found.group(1)) if found else None


def split(rows):
    """(shown {label: count}, hidden [labels]) of a table whose first figure is a count."""
    shown = {row[0]: number(row[1]) for row in rows if number(row[1]) is not None}
    return shown, [row[0] for row in rows if number(row[1]) is None]


def page_cells(rows) -> list:
    """What a table shows: the figures of a shown row, the words of a hidden one."""
    return [(row[0], tuple(number(cell) if number(cell) is not None else cell
                           for cell in row[1:])) for row in rows]


def republished_table(entry: dict) -> list:
    """What the public page would show of `entry`, published with the portal's own rules."""
    public = suppressed({"total": entry["respondents"], "questions": [entry]})["questions"][0]
    shown = []
    for row in public["rows"]:
        if row.get("suppressed"):
            shown.append((row["label"], (str(row["cell"]),)))
        elif entry["kind"] == Question.RANKING:
            shown.append((row["label"], (row["borda"], row["mean_rank"], row["count"])))
        else:
            shown.append((row["label"], (row["count"], row["percent"])))
    return shown


def choice_entry(kind, counts: dict, respondents: int) -> dict:
    rows = [{"label": label, "count": n, "retired": False, "theme": None,
             "percent": round(100 * n / respondents, 1) if respondents else 0}
            for label, n in counts.items()]
    return {"question": None, "kind": kind, "respondents": respondents, "rows": rows,
            "retired": False}


def attack_table(rows, respondents, kind, actual, *, extra=None, relation="exact"):
    """Try to recover the hidden cells of a counts table, and fail the test if any can be.

    First from the page alone: the total, the shown counts, what hidden cells' words claim
    ("fewer than 5"), and `extra` (a net score); then also re-publishing every candidate with
    the portal's own rules, as someone who has read them would.
    """
    shown, hidden = split(rows)
    labels = [row[0] for row in rows]
    words = {row[0]: row[1] for row in rows}
    limit = disclosure.threshold()
    rest = respondents - sum(shown.values())
    bounds = ({"total": rest} if relation == "exact" else
              {"at_least": max(rest, 0), "at_most": 2 * respondents - sum(shown.values())})
    upper = {label: limit - 1 if says_small(words[label]) else respondents for label in hidden}
    small_words = all(says_small(words[label]) for label in hidden)

    def arithmetic(values):
        return extra is None or extra({**shown, **values})

    weak = possible_values(hidden, upper=upper, consistent=arithmetic, **bounds)
    assert_unrecoverable(weak, actual=actual, could_be_large=not small_words)
    if relation == "exact":
        assert_hidden_together_exceed(rest)

    def rules(values):
        counts = {**shown, **values}
        entry = choice_entry(kind, {label: counts[label] for label in labels}, respondents)
        return arithmetic(values) and republished_table(entry) == page_cells(rows)

    strong = possible_values(hidden, upper=upper, consistent=rules, **bounds)
    assert_unrecoverable(strong, actual=actual, could_be_large=not small_words)


# The issue's examples ----------------------------------------------------------------------


def test_eight_responses_with_a_net_score_give_nothing_away(hub, client):
    """Strongly agree 5 and "Net agreement: 88" beside "fewer than 5" pinned every other
    cell: agree minus disagree is 7 of 8."""
    for point, people in ((5, 5), (4, 2), (3, 1)):
        for _n in range(people):
            answer(hub, likert=point)
    page = results_page(client, published(hub))
    label = "The hub is welcoming"
    assert people_answered(page, label) == 8
    rows = table_rows(page, label)
    net = re.search(r"Net agreement: (-?\d+)", text(section(page, label)))

    def same_net(counts):
        if net is None:
            return True
        agree = counts["Strongly agree"] + counts["Agree"]
        disagree = counts["Disagree"] + counts["Strongly disagree"]
        return round(100 * (agree - disagree) / 8) == int(net.group(1))

    shown, _hidden = split(rows)
    actual = {"Strongly agree": 5, "Agree": 2, "Neither agree nor disagree": 1, "Disagree": 0,
              "Strongly disagree": 0}
    attack_table(rows, 8, Question.LIKERT, {key: actual[key] for key in _hidden},
                 extra=same_net)
    assert net is None and "Net agreement: not shown" in text(section(page, label))


def test_two_hidden_cells_cannot_be_told_apart_from_the_total(hub, client):
    """Walk 5 of 8 left 3 between two "fewer than 5" cells."""
    for label, people in (("Walk", 5), ("Bus", 2), ("Car", 1)):
        for _n in range(people):
            answer(hub, single=label)
    page = results_page(client, published(hub))
    rows = table_rows(page, "How do you get to the hub?")
    actual = {"Walk": 5, "Bus": 2, "Car": 1}
    attack_table(rows, 8, Question.SINGLE, {key: actual[key] for key in split(rows)[1]})
    assert "62.5%" not in page


def test_a_large_table_hides_only_what_it_must(hub, client):
    for label, people in (("Walk", 30), ("Bus", 2), ("Car", 4)):
        for _n in range(people):
            answer(hub, single=label)
    page = results_page(client, published(hub))
    rows = table_rows(page, "How do you get to the hub?")
    assert rows[0] == ["Walk", "30", "83.3%"]
    attack_table(rows, 36, Question.SINGLE, {"Bus": 2, "Car": 4})


def test_multiple_choice_counts_stay_hidden(hub, client):
    """People choose one or two services, so the counts add up to between 8 and 16."""
    for services, people in ((["Library"], 5), (["Library", "Health visitor"], 2),
                             (["Stay and play"], 1)):
        for _n in range(people):
            answer(hub, services=services)
    page = results_page(client, published(hub))
    rows = table_rows(page, "Which services have you used?")
    actual = {"Library": 7, "Health visitor": 2, "Stay and play": 1}
    attack_table(rows, 8, Question.MULTIPLE, {key: actual[key] for key in split(rows)[1]},
                 relation="at_least")


def _ballot_tallies(candidate):
    counts, borda, rank_sum = Counter(), Counter(), Counter()
    for ballot in candidate:
        for rank, label in enumerate(ballot, start=1):
            counts[label] += 1
            borda[label] += 3 - rank
            rank_sum[label] += rank
    return counts, borda, rank_sum


def test_rankings_hide_counts_borda_scores_mean_ranks_and_their_order(hub, client):
    """Borda scores and counts of all options add up to known totals (each person ranks
    two): the attacker tries every set of six people's rankings."""
    ballots = [("Housing", "Safety")] * 5 + [("Air quality", "Housing")]
    for ranks in ballots:
        answer(hub, ranks=ranks)
    page = results_page(client, published(hub))
    rows = table_rows(page, "Rank these issues")
    observed = page_cells(rows)
    shown = {label: cells for label, cells in observed if len(cells) == 3}
    hidden = [label for label, cells in observed if len(cells) == 1]
    small = {label for label, cells in observed if len(cells) == 1 and says_small(cells[0])}
    actual = {"Safety": 5, "Air quality": 1, "Isolation": 0}

    # From the page alone: the shown rows' Borda scores, mean ranks and counts.
    candidates = []
    for candidate in itertools.combinations_with_replacement(
            list(itertools.permutations(ISSUES, 2)), 6):
        counts, borda, rank_sum = _ballot_tallies(candidate)
        if all((borda[label], round(rank_sum[label] / counts[label], 2) if counts[label]
                else None, counts[label]) == cells for label, cells in shown.items()) and \
                all(counts[label] < disclosure.threshold() for label in small):
            candidates.append((counts, borda, rank_sum))
    weak = {label: {counts[label] for counts, _b, _r in candidates} for label in hidden}
    assert_unrecoverable(weak, actual={key: actual[key] for key in hidden},
                         could_be_large=not small)
    assert_hidden_together_exceed(12 - sum(cells[2] for cells in shown.values()))

    assert observed[0] == ("Housing", (11, 1.17, 6))
    assert set(hidden) == {"Air quality", "Safety", "Isolation"}
    assert [label for label, _cells in observed[1:]] == sorted(hidden)  # not by Borda score

    # Knowing the rules too: each candidate, published again, must look like the page.
    strong = {label: set() for label in hidden}
    for counts, borda, rank_sum in candidates:
        entry = choice_entry(Question.RANKING, {}, 6)
        entry["rows"] = sorted(
            ({"label": label, "count": counts[label], "retired": False, "theme": None,
              "borda": borda[label], "percent": 0,
              "mean_rank": round(rank_sum[label] / counts[label], 2) if counts[label] else None}
             for label in ISSUES), key=lambda row: (-row["borda"], row["label"]))
        if republished_table(entry) == observed:
            for label in hidden:
                strong[label].add(counts[label])
    assert_unrecoverable(strong, actual={key: actual[key] for key in hidden})


def test_where_people_live_is_hidden_and_not_ranked(hub, client):
    for name, people in (("Harlesden", 6), ("Kilburn", 2), ("Wembley", 1)):
        for _n in range(people):
            answer(hub, where=name)
    page = results_page(client, published(hub))
    rows = table_rows(page, "Where do you live?")
    actual = {"Harlesden": 6, "Kilburn": 2, "Wembley": 1}
    attack_table(rows, 9, Question.WHERE, {key: actual[key] for key in split(rows)[1]})
    assert [row[0] for row in rows] == ["Harlesden", "Kilburn", "Wembley"]  # A to Z


def test_a_mean_is_hidden_with_few_answers_and_never_with_the_extremes(hub, client):
    for value in (1, 2, 2, 9):
        answer(hub, number_value=value)
    page = results_page(client, published(hub))
    hint = text(section(page, "How many people live in your home?"))
    assert "Fewer than 5 people answered" in hint and "Average: not shown" in hint
    assert "3.5" not in hint
    for value in (3, 4):
        answer(hub, number_value=value)
    hint = text(section(results_page(client, hub), "How many people live in your home?"))
    assert "6 people answered" in hint and "Average: 3.5." in hint
    assert "Lowest" not in hint and "9" not in hint.replace("1–9", "")


def test_chart_bars_rest_only_on_shown_numbers(hub, client):
    for label, people in (("Walk", 30), ("Bus", 2), ("Car", 4)):
        for _n in range(people):
            answer(hub, single=label)
    page = results_page(client, published(hub))
    chart = section(page, "How do you get to the hub?").split("</svg>")[0]
    widths = re.findall(r'class="bar-chart__bar"[^>]*width="(\d+)"', chart)
    assert widths == ["400", "0", "0"]
    values = [text(v) for v in re.findall(r'class="bar-chart__value"[^>]*>(.*?)</text>', chart)]
    assert values == ["30", "not shown", "not shown"]


# "Show us where" ---------------------------------------------------------------------------


def pin_answer(survey, *, place=False, area=None):
    question = Question.objects.get(survey=survey, kind=Question.MAP_PIN)
    values = {"question_id": question.pk}
    if place:
        values.update(option_id=question.options.get().pk, latitude=CLOCK[0],
                      longitude=CLOCK[1],
                      neighbourhood_id=Neighbourhood.objects.get(name="Harlesden").pk)
    else:
        lat, lng = inside(area)
        values.update(latitude=lat, longitude=lng,
                      neighbourhood_id=Neighbourhood.objects.get(name=area).pk)
    submit_response(survey, [values])


def test_place_counts_do_not_give_their_neighbourhood_away(survey_index, client):
    """Everyone in Harlesden chose the clock tower: had its 6 been shown, Harlesden would be
    at least 6 and Wembley, hidden beside it, at most 15 - 7 - 6 = 2."""
    survey = make_survey(survey_index, title="Safer streets", sections=map_sections())
    for _n in range(6):
        pin_answer(survey, place=True)
    for area, people in (("Kilburn", 7), ("Wembley", 2)):
        for _n in range(people):
            pin_answer(survey, area=area)
    page = results_page(client, published(survey))
    label = "Show us where you feel unsafe"
    rows = table_rows(page, label)
    places = table_rows(page, "Places chosen from the list")
    assert rows[0] == ["Kilburn", "7", "46.7%"]
    assert places == [["Harlesden clock tower", "not shown"]]
    shown, hidden = split(rows)
    actual = {"Harlesden": 6, "Kilburn": 7, "Wembley": 2}
    tower = number(places[0][1])  # the place's count, when the page shows it
    rest = 15 - sum(shown.values())
    words = {row[0]: row[1] for row in rows}
    upper = {key: 4 if says_small(words[key]) else 15 for key in hidden}

    # From the page alone: the rows add up to 15, and the place is in Harlesden.
    weak = possible_values(hidden, upper=upper, total=rest, consistent=lambda values: (
        tower is None or {**shown, **values}["Harlesden"] >= tower))
    assert_unrecoverable(weak, actual={key: actual[key] for key in hidden})
    assert_hidden_together_exceed(rest)
    assert rows[0] == ["Kilburn", "7", "46.7%"]
    assert places == [["Harlesden clock tower", "not shown"]]

    # Knowing the rules too, for every count at the place the page allows.
    observed = (page_cells(rows), page_cells(places))
    strong = {key: set() for key in hidden}
    for values in assignments(hidden, 15, rest, rest):
        counts = {**shown, **values}
        for at_tower in range(counts["Harlesden"] + 1):
            entry = choice_entry(Question.MAP_PIN, counts, 15)
            entry.update(row_areas=list(counts), places=[
                {"label": "Harlesden clock tower", "count": at_tower, "retired": False,
                 "percent": round(100 * at_tower / 15, 1)}], place_areas=["Harlesden"])
            public = suppressed({"total": 15, "questions": [entry]})["questions"][0]
            place_cells = [(row["label"], (str(row["cell"]),) if row.get("suppressed")
                            else (row["count"], row["percent"])) for row in public["places"]]
            if (republished_table(entry), place_cells) == observed:
                for key in hidden:
                    strong[key].add(values[key])
    assert_unrecoverable(strong, actual={key: actual[key] for key in hidden})


def test_officers_still_see_exact_figures(hub, client, settings):
    from django.urls import reverse

    from tests.conftest import make_user

    settings.PORTAL_REQUIRE_STAFF_MFA = False
    for label, people in (("Walk", 5), ("Bus", 2), ("Car", 1)):
        for _n in range(people):
            answer(hub, single=label)
    client.force_login(make_user("results-officer@example.org", "Officers"))
    page = client.get(reverse("surveys_admin:results", args=[hub.pk])).content.decode()
    rows = table_rows(page, "How do you get to the hub?")
    assert rows == [["Walk", "5", "62.5%"], ["Bus", "2", "25.0%"], ["Car", "1", "12.5%"]]
    assert disclosure.threshold() == 5
