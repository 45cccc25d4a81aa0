"""Evidence from each source, sample sizes and suppression, cache invalidation, snapshots."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from portal.errors import InputError
from priorities import registry, services
from priorities.models import PrioritySnapshot, ScoringWeights, SnapshotPriority

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
    ranking = services.live_ranking(harlesden)
    assert ranking["totals"]["surveys"]["people"] == 8
    first = ranking["priorities"][0]
    assert first["theme_id"] == themes["housing"].pk
    # Borda points of 3: 6 x 1st (1.0) + 2 x 3rd (1/3) = 6.667 of 6 + 2 + 2 x (2/3 + ...)
    assert first["evidence"]["surveys"]["people"] == 8 and first["evidence"]["surveys"][
        "count"] == 8
    assert ranking["participants"] == {"age|25_34": 6, "age|75_plus": 2, "sex|female": 6}
    assert first["evidence"]["surveys"]["pages"] == [ranking_survey.pk]


def test_forum_votes_feedback_and_assets_as_evidence(forum, areas, themes):
    harlesden = areas["Harlesden"]
    tally(forum, themes["financial-hardship"], 12)
    tally(forum, themes["homelessness"], 4)
    add_feedback(harlesden, [themes["homelessness"]], people=3)
    ranking = services.live_ranking(harlesden)
    by_theme = {p["theme_id"]: p for p in ranking["priorities"]}
    hardship = by_theme[themes["financial-hardship"].pk]
    homelessness = by_theme[themes["homelessness"].pk]
    assert hardship["evidence"]["forums"] == {
        "count": 12, "weight": 12.0, "share": 0.75, "people": None, "pages": [forum.pk],
        "occasions": 1}
    # Homelessness: forums .25, feedback 1.0 -> (0.25 + 1) / 2 = 0.625; hardship .75 / 2.
    assert homelessness["score"] == 0.625 and hardship["score"] == 0.375
    assert [p["theme_id"] for p in ranking["priorities"]] == [themes["homelessness"].pk,
                                                               themes["financial-hardship"].pk]
    assert ranking["totals"]["forums"] == {"people": 42, "count": 16}
    assert ranking["totals"]["feedback"] == {"people": 3, "count": 1}
    assert homelessness["people"] == 4 + 3 and homelessness["low_sample"] is True


def test_plain_language_summary_and_suppression(settings):
    settings.PORTAL_SUPPRESSION_THRESHOLD = 5
    totals = {"surveys": {"people": 1250, "count": 3000}}
    evidence = {"surveys": {"people": 525, "count": 600}, "forums": {"count": 63, "occasions": 2},
                "feedback": {"count": 18}}
    assert services.evidence_summary(evidence, totals) == (
        "Chosen, ranked or agreed with by 42% of 1,250 survey respondents. "
        "63 votes at 2 forums. 18 items of community feedback.")
    small = {"surveys": {"people": 3, "count": 3}, "forums": {"count": 4, "occasions": 1},
             "feedback": {"count": 2}}
    assert services.evidence_summary(small, totals) == (
        "Chosen, ranked or agreed with by fewer than 5 of 1,250 survey respondents. "
        "Fewer than 5 votes at neighbourhood forums. Fewer than 5 items of community feedback.")
    assert "fewer than 5 survey respondents" in services.evidence_summary(
        small, {"surveys": {"people": 4}})


def test_participation_suppresses_small_numbers_and_flags_who_is_missing(
        ranking_survey, areas):
    from priorities.models import PopulationFigure

    harlesden = areas["Harlesden"]
    add_responses(ranking_survey, harlesden, ["Housing"], count=20, equality={"age": "25_34"})
    add_responses(ranking_survey, harlesden, ["Housing"], count=2, equality={"age": "75_plus"})
    for category, people in (("25_34", 1000), ("75_plus", 1000)):
        PopulationFigure.objects.create(neighbourhood=harlesden, characteristic="age",
                                        category=category, people=people)
    result = services.participation(harlesden)
    age = next(c for c in result["characteristics"] if c["code"] == "age")
    rows = {row["category"]: row for row in age["rows"]}
    assert rows["25_34"]["count"] == 20 and rows["25_34"]["population_share"] == 50.0
    assert rows["75_plus"]["count"] is None and rows["75_plus"]["share"] is None
    assert rows["75_plus"]["under"] is True and rows["25_34"]["under"] is False


def test_cache_is_invalidated_by_new_evidence(areas, themes, django_assert_num_queries):
    harlesden = areas["Harlesden"]
    add_feedback(harlesden, [themes["housing"]])
    assert [p["theme_id"] for p in services.live_ranking(harlesden)["priorities"]] == [
        themes["housing"].pk]
    with django_assert_num_queries(0):
        services.live_ranking(harlesden)  # cached
    add_feedback(harlesden, [themes["mental-health"]], when=None)
    add_feedback(harlesden, [themes["mental-health"]])
    ranking = services.live_ranking(harlesden)
    assert ranking["priorities"][0]["theme_id"] == themes["mental-health"].pk
    # Deleting evidence and changing weights invalidate too.
    from priorities.models import FeedbackItem

    FeedbackItem.objects.filter(themes=themes["mental-health"]).delete()
    assert services.live_ranking(harlesden)["priorities"][0]["theme_id"] == themes["housing"].pk
    version = services.evidence_version()
    ScoringWeights.objects.create(neighbourhood=harlesden, surveys=2, forums=1, feedback=1)
    assert services.evidence_version() != version
    assert services.live_ranking(harlesden)["weights"]["surveys"] == 2.0


def test_snapshot_freezes_ranking_and_empty_snapshot_is_allowed(areas, themes, officer):
    harlesden, kilburn = areas["Harlesden"], areas["Kilburn"]
    add_feedback(harlesden, [themes["housing"], themes["homelessness"]], people=40)
    add_feedback(harlesden, [themes["housing"]], people=2)
    snapshot = services.take_snapshot(harlesden, officer, "Spring 2026")
    priorities = list(snapshot.priorities.order_by("rank"))
    assert [(p.rank, p.theme.slug) for p in priorities] == [(1, "housing"), (2, "homelessness")]
    assert snapshot.method == "share-of-attention/1" and snapshot.weights["feedback"] == 1.0
    assert snapshot.totals["feedback"] == {"people": 42, "count": 3}  # one per theme
    assert priorities[0].summary == "Fewer than 5 items of community feedback."
    assert priorities[0].low_sample is False and priorities[1].low_sample is False
    # Later evidence does not change the snapshot.
    add_feedback(harlesden, [themes["air-quality"]])
    assert snapshot.priorities.count() == 2
    empty = services.take_snapshot(kilburn, officer)
    assert empty.is_empty and empty.totals == {} and empty.method


def test_decisions_need_a_rationale_and_permission(areas, themes, officer, councillor):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    priority = services.take_snapshot(areas["Harlesden"], officer).priorities.get()
    with pytest.raises(InputError) as error:
        services.decide(priority, SnapshotPriority.ADOPTED, "   ", officer)
    assert error.value.code == "rationale_required"
    with pytest.raises(PermissionDenied):
        services.decide(priority, SnapshotPriority.ADOPTED, "Clear need.", councillor)
    services.decide(priority, SnapshotPriority.ADOPTED, "Clear need.", officer)
    priority.refresh_from_db()
    assert priority.is_adopted and priority.decided_by == officer and priority.decided_at
    assert list(SnapshotPriority.objects.adopted()) == [priority]
    assert list(services.adopted_priorities(areas["Harlesden"])) == [priority]
    assert services.snapshot_priority_summary(priority) == (
        "Fewer than 5 items of community feedback.")
    assert PrioritySnapshot.objects.count() == 1


def test_safeguarding_flag_emails_the_contact(areas, themes, settings):
    settings.PRIORITIES_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    item = add_feedback(areas["Harlesden"], [themes["housing"]], safeguarding=True)
    assert services.notify_safeguarding(item, None, "https://example.org/admin/x")
    (message,) = mail.outbox
    assert message.to == ["safeguarding@example.org"] and item.text not in message.body


def test_population_import_reports_each_bad_row_and_saves_nothing(areas):
    from priorities.models import PopulationFigure

    text = ("neighbourhood,characteristic,category,people\n"
            "Harlesden,population,all,71000\n"
            "Nowhere,age,16_24,10\n"
            "Kilburn,age,teen,10\n"
            "Kilburn,age,16_24,lots\n")
    report = services.import_population(text)
    assert [number for number, _message in report.errors] == [3, 4, 5]
    assert "Nowhere" in report.errors[0][1] and "teen" in report.errors[1][1]
    assert not PopulationFigure.objects.exists()
    good = "neighbourhood,characteristic,category,people\nBRENT-HARLESDEN,age,16_24,\"7,800\"\n"
    assert services.import_population(good, dry_run=True).created == 1
    assert not PopulationFigure.objects.exists()
    report = services.import_population(good)
    assert report.created == 1 and PopulationFigure.objects.get().people == 7800
