"""Suggested codes: training on the portal's coded items, measuring on held-back ones, suggesting
with the words that drove it, refusing when there are too few, and never changing any coding."""

import datetime
import itertools

import pytest
from django.utils import timezone

from insight import classifier
from insight.models import ClassifierModel, InsightItem
from insight.suggestions import Suggestion, suggestions_for
from portal.themes.models import Theme

pytestmark = pytest.mark.django_db

# What people said, by theme: each item pairs one of a theme's "what" with one of its "so what",
# so no two items are the same and the held-back ones are new sentences.
SAID = {
    "housing": (
        ["Black mould keeps coming back on the bedroom walls",
         "The damp in our flat has ruined the children's clothes",
         "Our landlord has ignored the leaking roof since the spring",
         "The council has not fixed the broken boiler in our block",
         "We are six people in a one bedroom flat",
         "The rent went up again and the repairs never happen",
         "Water drips through the bathroom ceiling from the flat above",
         "The housing association lost our repair request twice",
         "There is condensation running down every window of the flat",
         "The temporary accommodation we were placed in has no heating"],
        ["and nobody from housing repairs has come out",
         "and the landlord says it is our fault",
         "and we have been on the housing waiting list for years"]),
    "health": (
        ["I cannot get a GP appointment for weeks",
         "The surgery phone line is engaged every morning at eight",
         "My mother waited five hours in A&E",
         "Nobody explained my prescription at the pharmacy",
         "The mental health team discharged my son without a plan",
         "There is no NHS dentist taking new patients near us",
         "The hospital cancelled my operation twice",
         "My father's care at home stopped without warning",
         "The walk-in clinic closed and the nearest is miles away",
         "The doctor would not refer me to a specialist"],
        ["and the receptionist told me to try again tomorrow",
         "and my symptoms are getting worse while I wait",
         "and I had to pay for a private appointment in the end"]),
    "transport": (
        ["The 18 bus is always late in the morning",
         "The bus stop outside the shops was moved without notice",
         "The lift at the station has been broken for a month",
         "Buses are so full at rush hour that they drive past",
         "The night bus service was cut last year",
         "There are no step free trains from our station",
         "The cycle lane on the high road just ends at the junction",
         "Tube fares went up again this January",
         "The overground trains are cancelled every weekend",
         "There is no bus route to the new hospital"],
        ["so I am late for work most days",
         "and with a buggy or a wheelchair you cannot travel",
         "and the timetable on the app is never right"]),
    "safety": (
        ["People are dealing drugs openly in the park",
         "There was another stabbing near the estate",
         "The street lights on the alley have been out for weeks",
         "Gangs of young men hang around the stairwell at night",
         "My neighbour's car was broken into twice this month",
         "Someone was mugged outside the station last Friday",
         "We never see police officers patrolling any more",
         "There is antisocial behaviour and shouting every night",
         "Kids were threatened with a knife on the way home from school",
         "Burglaries on our road have doubled"],
        ["and I am scared to walk home after dark",
         "and reporting it to the police changes nothing",
         "and women in the area feel unsafe"]),
}
BOTH = [  # items about two themes
    ("The damp and mould in the flat are making my daughter's asthma worse and the GP says "
     "we must move", ("housing", "health")),
    ("Our landlord will not fix the leaking ceiling and my chest infection keeps coming back, "
     "the doctor blames the damp", ("housing", "health")),
    ("The broken lift at the station means my disabled father cannot get to his hospital "
     "appointment", ("transport", "health")),
    ("The bus stop is in a dark alley with no street lights and people get mugged there",
     ("transport", "safety")),
    ("Drug dealers use the empty flats on our estate and the council will not board them up",
     ("housing", "safety")),
    ("Since the night bus was cut I walk home through the park where the stabbing happened",
     ("transport", "safety")),
]


def sentences():
    """(text, theme slugs): 30 single-theme items per theme, then a few about two."""
    for slug, (whats, so_whats) in SAID.items():
        pairs = list(itertools.product(range(len(whats)), range(len(so_whats))))
        for what, so_what in pairs:
            yield f"{whats[what]} {so_whats[so_what]}.", (slug,)
    yield from BOTH


