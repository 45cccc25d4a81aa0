"""Survey templates: valid surveys, started as drafts with fresh ids from the admin."""

import pytest
from django.urls import reverse

from surveys import copying, templates_library
from surveys.blocks import SurveySectionsBlock
from surveys.models import SurveyPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_staff_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False


def ids(raw):
    mapping = {}
    copying.collect_ids(raw, mapping)
    return set(mapping)


@pytest.mark.parametrize("template", templates_library.TEMPLATES, ids=lambda t: t.key)
def test_every_template_is_a_valid_survey_with_fresh_ids(demo_site, template):
    first, second = template.raw_sections(), template.raw_sections()
    stream = SurveySectionsBlock()
    stream.clean(stream.to_python(first))  # raises ValidationError if any block is invalid
    assert len(first) >= 2 and not ids(first) & ids(second)
    kinds = {q["type"] for section in first for q in section["value"]["questions"]}
    assert {"where_you_live", "equality"} <= kinds


def test_the_chooser_lists_the_templates(survey_index, client, officer):
    client.force_login(officer)
    r = client.get(reverse("surveys_library:start_from_template") + f"?parent={survey_index.pk}")
    assert r.status_code == 200
    for title in ("Neighbourhood priorities", "Service satisfaction", "Forum feedback"):
        assert title in r.content.decode()


def test_starting_from_a_template_makes_a_draft_and_opens_its_edit_page(survey_index, client,
                                                                        officer):
    client.force_login(officer)
    r = client.post(reverse("surveys_library:start_from_template"), {
        "template": "neighbourhood_priorities", "parent": survey_index.pk, "title": ""})
    page = SurveyPage.objects.get(title="Neighbourhood priorities")
    assert r.status_code == 302 and r.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.get_parent().pk == survey_index.pk
    assert page.owner == officer
    draft = page.get_latest_revision_as_object()
    assert draft.opens_at is None and draft.closes_at is None
    edit = client.get(r.url)
    assert edit.status_code == 200 and "created from the template" in edit.content.decode()
    again = client.post(reverse("surveys_library:start_from_template"), {
        "template": "neighbourhood_priorities", "parent": survey_index.pk, "title": ""})
    second = SurveyPage.objects.get(pk=again.url.rstrip("/").split("/")[-2])
    assert second.slug == "neighbourhood-priorities-2"
    assert not ids(second.sections.get_prep_value()) & ids(page.sections.get_prep_value())


@pytest.mark.parametrize(("data", "message"), [
    ({"parent": "PARENT"}, "Choose a template to start from."),
    ({"template": "nonsense", "parent": "PARENT"}, "Choose one of the templates listed."),
    ({"template": "forum_feedback", "parent": "999999"}, "Choose one of the survey index"),
    ({"template": "forum_feedback", "parent": "PARENT", "title": "x" * 300},
     "at most 255 characters"),
])
def test_bad_input_is_refused_with_a_message(survey_index, client, officer, data, message):
    client.force_login(officer)
    data = {key: str(survey_index.pk) if value == "PARENT" else value
            for key, value in data.items()}
    r = client.post(reverse("surveys_library:start_from_template"), data)
    assert r.status_code == 400
    assert "There is a problem" in r.content.decode() and message in r.content.decode()
    assert not SurveyPage.objects.exists()


@pytest.mark.parametrize("role", ["councillor", "resident"])
def test_only_people_who_may_add_surveys_start_from_a_template(survey_index, client, people,
                                                               role):
    client.force_login(people[role])
    url = reverse("surveys_library:start_from_template")
    assert client.get(url).status_code in (302, 403)
    r = client.post(url, {"template": "forum_feedback", "parent": survey_index.pk})
    assert r.status_code in (302, 403) and not SurveyPage.objects.exists()


def test_a_draft_without_dates_can_be_previewed(survey_index, client, officer):
    page = templates_library.start_survey(templates_library.BY_TEMPLATE_KEY["forum_feedback"],
                                          survey_index, user=officer)
    assert page.get_latest_revision_as_object().status() == "not_open"
    client.force_login(officer)
    r = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert r.status_code == 200 and "Thank you for coming to the neighbourhood forum" in \
        r.content.decode()


def test_the_edit_page_opens_with_the_dates_empty(survey_index, client, officer):
    page = templates_library.start_survey(templates_library.BY_TEMPLATE_KEY["forum_feedback"],
                                          survey_index, user=officer)
    client.force_login(officer)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert 'name="opens_at"' in edit.content.decode()
    form = edit.context["form"]
    assert form.initial.get("opens_at") is None and form.initial.get("closes_at") is None
