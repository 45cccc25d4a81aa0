"""Evidence from each source (surveys, forums, feedback, assets) in the live ranking, with
sample sizes, people behind each theme, who took part and the pages it came from."""

import pytest

from priorities import registry
from priorities.ranking import live_ranking

from .conftest import add_feedback, add_responses, tally

pytestmark = pytest.mark.django_db


def test_every_installed_evidence_module_is_discovered():
    groups = {source.app_label: (source.group, source.context_only)
              for source in registry.sources()}
    assert groups == {"priorities": ("feedback", False), "surveys": ("surveys", False),
                      "forums": ("forums", False), "assets_map": ("assets", True)}
    assert {"surveys.answer", "forums.forumvotetally", "priorities.feedbackitem",
            "priorities.feedbackitem_themes", "assets_map.asset"} <= registry.watched_models()


def test_survey_evidence_people_and_participants(ranking_survey, areas, themes):
    harlesden = areas["Harlesden"]
    add_responses(ranking_survey, harlesden, ["Housing", "Safety", "Air quality"], count=6,
                  equality={"age": "25_34", "sex": "female"})
    add_responses(ranking_survey, harlesden, ["Safety", "Isolation", "Housing"], count=2,
                  equality={"age": "75_plus"})
    ranking = live_ranking(harlesden)
    assert ranking["totals"]["surveys"]["people"] == 8
    # Method v2 counts people: all 8 ranked both housing and safety, so they tie at 8 of 8,
    # and the tie goes to the name ("Community safety" first).
    safety, first = ranking["priorities"][:2]
    assert first["theme_id"] == themes["housing"].pk
    assert safety["theme_id"] == themes["community-safety"].pk
    assert first["score"] == safety["score"] == 1.0 and first["tied"] and safety["tied"]
    assert first["evidence"]["surveys"]["people"] == 8 and first["evidence"]["surveys"][
        "count"] == 8
    assert ranking["participants"] == {"age|25_34": 6, "age|75_plus": 2, "sex|female": 6}
    assert first["evidence"]["surveys"]["pages"] == [ranking_survey.pk]


def test_forum_votes_feedback_and_assets_as_evidence(forum, areas, themes):
    harlesden = areas["Harlesden"]
    tally(forum, themes["financial-hardship"], 12)
    tally(forum, themes["homelessness"], 4)
    add_feedback(harlesden, [themes["homelessness"]], people=3)
    ranking = live_ranking(harlesden)
    by_theme = {p["theme_id"]: p for p in ranking["priorities"]}
    hardship = by_theme[themes["financial-hardship"].pk]
    homelessness = by_theme[themes["homelessness"].pk]
    # Method v2: 42 attended the forum, 3 people gave feedback, so 45 people in all.
    assert hardship["evidence"]["forums"] == {
        "count": 12, "weight": 12.0, "share": 0.2857, "people": None, "pages": [forum.pk],
        "occasions": 1}
    # Hardship: 12 voters of 45 = 0.266667; homelessness: 4 voters + 3 people = 7 of 45.
    assert hardship["score"] == 0.266667 and homelessness["score"] == 0.155556
    assert [p["theme_id"] for p in ranking["priorities"]] == [themes["financial-hardship"].pk,
                                                               themes["homelessness"].pk]
    assert ranking["method"] == "share-of-people/2" and hardship["too_close"] is True
    assert ranking["totals"]["forums"] == {"people": 42, "count": 16}
    assert ranking["totals"]["feedback"] == {"people": 3, "count": 1}
    assert homelessness["people"] == 4 + 3 and homelessness["low_sample"] is True