def make_themes():
    """The seeded themes where there is one, and a new "Transport" theme."""
    slugs = {"housing": "housing", "health": "access-to-health", "transport": "transport",
             "safety": "community-safety"}
    return {key: Theme.objects.get_or_create(slug=slug, defaults={"name": key.title()})[0]
            for key, slug in slugs.items()}


@pytest.fixture
def themes():
    return make_themes()


def add_items(texts, *, coded_with=None, themes=None, start=1):
    """InsightItems for `texts`; coded with `coded_with[n]` theme slugs when given."""
    when = timezone.now()
    items = InsightItem.objects.bulk_create([
        InsightItem(origin=InsightItem.FEEDBACK, origin_id=start + n, text=text,
                    received_on=datetime.date(2026, 9, 1), source="healthwatch",
                    coded_at=when if coded_with else None)
        for n, text in enumerate(texts)])
    if coded_with:
        through = InsightItem.themes.through
        through.objects.bulk_create([through(insightitem_id=item.pk, theme_id=themes[slug].pk)
                                     for item, slugs in zip(items, coded_with, strict=True)
                                     for slug in slugs])
    return items


@pytest.fixture
def coded(themes):
    """About 120 coded items over four themes."""
    rows = list(sentences())
    return add_items([text for text, _slugs in rows], coded_with=[slugs for _t, slugs in rows],
                     themes=themes)


@pytest.fixture(autouse=True)
def fresh_model_cache():
    classifier._current.clear()
    yield
    classifier._current.clear()


def test_training_measures_on_held_back_items_and_stores_the_model(coded, themes):
    assert len(coded) == 126
    model = classifier.train()
    assert model.trained_on == 126 and 20 <= model.held_back <= 30
    assert model.precision > 0.6 and model.recall > 0.6
    assert set(model.per_theme) == {theme.slug for theme in themes.values()}
    for slug, entry in model.per_theme.items():
        assert entry["support"] >= 5, slug  # every theme is measured on held-back items
        assert entry["precision"] is not None and entry["recall"] is not None
        assert entry["examples"] >= 30 and not entry.get("left_out")
    assert bytes(model.artefact)  # the fitted pipeline, kept in the portal's own database
    again = classifier.train()  # the same seed: the same split and the same figures
    assert (again.precision, again.recall, again.held_back) == (
        model.precision, model.recall, model.held_back)


def test_suggests_housing_for_a_damp_flat_with_the_words_that_drove_it(coded, themes):
    classifier.train()
    [picks] = classifier.suggest(["There is damp and mould all over my flat and the landlord "
                                  "will not do the repairs"])
    assert picks, "nothing suggested"
    theme_id, confidence, words = picks[0]
    assert theme_id == themes["housing"].pk
    assert classifier.threshold() <= confidence <= 1
    assert "damp" in words and len(words) <= 4
    assert all(confidence >= classifier.threshold() for _t, confidence, _w in picks)
    assert len(picks) <= 3
    [bus] = classifier.suggest(["The bus is always late and the station lift is broken"])
    assert bus[0][0] == themes["transport"].pk


def test_the_threshold_setting_decides_what_is_suggested(coded, themes, settings):
    classifier.train()
    text = "The damp flat, the late bus and the GP appointment I could not get"
    settings.INSIGHT_SUGGESTION_THRESHOLD = 0.2
    assert len(classifier.suggest([text])[0]) == 3  # never more than three
    settings.INSIGHT_SUGGESTION_THRESHOLD = 1.01
    assert classifier.suggest([text]) == [[]]


def test_suggestions_for_a_page_only_cover_uncoded_items_and_change_nothing(coded, themes):
    classifier.train()
    new = add_items(["Mould and damp in the bedroom and the landlord ignores us",
                     "I waited weeks for a GP appointment at the surgery",
                     "zzz qqq"], start=1000)
    before = {item.pk: (item.coded_at, sorted(item.themes.values_list("pk", flat=True)))
              for item in InsightItem.objects.all()}
    page = list(InsightItem.objects.filter(pk__in=[new[0].pk, new[1].pk, new[2].pk,
                                                   coded[0].pk]))
    found = suggestions_for(page)
    assert set(found) == {new[0].pk, new[1].pk}  # coded items and nonsense get none
    first = found[new[0].pk][0]
    assert isinstance(first, Suggestion) and first.theme_name == "Housing"
    assert 0 < first.confidence <= 1 and first.words
    assert found[new[1].pk][0].theme_name == themes["health"].name
    after = {item.pk: (item.coded_at, sorted(item.themes.values_list("pk", flat=True)))
             for item in InsightItem.objects.all()}
    assert after == before  # suggesting never codes anything


