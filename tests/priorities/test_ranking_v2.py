"""Live rankings by method v2: their shape, the officers' multipliers and need weighting."""

from datetime import date
from types import ModuleType

import pytest
from django.core.exceptions import ValidationError

from priorities import evidence_contract, ranking, registry
from priorities.forms import WeightsForm
from priorities.models import ScoringWeights

from .conftest import add_feedback

pytestmark = pytest.mark.django_db


def test_live_ranking_has_the_v2_shape(areas, themes):
    harlesden = areas["Harlesden"]
    add_feedback(harlesden, [themes["housing"]], people=30)
    add_feedback(harlesden, [themes["housing"], themes["air-quality"]], people=10)
    add_feedback(harlesden, [themes["homelessness"]], people=10)
    live = ranking.live_ranking(harlesden)
    assert live["method"] == "share-of-people/2"
    assert live["multipliers"] == live["weights"] == {"surveys": 1.0, "forums": 1.0,
                                                      "feedback": 1.0}
    assert live["need_weighting"] is False
    housing, second, third = live["priorities"]
    assert (housing["theme_id"], housing["score"], housing["people"]) == (
        themes["housing"].pk, 0.8, 40)  # 40 of the 50 people
    # Wilson, p = 0.8, n = 50: centre 0.778596, half-width 1.820122 x 0.059868 = 0.108967.
    assert housing["interval"] == [0.669629, 0.887563] and housing["too_close"] is False
    # Air quality and homelessness: 10 of 50 each, tied, and too close to call.
    assert second["score"] == third["score"] == 0.2 and second["tied"] and third["tied"]
    assert second["too_close"] is True and third["too_close"] is False
    assert live["sensitivity"]["top"] == [p["theme_id"] for p in live["priorities"]]
    assert live["sensitivity"]["stable"] is True
    # Nobody spoke about Kilburn: an empty ranking of the same shape.
    empty = ranking.live_ranking(areas["Kilburn"])
    assert empty["priorities"] == [] and empty["sensitivity"] == {}
    assert empty["multipliers"] == empty["weights"] and empty["need_weighting"] is False


def test_officers_multipliers_count_in_the_live_ranking(areas, themes):
    """A neighbourhood's own multipliers are the ranking's (one source: its order stays)."""
    harlesden = areas["Harlesden"]
    ScoringWeights.objects.create(neighbourhood=harlesden, surveys=1, forums=1, feedback=2)
    add_feedback(harlesden, [themes["housing"]], people=3)
    live = ranking.live_ranking(harlesden)
    assert live["multipliers"]["feedback"] == 2.0 and live["priorities"][0]["score"] == 1.0


@pytest.mark.parametrize("values, field, message", [
    ({"surveys": -1, "forums": 1, "feedback": 1}, "surveys",
     "Enter 0 or more: a multiplier cannot be negative."),
    ({"surveys": 1, "forums": 1, "feedback": "-0.5"}, "feedback",
     "Enter 0 or more: a multiplier cannot be negative."),
    ({"surveys": 0, "forums": 0, "feedback": 0}, "surveys",
     "At least one multiplier must be more than zero, or nothing would count."),
])
def test_negative_or_all_zero_multipliers_are_refused(values, field, message):
    with pytest.raises(ValidationError) as error:
        ScoringWeights(**values).full_clean()
    assert error.value.message_dict[field] == [message]
    form = WeightsForm(data=values)
    assert not form.is_valid() and form.errors[field] == [message]
    assert not form.non_field_errors()


