"""Public pages: comparison, per-neighbourhood priorities, method, section; query counts."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from priorities import scoring
from priorities.models import ScoringWeights, SnapshotPriority
from priorities.ranking import STORE_KEY
from priorities.snapshots import decide, take_snapshot
from priorities.tasks import refresh_now

from .conftest import add_feedback

pytestmark = pytest.mark.django_db


def fill(areas, themes, items):
    names = list(themes)
    for index in range(items):
        area = list(areas.values())[index % len(areas)]
        add_feedback(area, [themes[names[index % len(names)]], themes[names[(index * 7) % 5]]],
                     people=3)


def test_public_pages_show_adopted_and_live_priorities(client, priorities_page, areas, themes,
                                                       officer):
    harlesden = areas["Harlesden"]
    for _n in range(6):
        add_feedback(harlesden, [themes["financial-hardship"]], people=10)
    add_feedback(harlesden, [themes["homelessness"]], people=2)
    snapshot = take_snapshot(harlesden, officer)
    first = snapshot.priorities.get(rank=1)
    decide(first, SnapshotPriority.ADOPTED, "Rents and bills outpace incomes.", officer)
    html = client.get("/priorities/harlesden/").content.decode()
    assert "Priorities for Harlesden" in html
    assert "Rents and bills outpace incomes." in html and "Adopted" in html
    # Homelessness has 1 item of 7: showing hardship's 6 would give it away, so neither shows.
    assert "6 items of community feedback." not in html
    assert html.count("The number of community feedback items is not shown, to protect "
                      "people&#x27;s privacy.") >= 2
    assert "Live ranking" in html and "<svg" in html and "<table" in html
    index = client.get("/priorities/").content.decode()
    assert "Financial hardship" in index and "Comparing neighbourhoods" in index
    assert 'href="/priorities/harlesden/"' in index
    method = client.get("/priorities/how-we-worked-this-out/").content.decode()
    assert "Share of people" in method and scoring.METHOD_VERSION in method
    assert client.get("/priorities/atlantis/").status_code == 404


def test_empty_neighbourhood_page_says_so(client, priorities_page):
    html = client.get("/priorities/wembley/").content.decode()
    assert "There is no evidence for this neighbourhood yet" in html
    assert "No priorities have been adopted for this neighbourhood yet." in html


def test_neighbourhood_page_section_links_to_priorities(client, priorities_page, areas, themes):
    for slug, items in (("mental-health", 7), ("housing", 6)):
        for _n in range(items):
            add_feedback(areas["Kilburn"], [themes[slug]], people=5)
    html = client.get("/neighbourhoods/kilburn/").content.decode()
    assert "Mental health" in html and 'href="/priorities/kilburn/"' in html
    text = main_text(html)  # 35 and 30 of 65 people
    assert re.search(r"Mental health: 54% \(\d+% to \d+%\) \(too close to call\)", text)
    assert re.search(r"Housing: 46% \(\d+% to \d+%\)", text)
    assert "Method: share of people, version 2" in text
    assert 'href="/priorities/how-we-worked-this-out/"' in html


@pytest.mark.parametrize("path", ["/priorities/", "/priorities/harlesden/"])
def test_query_counts_do_not_grow_with_rows(client, priorities_page, areas, themes, officer,
                                            path, django_assert_max_num_queries):
    fill(areas, themes, 10)
    for area in areas.values():
        snapshot = take_snapshot(area, officer)
        for priority in snapshot.priorities.all()[:2]:
            decide(priority, SnapshotPriority.ADOPTED, "Evidence.", officer)
    cache.clear()
    refresh_now()  # the task worker's part: pages never compute the ranking
    cache.delete(STORE_KEY)  # a cold cache: the page reads the stored run
    # The cache is a database table here (as in production): its reads and writes count too.
    with django_assert_max_num_queries(80) as small:
        assert client.get(path).status_code == 200
    fill(areas, themes, 200)
    for area in areas.values():
        snapshot = take_snapshot(area, officer)
        for priority in snapshot.priorities.all():
            decide(priority, SnapshotPriority.SET_ASIDE, "Later.", officer)
    cache.clear()
    refresh_now()
    cache.delete(STORE_KEY)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries) - 5):
        client.get(path)  # the ranking is cached now


# One scale, plain words, sensitivity (method v2) -----------------------------------------


def _evidence(people):
    return {"surveys": {"count": people, "weight": people, "share": people / 500,
                        "people": people, "pages": []}}


def v2_ranking(themes, neighbourhood, sensitivity=None):
    """A hand-built v2 ranking of 500 survey respondents. Financial hardship rests on 2
    people, and Access to health (60, the next smallest) is hidden with it."""
    rows = [("housing", 0.41, [0.367, 0.454], False, True),
            ("community-safety", 0.38, [0.338, 0.424], False, False),
            ("air-quality", 0.2, [0.166, 0.238], True, True),
            ("homelessness", 0.2, [0.166, 0.238], True, True),
            ("access-to-health", 0.12, [0.094, 0.152], False, False),
            ("financial-hardship", 0.004, [0.001, 0.014], False, False)]
    priorities = [{"theme_id": themes[slug].pk, "rank": rank, "score": score,
                   "interval": interval, "tied": tied, "too_close": close,
                   "people": round(500 * score), "low_sample": round(500 * score) < 30,
                   "evidence": _evidence(round(500 * score))}
                  for rank, (slug, score, interval, tied, close) in enumerate(rows, start=1)]
    multipliers = {"surveys": 1.0, "forums": 1.0, "feedback": 1.0}
    return {"neighbourhood_id": neighbourhood.pk, "method": "share-of-people/2",
            "multipliers": multipliers, "weights": multipliers, "need_weighting": False,
            "sensitivity": sensitivity or {}, "totals": {"surveys": {"people": 500,
                                                                      "count": 1200}},
            "since": "2026-01-05", "until": "2026-03-01", "participants": {},
            "priorities": priorities}


def stable(themes):
    top = [themes[slug].pk for slug in ("housing", "community-safety", "air-quality")]
    return {"top": top, "stable": True, "scenarios": [
        {"key": key, "top": top, "changes_members": False, "changes_order": False}
        for key in ("without:surveys", "half:surveys", "more:surveys")]}


def main_text(html):
    if "<main" in html:
        html = html[html.index("<main"):html.index("</main>")]
    main = html
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_scores_are_percentages_of_people_with_intervals_and_plain_words(
        client, priorities_page, areas, themes, monkeypatch):
    kilburn = areas["Kilburn"]
    monkeypatch.setattr("priorities.views.live_ranking",
                        lambda n: v2_ranking(themes, kilburn, stable(themes)))
    html = client.get("/priorities/kilburn/").content.decode()
    text = main_text(html)
    assert "41% of people (95% interval 37% to 45%)" in text
    assert "38% of people (95% interval 34% to 42%)" in text
    # The table gives the score and its interval in columns.
    assert re.search(r"Housing</th>\s*<td[^>]*>41%</td>\s*<td[^>]*>37% to 45% \(too close "
                     r"to call\)</td>", html)
    assert "too close to call" in text and "tied" in text
    assert text.count("Too close to call: its 95% interval overlaps") == 2  # housing, air
    # Homelessness' next theme has a hidden score: comparing them would say something of it.
    homelessness = html[html.index('id="live-homelessness"'):]
    homelessness = homelessness[:homelessness.index("</li>")]
    assert "too close to call" not in homelessness and "tied" in homelessness
    # Hidden scores say why, and the gaps are explained once above the list.
    assert text.count("Fewer than 5 people: not shown to protect privacy.") == 1
    assert html.index("Fewer than 5 people") < html.index('class="priority-list"')
    assert text.count("score not shown to protect privacy") == 2
    ranked = html[html.index(">Live ranking</h2>"):]
    ranked = main_text(ranked[:ranked.index("</table>")])
    assert not re.search(r"(?<!\d)(12|0)%", ranked)  # the hidden scores, 12% and 0.4%
    # One scale: no fractions and no one-decimal scores.
    assert not re.search(r"\b0\.\d+", ranked) and not re.search(r"\b\d+\.\d%", ranked)
    assert "Method: share of people, version 2" in text
    assert 'href="/priorities/how-we-worked-this-out/"' in html
    assert ("The top three stay the same whichever source is left out and if any multiplier "
            "is halved or raised by half.") in text


def test_the_page_says_which_change_would_move_the_top_three(
        client, priorities_page, areas, themes, monkeypatch):
    kilburn = areas["Kilburn"]
    checked = stable(themes)
    checked["stable"] = False
    checked["scenarios"][0] = {"key": "without:feedback",
                               "top": [themes["housing"].pk, themes["air-quality"].pk,
                                       themes["homelessness"].pk],
                               "changes_members": True, "changes_order": True}
    monkeypatch.setattr("priorities.views.live_ranking",
                        lambda n: v2_ranking(themes, kilburn, checked))
    text = main_text(client.get("/priorities/kilburn/").content.decode())
    assert "The top three would change if community feedback were left out." in text
    assert "stay the same whichever source" not in text


def test_a_v1_ranking_still_renders_as_percentages_without_an_interval(
        client, priorities_page, areas, themes, monkeypatch):
    kilburn = areas["Kilburn"]
    ranking = v2_ranking(themes, kilburn)
    ranking["method"] = "share-of-attention/1"
    for priority in ranking["priorities"]:
        priority["interval"] = None
        del priority["too_close"], priority["tied"]
    monkeypatch.setattr("priorities.views.live_ranking", lambda n: ranking)
    html = client.get("/priorities/kilburn/").content.decode()
    text = main_text(html)
    assert "score 41%" in text and "95% interval 37%" not in text
    assert re.search(r"Housing</th>\s*<td[^>]*>41%</td>\s*<td[^>]*>–</td>", html)
    assert "Method: share of attention, version 1 (an earlier method)" in text
    assert "tied" in text  # equal scores are still said to be tied
    assert "The top three" not in text


def test_priorities_and_comparison_pages_show_the_same_percentage(
        client, priorities_page, areas, themes):
    harlesden = areas["Harlesden"]
    for _n in range(9):
        add_feedback(harlesden, [themes["financial-hardship"]], people=10)
    for _n in range(6):
        add_feedback(harlesden, [themes["homelessness"]], people=10)
    neighbourhood = main_text(client.get("/priorities/harlesden/").content.decode())
    comparison = main_text(client.get("/priorities/").content.decode())
    assert "Evidence dated 1 March 2026 to 1 March 2026." in neighbourhood
    assert "Financial hardship 60% of people (95% interval" in neighbourhood
    assert "60% (rank 1)" in comparison and "40% (rank 2)" in comparison
    ranked = neighbourhood[neighbourhood.index("Live ranking"):neighbourhood.index(
        "Who took part")]
    assert not re.search(r"\b0\.\d+|\d\.\d%", ranked + comparison)


def test_method_page_shows_the_multipliers_in_effect(client, priorities_page, areas):
    ScoringWeights.objects.create(neighbourhood=None, surveys=Decimal("2"),
                                  forums=Decimal("1"), feedback=Decimal("0.5"))
    ScoringWeights.objects.create(neighbourhood=areas["Kilburn"], surveys=Decimal("1"),
                                  forums=Decimal("1.5"), feedback=Decimal("1"),
                                  need_weighting=True)
    html = client.get("/priorities/how-we-worked-this-out/").content.decode()
    table = html[html.index("Multipliers and need weighting in effect now"):]
    table = table[:table.index("</table>")]
    cells = [re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", table)]
    assert cells[:5] == ["Applies to", "Surveys", "Forums", "Community feedback",
                         "Need weighting"]
    assert cells[5:10] == ["Default (every neighbourhood without its own)", "×2", "×1",
                           "×0.5", "Off"]
    assert cells[10:15] == ["Kilburn", "×1", "×1.5", "×1", "On"]
    text = main_text(html)
    assert "too close to call" in text and "95% interval" in text
    assert scoring.METHOD_VERSION in text and "share of people, version 2" in text


def test_method_page_without_saved_multipliers_shows_the_defaults(client, priorities_page):
    html = client.get("/priorities/how-we-worked-this-out/").content.decode()
    assert re.search(r"Default \(every neighbourhood without its own\)</th>"
                     r"(\s*<td[^>]*>×1</td>){3}\s*<td>Off</td>", html)


def test_officers_see_the_sensitivity_before_they_freeze_a_snapshot(
        client, officer, settings, areas, themes, monkeypatch):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    kilburn = areas["Kilburn"]
    checked = stable(themes)
    checked["scenarios"][1] = {"key": "half:surveys",
                               "top": [themes["community-safety"].pk, themes["housing"].pk,
                                       themes["air-quality"].pk],
                               "changes_members": False, "changes_order": True}
    monkeypatch.setattr("priorities.views.live_ranking",
                        lambda n: v2_ranking(themes, kilburn, checked))
    html = client.get(reverse("priorities_admin:neighbourhood",
                              args=[kilburn.pk])).content.decode()
    sentence = ("The top three would stay the same themes but come in a different order if "
                "the multiplier for surveys were halved.")
    assert sentence in html
    assert html.index(sentence) < html.index("Take a snapshot")
    table = html[html.index("Would the top three change? Each source"):]
    table = main_text(table[:table.index("</table>")])
    for scenario in ("If surveys were left out", "If the multiplier for surveys were halved",
                     "If the multiplier for surveys were raised by half"):
        assert scenario in table
    assert "Community safety, Housing, Air quality and environment" in table
    assert "The same themes in a different order" in table
    # Officers see every score, with its interval.
    assert "0% of people (95% interval 0% to 1%)" in main_text(html)
    assert "not shown to protect privacy" not in html


# Who took part: the most deprived fifth -----------------------------------------------------

DEPRIVATION = ("deprivation", "Deprivation of home area", [
    ("q1", "Most deprived fifth of England"), ("q2", "Second most deprived fifth"),
    ("q3", "Middle fifth"), ("q4", "Second least deprived fifth"),
    ("q5", "Least deprived fifth")])


def heard(areas, respondents, monkeypatch, with_deprivation=True):
    """Kilburn's participation with survey respondents per home-area quintile, against a
    population that is 40% in the most deprived fifth of England."""
    from priorities.models import PopulationFigure
    from priorities.population import participation

    kilburn = areas["Kilburn"]
    monkeypatch.setattr("priorities.population.characteristics",
                        lambda: [DEPRIVATION] if with_deprivation else [])
    for category, people in (("q1", 4000), ("q2", 2000), ("q3", 2000), ("q4", 1000),
                             ("q5", 1000)):
        PopulationFigure.objects.update_or_create(
            neighbourhood=kilburn, characteristic="deprivation", category=category,
            defaults={"people": people})
    ranking = {"totals": {"surveys": {"people": sum(respondents.values()), "count": 0}},
               "participants": {f"deprivation|{k}": n for k, n in respondents.items()}}
    return participation(kilburn, ranking)


def test_the_most_deprived_fifth_is_flagged_when_under_heard(areas, monkeypatch):
    result = heard(areas, {"q1": 10, "q2": 30, "q3": 30, "q4": 15, "q5": 15}, monkeypatch)
    (section,) = result["characteristics"]
    assert section["flag"] == "The most deprived fifth of this neighbourhood is under-heard"
    result = heard(areas, {"q1": 40, "q2": 20, "q3": 20, "q4": 10, "q5": 10}, monkeypatch)
    assert result["characteristics"][0]["flag"] == ""
    assert heard(areas, {"q1": 10, "q3": 90}, monkeypatch,
                 with_deprivation=False)["characteristics"] == []


def test_the_flag_shows_on_the_neighbourhood_page(client, priorities_page, areas, themes,
                                                  monkeypatch):
    result = heard(areas, {"q1": 10, "q2": 30, "q3": 30, "q4": 15, "q5": 15}, monkeypatch)
    monkeypatch.setattr("priorities.views.participation", lambda *args: result)
    text = main_text(client.get("/priorities/kilburn/").content.decode())
    assert ("The most deprived fifth of this neighbourhood is under-heard. See “Deprivation "
            "of home area” below.") in text


def test_a_snapshot_shows_scores_method_and_its_sensitivity_to_officers(
        client, officer, settings, areas, themes):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    harlesden = areas["Harlesden"]
    for slug, items in (("financial-hardship", 9), ("homelessness", 6)):
        for _n in range(items):
            add_feedback(harlesden, [themes[slug]], people=10)
    snapshot = take_snapshot(harlesden, officer)
    hardship = snapshot.priorities.get(theme__slug="financial-hardship")
    low, high = round(100 * hardship.interval_low), round(100 * hardship.interval_high)
    text = main_text(client.get(reverse("priorities_admin:snapshot",
                                        args=[snapshot.pk])).content.decode())
    assert f"Score: 60% ({low}% to {high}%) (share of people, with its 95% interval)" in text
    assert "Method: share of people, version 2" in text
    assert "Would the top three change?" in text and "As it stands" in text
    # A snapshot taken with method v1 keeps its method, without an interval or a check.
    snapshot.method, snapshot.sensitivity = "share-of-attention/1", {}
    snapshot.save()
    snapshot.priorities.update(interval_low=None, interval_high=None)
    text = main_text(client.get(reverse("priorities_admin:snapshot",
                                        args=[snapshot.pk])).content.decode())
    assert "Score: 60% " in text and f"{low}% to {high}%" not in text
    assert "Method: share of attention, version 1 (an earlier method)" in text
    assert "No sensitivity check" in text


def test_an_officer_switches_need_weighting_on_and_the_method_page_says_so(
        client, officer, settings, priorities_page, areas):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    kilburn = areas["Kilburn"]
    url = reverse("priorities_admin:weights", args=[kilburn.pk])
    form = client.get(url).content.decode()
    assert 'name="need_weighting"' in form and "Multipliers: Kilburn" in form
    response = client.post(url, {"surveys": "1.5", "forums": "1", "feedback": "1",
                                 "need_weighting": "on"})
    assert response.status_code == 302
    row = ScoringWeights.objects.get(neighbourhood=kilburn)
    assert row.need_weighting and row.surveys == Decimal("1.5")
    assert 'checked' in client.get(url).content.decode()
    client.logout()
    html = client.get("/priorities/how-we-worked-this-out/").content.decode()
    assert re.search(r"Kilburn</th>\s*<td[^>]*>×1\.5</td>\s*<td[^>]*>×1</td>\s*"
                     r"<td[^>]*>×1</td>\s*<td>On</td>", html)
