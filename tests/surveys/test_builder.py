"""The survey builder's skip conditions: chosen from lists on the Skip conditions screen, stored
as ids, validated on save and publish with a message naming both questions, and migrated from
the wording-based conditions of before (migration 0007)."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from surveys import skip_logic
from surveys.models import Option, Question, SurveyPage

from .conftest import block, options, q, question

pytestmark = pytest.mark.django_db

migration = importlib.import_module("surveys.migrations.0007_skip_conditions_by_id_and_grids")


def raw_of(page):
    return list(page.sections.raw_data)


def children(raw):
    return [child for section in raw for child in section["value"]["questions"]]


def by_label(raw, label):
    return next(c for c in children(raw) if c["value"].get("question") == label)


def save(survey, change, publish=True, validate=True):
    """Edit the latest state of the survey as the page editor would: validate, then save."""
    page = SurveyPage.objects.get(pk=survey.pk).get_latest_revision_as_object()
    raw = raw_of(page)
    change(raw)
    page.sections = raw
    if validate:
        page.full_clean()
    revision = page.save_revision(clean=validate)
    if publish:
        revision.publish()
    return page


@pytest.fixture(autouse=True)
def no_staff_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False


@pytest.fixture
def survey(survey):
    """The shared survey with its condition stored by ids, as migration 0007 leaves it."""
    page = SurveyPage.objects.get(pk=survey.pk)
    raw = raw_of(page)
    assert migration.conditions_to_ids(raw)
    page.sections = raw
    page.save_revision().publish()
    return SurveyPage.objects.get(pk=survey.pk)


def url(survey):
    return reverse("surveys_admin:skip_conditions", args=[survey.pk])


SINGLE = "Do you have children under 5?"
MULTIPLE = "Which services have you used?"


def test_the_screen_lists_earlier_choice_questions_and_shows_the_condition(client, survey,
                                                                             superuser):
    client.force_login(superuser)
    page = client.get(url(survey))
    assert page.status_code == 200
    html = page.content.decode()
    single = by_label(raw_of(survey), SINGLE)
    yes = single["value"]["options"][0]["id"]
    # the condition shows as the chosen option, by id
    assert f'value="{single["id"]}:{yes}" selected' in html
    assert "Only if the answer to “Do you have children under 5?” is" in html
    # questions in the first section cannot depend on anything
    assert "Always asked: there is no single or multiple choice question" in html


def test_choosing_a_condition_saves_ids_in_a_draft_and_publishing_links_it(client, survey,
                                                                            superuser):
    client.force_login(superuser)
    raw = raw_of(survey)
    single, likert = by_label(raw, SINGLE), by_label(raw, "Family hubs are easy to get to")
    no = single["value"]["options"][1]["id"]
    response = client.post(url(survey), {f"condition-{likert['id']}": f"{single['id']}:{no}"})
    assert response.status_code == 302
    draft = SurveyPage.objects.get(pk=survey.pk).get_latest_revision_as_object()
    value = by_label(raw_of(draft), "Family hubs are easy to get to")["value"]
    assert (value["show_if_question"], value["show_if_answer"]) == (single["id"], no)
    assert q(survey, Question.LIKERT).show_if_option is None  # a draft until published
    draft.save_revision().publish()
    assert q(survey, Question.LIKERT).show_if_option == Option.objects.get(key=no)


def test_a_condition_not_offered_is_refused_with_a_message(client, survey, superuser):
    client.force_login(superuser)
    revisions = survey.revisions.count()
    likert = by_label(raw_of(survey), "Family hubs are easy to get to")
    ranking = by_label(raw_of(survey), "Rank these issues for your area")
    # a ranking question cannot be a condition, nor can a made-up id
    for value in (f"{ranking['id']}:{ranking['value']['options'][0]['id']}", "nope:nope"):
        response = client.post(url(survey), {f"condition-{likert['id']}": value})
        assert response.status_code == 400
        assert "Choose the condition for “Family hubs are easy to get to” from the list" \
            in response.content.decode()
    assert survey.revisions.count() == revisions


def test_people_who_may_not_edit_the_page_are_refused(client, survey, resident, officer):
    client.force_login(officer)  # officers edit pages, so they set conditions
    assert client.get(url(survey)).status_code == 200
    client.force_login(resident)
    assert client.get(url(survey)).status_code == 403
    assert client.post(url(survey), {}).status_code == 403


def test_deleting_the_earlier_question_is_refused_naming_both(survey):
    def delete_single(raw):
        raw[0]["value"]["questions"].pop(1)

    with pytest.raises(ValidationError) as error:
        save(survey, delete_single)
    assert ("“Which services have you used?” depends on “Do you have children under 5?”, "
            "which has been removed") in str(error.value)


def test_moving_the_earlier_question_after_or_beside_it_is_refused_naming_both(survey):
    def move_into_same_section(raw):
        single = raw[0]["value"]["questions"].pop(1)
        raw[1]["value"]["questions"].insert(0, single)

    def move_after(raw):
        single = raw[0]["value"]["questions"].pop(1)
        raw[2]["value"]["questions"].append(single)

    for change in (move_into_same_section, move_after):
        with pytest.raises(ValidationError) as error:
            save(survey, change)
        assert ("“Which services have you used?” depends on “Do you have children under 5?”, "
                "which must be in an earlier section") in str(error.value)


def test_removing_the_chosen_option_is_refused_naming_both(survey):
    def remove_yes(raw):
        single = by_label(raw, SINGLE)["value"]
        single["options"] = single["options"][1:] + options("Not sure")

    with pytest.raises(ValidationError) as error:
        save(survey, remove_yes)
    message = str(error.value)
    assert "“Which services have you used?” depends on the answer “Yes” to " \
        "“Do you have children under 5?”, which has been removed" in message


def test_a_broken_condition_is_shown_on_the_screen_and_can_be_cleared(client, survey,
                                                                       superuser):
    def remove_yes(raw):
        single = by_label(raw, SINGLE)["value"]
        single["options"] = single["options"][1:] + options("Not sure")

    # the editor refuses this too; a revision made without it (say an old one) may still hold it
    save(survey, remove_yes, publish=False, validate=False)
    client.force_login(superuser)
    html = client.get(url(survey)).content.decode()
    assert "There is a problem" in html and "which has been removed" in html
    multiple = by_label(raw_of(survey), MULTIPLE)
    assert client.post(url(survey), {f"condition-{multiple['id']}": ""}).status_code == 302
    draft = SurveyPage.objects.get(pk=survey.pk).get_latest_revision_as_object()
    draft.full_clean()
    draft.save_revision().publish()
    assert q(survey, Question.MULTIPLE).show_if_option is None


def test_rewording_the_earlier_question_keeps_an_id_condition(survey):
    def by_ids(raw):
        single = by_label(raw, SINGLE)
        value = by_label(raw, MULTIPLE)["value"]
        value["show_if_question"] = single["id"]
        value["show_if_answer"] = single["value"]["options"][0]["id"]

    def reword(raw):
        single = by_label(raw, SINGLE)["value"]
        single["question"] = "Do you look after a child aged 0 to 5?"
        single["options"][0]["value"]["label"] = "Yes, I do"

    save(survey, by_ids)
    save(survey, reword)
    yes = Option.objects.get(question=q(survey, Question.SINGLE), label="Yes, I do")
    assert q(survey, Question.MULTIPLE).show_if_option == yes


def test_the_migration_turns_wording_into_ids_and_leaves_unmatched_wording():
    first = block("single_choice", question("Do you drive?", options=options("Yes", "No")))
    later = block("likert", question("Parking is easy", show_if_question=" do you DRIVE? ",
                                     show_if_answer="yes"))
    unmatched = block("likert", question("Buses are good", show_if_question="Do you cycle?",
                                         show_if_answer="Yes"))
    same_section = block("likert", question("Roads are safe", show_if_question="Do you drive?",
                                            show_if_answer="No"))
    raw = [block("section", {"title": "A", "questions": [first, same_section]}),
           block("section", {"title": "B", "questions": [later, unmatched]})]
    assert migration.conditions_to_ids(raw) is True
    yes = first["value"]["options"][0]["id"]
    assert (later["value"]["show_if_question"], later["value"]["show_if_answer"]) == (
        first["id"], yes)
    assert unmatched["value"]["show_if_question"] == "Do you cycle?"
    assert same_section["value"]["show_if_question"] == "Do you drive?"
    assert migration.conditions_to_ids(raw) is False  # ids are left alone


def test_condition_rows_offer_only_choice_questions_of_earlier_sections(survey):
    rows = {row.label: row for row in skip_logic.condition_rows(survey)}
    assert rows[SINGLE].groups == []
    offered = [label for label, _options in rows["Anything else?"].groups]
    assert offered == [SINGLE, MULTIPLE]
    assert "Equality" not in " ".join(rows)
