""""Show us where": map pin, list of places or postcode; validation, storage, results, exports."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.neighbourhoods.models import Neighbourhood
from surveys.answering import submit_response
from surveys.contributions import personal_data
from surveys.exports import export_rows
from surveys.forms import field_name, point_field_names, postcode_field_name
from surveys.models import Answer, Option, Question, Response
from surveys.results import compute_results, suppressed
from tests.conftest import make_user

from .conftest import CLOCK, inside, make_survey, map_sections, q
from .test_answering import through_check

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    cache.clear()


def step_url(survey, n):
    return f"{survey.url}step/{n}/"


def pin(survey):
    return q(survey, Question.MAP_PIN)


def place_value(survey):
    return f"p{pin(survey).options.get().pk}"


def answer(client, survey, first, when="Night"):
    """Post the map step with `first`, then the second step; returns the last reply."""
    r = client.post(step_url(survey, 1), first)
    assert r.status_code == 302, r.content.decode()[:3000]
    single = q(survey, Question.SINGLE)
    return through_check(client, survey, client.post(step_url(survey, 2), {
        field_name(single): str(single.options.get(label=when).pk)}))


def test_registry_keeps_places_as_options_with_coordinates(map_survey):
    question = pin(map_survey)
    place = question.options.get()
    assert place.label == "Harlesden clock tower"
    assert question.config["places"][place.key] == list(CLOCK)
    assert question.config["postcode"] is True


def test_the_step_offers_a_list_a_postcode_and_a_map_enhancement(map_survey, client):
    page = client.get(step_url(map_survey, 1)).content.decode()
    question = pin(map_survey)
    assert f'<select name="q{question.pk}"' in page
    assert "Harlesden clock tower" in page and "Kingsbury and Kenton" in page
    assert f'name="{postcode_field_name(question)}"' in page
    lat_name, lng_name = point_field_names(question)
    assert f'type="hidden" name="{lat_name}"' in page
    assert "data-survey-pin-figure hidden" in page  # shown only once the script runs
    assert "surveys/js/map-pin.js" in page and 'id="survey-map-boundaries"' in page


def test_point_marked_on_the_map_is_stored_with_its_neighbourhood(map_survey, client):
    lat, lng = inside("Kilburn")
    lat_name, lng_name = point_field_names(pin(map_survey))
    r = answer(client, map_survey, {lat_name: f"{lat:.6f}", lng_name: f"{lng:.6f}"})
    assert r.status_code == 302 and r.url.endswith("/done/")
    row = Answer.objects.get(question=pin(map_survey))
    assert (row.latitude, row.longitude) == (round(lat, 6), round(lng, 6))
    assert row.neighbourhood.name == "Kilburn" and row.option is None


def test_named_place_from_the_list(map_survey, client):
    answer(client, map_survey, {field_name(pin(map_survey)): place_value(map_survey)})
    row = Answer.objects.get(question=pin(map_survey))
    assert row.option.label == "Harlesden clock tower"
    assert (row.latitude, row.longitude) == CLOCK
    assert row.neighbourhood.name == "Harlesden"


def test_neighbourhood_from_the_list_has_no_point(map_survey, client):
    wembley = Neighbourhood.objects.get(name="Wembley")
    answer(client, map_survey, {field_name(pin(map_survey)): f"n{wembley.pk}"})
    row = Answer.objects.get(question=pin(map_survey))
    assert row.neighbourhood == wembley and row.latitude is None and row.option is None


def test_postcode_near_the_place(map_survey, client):
    answer(client, map_survey, {postcode_field_name(pin(map_survey)): "nw10 8se"})
    row = Answer.objects.get(question=pin(map_survey))
    assert row.neighbourhood.name == "Harlesden"
    assert row.latitude == pytest.approx(CLOCK[0])


@pytest.mark.parametrize(("point", "message"), [
    (("abc", "-0.25"), "could not be read"),
    (("51.5", ""), "could not be read"),
    (("nan", "inf"), "could not be read"),
    (("91", "0"), "could not be read"),
    (("51.4", "0.5"), "outside the area this survey covers"),
])
def test_bad_points_get_a_clear_error_and_nothing_is_stored(map_survey, client, point, message):
    lat_name, lng_name = point_field_names(pin(map_survey))
    r = client.post(step_url(map_survey, 1), {lat_name: point[0], lng_name: point[1]})
    assert r.status_code == 200
    html = r.content.decode()
    assert message in html and "There is a problem" in html
    assert f'href="#id_{field_name(pin(map_survey))}"' in html  # the summary links to the list
    assert not Answer.objects.exists()


def test_nothing_chosen_when_required(map_survey, client):
    r = client.post(step_url(map_survey, 1), {})
    assert "Choose a place from the list or enter a postcode near it." in r.content.decode()


def test_optional_question_can_be_left(survey_index, client):
    survey = make_survey(survey_index, title="Optional", sections=map_sections(required=False,
                                                                               allow_postcode=False))
    assert f'name="{postcode_field_name(pin(survey))}"' not in client.get(
        step_url(survey, 1)).content.decode()
    r = answer(client, survey, {})
    assert r.status_code == 302
    assert Response.objects.count() == 1 and not Answer.objects.filter(
        question=pin(survey)).exists()


def test_list_and_postcode_together_or_tampered(map_survey, client):
    question = pin(map_survey)
    r = client.post(step_url(map_survey, 1), {field_name(question): place_value(map_survey),
                                              postcode_field_name(question): "NW10 8SE"})
    assert "not both" in r.content.decode()
    r = client.post(step_url(map_survey, 1), {field_name(question): "p999999"})
    assert "Choose a place from the list. The page may have changed" in r.content.decode()
    r = client.post(step_url(map_survey, 1), {postcode_field_name(question): "NW10 9ZZ"})
    assert "We could not find the postcode NW10 9ZZ" in r.content.decode()


def test_outside_a_targeted_survey(survey_index, client):
    survey = make_survey(survey_index, title="Harlesden only", sections=map_sections(),
                         neighbourhoods=[Neighbourhood.objects.get(name="Harlesden")])
    question = pin(survey)
    page = client.get(step_url(survey, 1)).content.decode()
    assert "Wembley" not in page  # only the survey's neighbourhoods are listed
    lat, lng = inside("Wembley")
    lat_name, lng_name = point_field_names(question)
    r = client.post(step_url(survey, 1), {lat_name: str(lat), lng_name: str(lng)})
    assert "outside the area this survey covers" in r.content.decode()
    r = client.post(step_url(survey, 1), {postcode_field_name(question): "HA9 0FJ"})
    assert "HA9 0FJ is outside the area this survey covers" in r.content.decode()


def test_answers_are_kept_across_steps_and_errors(map_survey, client):
    lat, lng = inside("Willesden")
    lat_name, lng_name = point_field_names(pin(map_survey))
    client.post(step_url(map_survey, 1), {lat_name: "oops", lng_name: f"{lng}"})
    kept = client.get(step_url(map_survey, 1)).content.decode()
    assert 'value="oops"' in kept  # what was typed is kept, even when wrong
    client.post(step_url(map_survey, 1), {lat_name: f"{lat}", lng_name: f"{lng}"})
    back = client.get(step_url(map_survey, 1)).content.decode()
    assert f'value="{lat}"' in back and f'value="{lng}"' in back
    assert client.get(step_url(map_survey, 2)).status_code == 200


def submit(survey, *, neighbourhood=None, place=False, point=None, channel=Response.ONLINE):
    question = pin(survey)
    values = {"question_id": question.pk}
    if place:
        values.update(option_id=question.options.get().pk, latitude=CLOCK[0],
                      longitude=CLOCK[1], neighbourhood_id=Neighbourhood.objects.get(
                          name="Harlesden").pk)
    elif point:
        values.update(latitude=point[0], longitude=point[1], neighbourhood_id=Neighbourhood
                      .objects.get(name=neighbourhood).pk)
    else:
        values["neighbourhood_id"] = Neighbourhood.objects.get(name=neighbourhood).pk
    return submit_response(survey, [values], channel=channel)


@pytest.fixture
def mapped(map_survey):
    for _ in range(6):
        submit(map_survey, place=True)
    for _ in range(2):
        submit(map_survey, point=inside("Kilburn"), neighbourhood="Kilburn")
    submit(map_survey, neighbourhood="Wembley")
    return map_survey


def test_results_count_per_neighbourhood_and_place(mapped):
    results = compute_results(mapped, include_points=True)
    entry = next(e for e in results["questions"] if e["kind"] == Question.MAP_PIN)
    assert entry["respondents"] == 9
    assert {r["label"]: r["count"] for r in entry["rows"]} == {
        "Harlesden": 6, "Kilburn": 2, "Wembley": 1}
    assert entry["places"] == [{"label": "Harlesden clock tower", "count": 6, "retired": False,
                                "percent": 66.7}]
    points = sorted(entry["points"])
    assert (CLOCK[0], CLOCK[1], 6) in points and len(points) == 2
    without = compute_results(mapped)
    assert "points" not in next(e for e in without["questions"] if e["kind"] == Question.MAP_PIN)


def test_public_results_show_no_points_and_suppress_small_counts(mapped):
    public = suppressed(compute_results(mapped, include_points=True))
    entry = next(e for e in public["questions"] if e["kind"] == Question.MAP_PIN)
    assert "points" not in entry and "map" not in entry
    rows = {r["label"]: r for r in entry["rows"]}
    assert rows["Kilburn"]["count"] is None and rows["Kilburn"]["suppressed"]
    # 9 answered: Harlesden's 6 would give away Kilburn and Wembley's 3 between them...
    assert rows["Harlesden"]["count"] is None
    # ...and the clock tower, in Harlesden, would say Harlesden has at least 6.
    assert entry["places"][0]["count"] is None and entry["places"][0]["suppressed"]


def test_public_page_and_officer_page(mapped, client):
    mapped.results_published = True
    mapped.save_revision().publish()
    html = client.get(mapped.url + "results/").content.decode()
    assert "Harlesden clock tower" in html and "dot-map" not in html
    assert "<circle" not in html and str(CLOCK[0]) not in html
    client.force_login(make_user("pins@example.org", "Officers"))
    admin = client.get(reverse("surveys_admin:results", args=[mapped.pk])).content.decode()
    assert 'class="dot-map"' in admin and admin.count('class="dot-map__dot"') == 2
    assert admin.count('class="dot-map__area"') == 5
    assert "Where people marked (officers only)" in admin


def test_exports_have_coordinates_for_officers_only(mapped, client):
    rows = list(export_rows(mapped, points=True))
    header = rows[0]
    label = "Show us where you feel unsafe"
    column = header.index(label)
    assert header[column + 1:column + 3] == [f"{label} (latitude)", f"{label} (longitude)"]
    place_rows = [r for r in rows[1:] if r[column] == "Harlesden clock tower"]
    assert len(place_rows) == 6 and place_rows[0][column + 1] == CLOCK[0]
    assert "Wembley" in [r[column] for r in rows[1:]]
    assert f"{label} (latitude)" not in list(export_rows(mapped))[0]

    client.force_login(make_user("o-pin@example.org", "Officers"))
    text = b"".join(client.get(reverse("surveys_admin:export_responses",
                                       args=[mapped.pk])).streaming_content).decode()
    assert f"{label} (latitude)" in text
    summary = client.get(reverse("surveys_admin:export_aggregate", args=[mapped.pk]))
    table = list(csv.reader(io.StringIO(summary.content.decode())))
    assert [label, "map_pin", "9", "Harlesden", "6", "66.7", "", "", ""] in table
    assert [label, "map_pin", "9", "Harlesden clock tower", "6", "66.7", "", "", ""] in table
    assert "latitude" not in summary.content.decode()


def test_councillor_summary_has_no_points_and_cannot_export(mapped, client):
    client.force_login(make_user("cllr-pin@example.org", "Councillors"))
    r = client.get(reverse("surveys_admin:export_responses", args=[mapped.pk]))
    assert r.status_code in (302, 403) and b"latitude" not in r.content  # the admin refuses
    summary = client.get(reverse("surveys_admin:export_aggregate", args=[mapped.pk]))
    assert summary.status_code == 200 and b"latitude" not in summary.content


def test_type_change_of_an_answered_map_question_is_refused(mapped):
    from .conftest import options

    sections = mapped.sections.get_prep_value()
    first = sections[0]["value"]["questions"][0]
    first["type"] = "single_choice"
    first["value"] = {**first["value"], "options": options("A", "B")}
    mapped.sections = sections
    errors = mapped.registry_errors()
    assert errors and "Show us where" in errors[0]


def test_removed_place_is_retired_and_still_counted(mapped):
    sections = mapped.sections.get_prep_value()
    sections[0]["value"]["questions"][0]["value"]["places"] = []
    mapped.sections = sections
    mapped.save_revision().publish()
    assert Option.objects.get(question=pin(mapped)).retired
    entry = next(e for e in compute_results(mapped)["questions"]
                 if e["kind"] == Question.MAP_PIN)
    assert entry["places"][0]["retired"] and entry["places"][0]["count"] == 6


def test_personal_data_includes_the_point(map_survey, client, resident):
    client.force_login(resident)
    lat, lng = inside("Kilburn")
    lat_name, lng_name = point_field_names(pin(map_survey))
    answer(client, map_survey, {lat_name: str(lat), lng_name: str(lng)})
    data = personal_data(resident)
    item = next(a for a in data[0]["answers"] if a["question"] == "Show us where you feel unsafe")
    assert item["answer"] == "Kilburn" and item["latitude"] == round(lat, 6)


def test_the_paper_form_prints_the_places_and_numbers_questions_through_the_form(
        map_survey, client):
    import pypdf

    officer = make_user("paper-officer@example.org", group="Officers")
    client.force_login(officer)
    response = client.get(f"/survey-paper/{map_survey.pk}/")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text()
                    for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "1. Show us where you feel unsafe" in text
    assert "Harlesden clock tower" in text
    assert "Or write a postcode near the place, or describe where it is" in text
    # The second section's question carries on the numbering instead of starting again at 1.
    assert "2. When?" in text
