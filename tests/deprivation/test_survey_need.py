"""Respondents' home areas: stored from the postcode, counted by quintile, never shown alone."""

import pytest
from django.core.cache import cache

from portal.deprivation.models import NeighbourhoodNeed
from portal.deprivation.services import area_for_point, quintile_for_area
from portal.neighbourhoods.models import Neighbourhood, Postcode
from portal.themes.models import Theme
from priorities.population import participation
from surveys import evidence
from surveys.answering import submit_response
from surveys.contributions import personal_data
from surveys.erasure import forget_account
from surveys.models import Response
from tests.conftest import make_user
from tests.surveys.conftest import survey, survey_index  # noqa: F401 (fixtures)
from tests.surveys.test_answering import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    cache.clear()


@pytest.fixture
def harlesden(demo_site):
    return Neighbourhood.objects.get(name="Harlesden")


def codes_by_quintile(neighbourhood) -> dict[int, str]:
    """One LSOA code of the neighbourhood for each quintile it has."""
    need = NeighbourhoodNeed.objects.get(neighbourhood=neighbourhood)
    return {(area["decile"] + 1) // 2: area["code"] for area in need.areas}


def test_the_postcode_answer_stores_the_home_area(survey, client):  # noqa: F811
    assert answer_all(client, survey).status_code == 302
    response = Response.objects.get()
    home = Postcode.objects.get(postcode="NW10 8SE")
    assert response.area_code == area_for_point(home.latitude, home.longitude)
    assert quintile_for_area(response.area_code) in range(1, 6)
    need = NeighbourhoodNeed.objects.get(neighbourhood=response.neighbourhood)
    assert response.area_code in {area["code"] for area in need.areas}


def test_choosing_from_the_list_stores_no_area(survey, harlesden):  # noqa: F811
    response = submit_response(survey, [], neighbourhood_id=harlesden.pk)
    assert response.area_code == ""


def test_people_by_need_and_participants_count_by_quintile(survey, harlesden):  # noqa: F811
    codes = codes_by_quintile(harlesden)
    for _ in range(3):
        submit_response(survey, [], neighbourhood_id=harlesden.pk, area_code=codes[1])
    submit_response(survey, [], neighbourhood_id=harlesden.pk, area_code=codes[2])
    submit_response(survey, [], neighbourhood_id=harlesden.pk)  # no area: not counted
    submit_response(survey, [], neighbourhood_id=harlesden.pk, area_code="E01999999")
    rows = [row for row in evidence.people_by_need() if row.neighbourhood_id == harlesden.pk]
    assert [(row.theme_id, row.quintile, row.people) for row in rows] == [
        (None, 1, 3), (None, 2, 1)]
    deprivation = [row for row in evidence.participants()
                   if row.characteristic == "deprivation"]
    assert [(row.neighbourhood_id, row.category, row.count) for row in deprivation] == [
        (harlesden.pk, "q1", 3), (harlesden.pk, "q2", 1)]


def test_themes_are_split_by_quintile_too(survey, harlesden):  # noqa: F811
    codes = codes_by_quintile(harlesden)
    ranking = survey.questions.get(kind="ranking")
    tagged = ranking.options.first()
    tagged.theme = Theme.objects.first()
    tagged.save()
    submit_response(survey, [{"question_id": ranking.pk, "option_id": tagged.pk, "rank": 1}],
                    neighbourhood_id=harlesden.pk, area_code=codes[1])
    rows = {(row.theme_id, row.quintile): row.people for row in evidence.people_by_need()}
    assert rows[(tagged.theme_id, 1)] == 1 and rows[(None, 1)] == 1


def test_characteristics_list_deprivation_with_its_fifths():
    code, label, options = evidence.characteristics()[-1]
    assert (code, str(label)) == ("deprivation", "Deprivation of home area")
    assert [(key, str(text)) for key, text in options][0] == (
        "q1", "Most deprived fifth of England")
    assert str(options[-1][1]) == "Least deprived fifth"


def test_who_took_part_flags_the_most_deprived_fifth(survey, harlesden):  # noqa: F811
    codes = codes_by_quintile(harlesden)
    for quintile, count in ((1, 6), (2, 20)):  # Harlesden is mostly in the first fifth
        for _ in range(count):
            submit_response(survey, [], neighbourhood_id=harlesden.pk, area_code=codes[quintile])
    section = next(item for item in participation(harlesden)["characteristics"]
                   if item["code"] == "deprivation")
    rows = {row["category"]: row for row in section["rows"]}
    need = NeighbourhoodNeed.objects.get(neighbourhood=harlesden)
    people = sum(need.quintile_population.values())
    assert rows["q1"]["population_share"] == round(
        100 * need.quintile_population["1"] / people, 1)
    assert rows["q1"]["under"] and not rows["q2"]["under"]
    assert "Most deprived fifth of England" in section["under"]
    assert "Second most deprived fifth" not in section["under"]


def test_the_home_area_is_in_the_personal_data_and_forgotten_with_it(
        survey, harlesden):  # noqa: F811
    person = make_user("someone@example.org")
    code = codes_by_quintile(harlesden)[1]
    response = submit_response(survey, [], neighbourhood_id=harlesden.pk, user=person,
                               area_code=code)
    [exported] = personal_data(person)
    assert exported["statistical_area"] == code
    forget_account(person, delete_free_text=True)
    response.refresh_from_db()
    assert response.area_code == ""
