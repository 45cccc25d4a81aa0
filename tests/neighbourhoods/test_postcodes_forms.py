"""Every form where a postcode is typed tells "not a postcode", "not in our area" and "we could
not find this postcode" apart, names the postcode and says what to do next in its own terms."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from surveys.forms import field_name, postcode_field_name
from surveys.models import Question
from tests.assets_map.conftest import asset_form_data, map_page, organisation  # noqa: F401
from tests.forums.conftest import forum_index, harlesden, make_event  # noqa: F401
from tests.surveys.conftest import map_survey, q, survey, survey_index  # noqa: F401

pytestmark = pytest.mark.django_db

MALFORMED = ("NW10", "“NW10” is not a postcode. Enter a full UK postcode, like NW10 8SE.")
NOT_OURS = ("SW1A 1AA", "SW1A 1AA is not in our area")  # a district Brent does not cover
NOT_FOUND = ("NW10 9ZZ", "We could not find the postcode NW10 9ZZ. It is in our area")
# Childs Hill library: a real postcode in NW2, which Brent shares, but in Barnet.
REAL_BUT_NOT_OURS = ("NW2 2QE", "NW2 2QE is not in our area")


@pytest.fixture(autouse=True)
def fast(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    cache.clear()


def find_neighbourhood(client, request, typed):
    return client.get("/neighbourhoods/", {"postcode": typed}).content.decode()


def where_you_live(client, request, typed):
    survey_page = request.getfixturevalue("survey")
    single = q(survey_page, Question.SINGLE)
    return client.post(f"{survey_page.url}step/1/", {
        field_name(q(survey_page, Question.WHERE)): typed,
        field_name(single): str(single.options.get(label="Yes").pk),
    }).content.decode()


def show_us_where(client, request, typed):
    survey_page = request.getfixturevalue("map_survey")
    question = q(survey_page, Question.MAP_PIN)
    return client.post(f"{survey_page.url}step/1/",
                       {postcode_field_name(question): typed}).content.decode()


def asset_form(client, request, typed):
    org = request.getfixturevalue("organisation")
    client.force_login(request.getfixturevalue("vcs_member"))
    return client.post(f"/organisations/{org.slug}/assets/new/",
                       asset_form_data(postcode=typed)).content.decode()


def asset_search(client, request, typed):
    request.getfixturevalue("map_page")
    return client.get("/community-assets/", {"postcode": typed}).content.decode()


# form, its next step, whether a real postcode outside every neighbourhood is refused there
FORMS = [
    (find_neighbourhood, "You can choose your neighbourhood from the list or the map instead.",
     True),
    (where_you_live, "You can choose your neighbourhood from the list instead.", True),
    (show_us_where, "You can choose a place from the list instead.", True),
    (asset_form, "You can give the latitude and longitude instead.", False),
    (asset_search, "You can leave the postcode empty to see every place instead.", False),
]


@pytest.mark.parametrize(("form", "next_step", "_area_only"), FORMS,
                         ids=[form[0].__name__ for form in FORMS])
@pytest.mark.parametrize(("typed", "problem"), [MALFORMED, NOT_OURS, NOT_FOUND],
                         ids=["not-a-postcode", "not-in-our-area", "could-not-find"])
def test_each_form_tells_the_three_apart(demo_site, client, request, form, next_step,
                                         _area_only, typed, problem):
    html = form(client, request, typed)
    assert "There is a problem" in html
    assert problem in html
    assert next_step in html
    others = {MALFORMED[1], NOT_OURS[1], NOT_FOUND[1]} - {problem}
    assert not any(other in html for other in others)


@pytest.mark.parametrize(("form", "next_step", "area_only"), FORMS,
                         ids=[form[0].__name__ for form in FORMS])
def test_a_real_postcode_outside_every_neighbourhood(demo_site, client, request, form,
                                                     next_step, area_only):
    html = form(client, request, REAL_BUT_NOT_OURS[0])
    if area_only:
        assert REAL_BUT_NOT_OURS[1] in html and next_step in html
    else:  # an asset (or a search near one) may be just over the border
        assert "There is a problem" not in html


def test_the_asset_form_never_talks_about_a_neighbourhood_list(demo_site, client, request):
    for typed in (MALFORMED[0], NOT_OURS[0], NOT_FOUND[0]):
        html = asset_form(client, request, typed)
        assert "neighbourhood from the list" not in html
        assert "list or the map" not in html


def test_a_postcode_that_works_is_accepted_everywhere(demo_site, client, request):
    response = client.get("/neighbourhoods/", {"postcode": "nw10 4lb"})
    assert response.status_code == 302 and "harlesden" in response["Location"]
    for form in (where_you_live, show_us_where, asset_form, asset_search):
        assert "There is a problem" not in form(client, request, "NW10 8SE"), form.__name__


@pytest.mark.parametrize("typed", [NOT_OURS[0], NOT_FOUND[0], REAL_BUT_NOT_OURS[0]])
def test_a_forum_venue_we_cannot_place_is_still_a_good_address(make_event, typed):  # noqa: F811
    event = make_event()
    event.venue_postcode = typed
    event.venue_latitude = event.venue_longitude = None
    event.full_clean()
    assert event.venue_postcode == typed


def test_a_forum_venue_postcode_must_be_a_postcode(make_event):  # noqa: F811
    event = make_event()
    event.venue_postcode = "NW10"
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert MALFORMED[1] in error.value.message_dict["venue_postcode"][0]