def test_no_model_means_no_suggestions(themes):
    items = add_items(["Mould in the flat"])
    assert suggestions_for(items) == {}
    assert classifier.suggest(["Mould in the flat"]) == [[]]


def test_too_few_coded_items_is_refused_with_the_reason(themes):
    rows = list(sentences())[:20]
    add_items([text for text, _s in rows], coded_with=[s for _t, s in rows], themes=themes)
    with pytest.raises(classifier.NotEnoughCoded) as refused:
        classifier.train()
    assert "Only 20 items are coded with a theme" in refused.value.reason
    assert "at least 30" in refused.value.reason
    assert not ClassifierModel.objects.exists()


def test_a_theme_with_too_few_items_is_left_out_listed_and_never_suggested(coded, themes):
    parking = Theme.objects.create(name="Parking", slug="parking")
    texts = ["Residents cannot find parking near the flats because of the new permit zone",
             "Parking permits cost too much for carers visiting my mother", "Parking fines"]
    add_items(texts, coded_with=[("transport",)] * 3, themes=themes, start=500)
    rows = InsightItem.objects.filter(origin_id__gte=500)
    for row in rows:
        row.themes.add(parking)
    model = classifier.train()
    assert model.per_theme["parking"] == {"id": parking.pk, "slug": "parking", "name": "Parking",
                                          "examples": 3, "left_out": True}
    picks = classifier.suggest(["Parking permits and parking fines near the flats"])[0]
    assert parking.pk not in [theme_id for theme_id, _c, _w in picks]


def test_coded_items_without_a_theme_do_not_count(themes):
    items = add_items([f"Comment number {n} about the damp flat" for n in range(40)],
                      coded_with=[("housing",)] * 40, themes=themes)
    InsightItem.themes.through.objects.filter(insightitem__in=items[4:]).delete()
    with pytest.raises(classifier.NotEnoughCoded) as refused:
        classifier.train()
    assert "Only 4 items" in refused.value.reason
    assert refused.value.left_out == [{"id": themes["housing"].pk, "slug": "housing",
                                       "name": themes["housing"].name, "examples": 4}]


def test_no_theme_with_enough_items_is_refused():
    many = {f"t{n}": Theme.objects.create(name=f"Test theme {n}", slug=f"test-{n}")
            for n in range(9)}
    add_items([f"Comment number {n} about the area" for n in range(35)],
              coded_with=[(f"t{n % 9}",) for n in range(35)], themes=many)
    with pytest.raises(classifier.NotEnoughCoded) as refused:
        classifier.train()
    assert refused.value.reason == "No theme has been chosen for 5 or more coded items yet."
    assert len(refused.value.left_out) == 9


def test_a_newer_model_is_loaded_and_the_same_one_is_kept(coded, themes, monkeypatch):
    first = classifier.train()
    assert classifier.current_model().pk == first.pk
    loads = []
    real = classifier._unpickle
    monkeypatch.setattr(classifier, "_unpickle", lambda pk: loads.append(pk) or real(pk))
    classifier.suggest(["damp flat"])
    assert loads == []  # cached by pk: not unpickled again
    second = classifier.train()
    classifier.suggest(["damp flat"])
    assert loads == [second.pk]


def test_a_damaged_model_suggests_nothing_rather_than_failing(coded, themes):
    model = classifier.train()
    ClassifierModel.objects.filter(pk=model.pk).update(artefact=b"not a model")
    classifier._current.clear()
    assert classifier.suggest(["damp flat"]) == [[]]
    assert suggestions_for(InsightItem.objects.filter(pk=coded[0].pk)) == {}


def test_evaluate_gives_the_benchmark_its_figures_and_stores_nothing(coded):
    result = classifier.evaluate(held_back=0.2)
    assert set(result) == {"precision", "recall", "trained_on", "held_back", "seconds"}
    assert result["trained_on"] + result["held_back"] == 126
    assert result["precision"] > 0.6 and result["recall"] > 0.6 and result["seconds"] >= 0
    assert not ClassifierModel.objects.exists()
    with pytest.raises(ValueError, match="between 0 and 1"):
        classifier.evaluate(held_back=1.5)