def test_the_weights_form_keeps_need_weighting():
    form = WeightsForm(data={"surveys": "1", "forums": "0", "feedback": "1.5",
                             "need_weighting": "on"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["need_weighting"] is True


def fake_evidence(since=None, until=None):
    """Harlesden (the neighbourhood id is patched in): 20 respondents, housing 10 of them
    (6 from the most deprived fifth of England), air quality 10 (all from the least)."""
    return registry.Evidence(
        rows=[(NEIGHBOURHOOD["id"], THEME["housing"], "surveys", 10.0, 10, date(2026, 3, 1),
               "survey_choice"),
              (NEIGHBOURHOOD["id"], THEME["air"], "surveys", 10.0, 10, date(2026, 3, 1),
               "survey_choice")],
        people={("surveys", NEIGHBOURHOOD["id"], None): 20,
                ("surveys", NEIGHBOURHOOD["id"], THEME["housing"]): 10,
                ("surveys", NEIGHBOURHOOD["id"], THEME["air"]): 10},
        need={("surveys", NEIGHBOURHOOD["id"], None, 1): 6,
              ("surveys", NEIGHBOURHOOD["id"], THEME["housing"], 1): 6,
              ("surveys", NEIGHBOURHOOD["id"], None, 5): 10,
              ("surveys", NEIGHBOURHOOD["id"], THEME["air"], 5): 10})


NEIGHBOURHOOD, THEME = {}, {}


def test_need_weighting_is_off_by_default_and_an_officer_switch(areas, themes, monkeypatch):
    harlesden = areas["Harlesden"]
    NEIGHBOURHOOD["id"] = harlesden.pk
    THEME.update(housing=themes["housing"].pk, air=themes["air-quality"].pk)
    monkeypatch.setattr(registry, "collect", fake_evidence)
    off = ranking.compute_rankings()[harlesden.pk]
    assert off["need_weighting"] is False
    assert [p["score"] for p in off["priorities"]] == [0.5, 0.5]
    # The default row turns it on for every neighbourhood without its own row.
    ScoringWeights.objects.create(need_weighting=True)
    on = ranking.compute_rankings()[harlesden.pk]
    assert on["need_weighting"] is True
    assert [(p["theme_id"], p["score"]) for p in on["priorities"]] == [
        (themes["housing"].pk, round(13 / 23, 6)), (themes["air-quality"].pk, round(10 / 23, 6))]
    # A neighbourhood's own row overrides the default.
    ScoringWeights.objects.create(neighbourhood=harlesden, need_weighting=False)
    assert ranking.compute_rankings()[harlesden.pk]["need_weighting"] is False


def test_registry_collects_people_by_need(monkeypatch):
    module = ModuleType("fake.evidence")
    module.rows = lambda since=None, until=None: iter(())
    module.people_by_need = lambda since=None, until=None: iter(
        [(1, None, 1, 4), (1, None, 1, 2), (1, 7, 2, 3)])
    monkeypatch.setattr(registry, "sources",
                        lambda: (registry.Source("fake", module, "surveys"),))
    assert isinstance(module, evidence_contract.NeedSource)
    assert registry.collect().need == {("surveys", 1, None, 1): 6, ("surveys", 1, 7, 2): 3}
    module.people_by_need = "not a function"
    assert (evidence_contract.NOT_CALLABLE, "fake.evidence.people_by_need must be a function.") \
        in evidence_contract.problems(module)


def test_need_weighting_is_withheld_where_it_would_give_a_small_number_away(
        areas, themes, monkeypatch):
    """3 respondents from the most deprived fifth: weighted scores, with the public multipliers
    and factors, would let anyone work the 3 out, so the weighting is not applied there."""
    harlesden = areas["Harlesden"]
    NEIGHBOURHOOD["id"] = harlesden.pk
    THEME.update(housing=themes["housing"].pk, air=themes["air-quality"].pk)

    def few_from_the_most_deprived(since=None, until=None):
        evidence = fake_evidence()
        evidence.need[("surveys", harlesden.pk, None, 1)] = 3
        evidence.need[("surveys", harlesden.pk, THEME["housing"], 1)] = 3
        return evidence

    monkeypatch.setattr(registry, "collect", few_from_the_most_deprived)
    ScoringWeights.objects.create(need_weighting=True)
    withheld = ranking.compute_rankings()[harlesden.pk]
    assert withheld["need_weighting"] is False
    assert withheld["need_weighting_withheld"] is True
    assert [p["score"] for p in withheld["priorities"]] == [0.5, 0.5]
    assert ranking.need_weighting_disclosable({("surveys", 1, None, 1): 0}, 1)
    assert ranking.need_weighting_disclosable({("surveys", 1, None, 5): 2}, 1)
    assert not ranking.need_weighting_disclosable({("surveys", 1, None, 2): 4}, 1)
