"""The question bank: each question valid for the survey blocks, added with one click."""

import pytest
from django.urls import reverse

from surveys import question_bank
from surveys.blocks import SurveySectionsBlock
from surveys.models import Question, SurveyPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_staff_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False


def test_every_bank_question_is_a_valid_block(demo_site):
    sections = question_bank.add_to_sections([], question_bank.BANK[0], None)
    for entry in question_bank.BANK[1:]:
        sections = question_bank.add_to_sections(sections, entry, 0)
    stream = SurveySectionsBlock()
    stream.clean(stream.to_python(sections))  # raises ValidationError if any is invalid
    ids = [child["id"] for child in sections[0]["value"]["questions"]]
    assert len(ids) == len(set(ids)) == len(question_bank.BANK)


def test_the_equality_entry_is_the_equality_block():
    entry = question_bank.BY_KEY["equality"]
    assert entry.kind == "equality" and entry.once


def test_the_bank_lists_every_question_with_a_button(survey, client, officer):
    client.force_login(officer)
    r = client.get(reverse("surveys_library:question_bank", args=[survey.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('name="question"') == len(question_bank.BANK)
    assert "Equality monitoring (ONS harmonised questions)" in html


def test_adding_a_question_makes_a_draft_and_returns_to_the_edit_page(survey, client, officer):
    client.force_login(officer)
    url = reverse("surveys_library:question_bank", args=[survey.pk])
    r = client.post(url, {"question": "how_heard", "section": "1"}, follow=True)
    edit = reverse("wagtailadmin_pages:edit", args=[survey.pk])
    assert r.redirect_chain[-1][0] == edit
    assert "“How did you hear about this survey?” added" in r.content.decode()
    draft = SurveyPage.objects.get(pk=survey.pk).get_latest_revision_as_object()
    added = draft.sections[1].value["questions"][-1]
    assert added.block_type == "multiple_choice" and len(added.value["options"]) == 8
    live = SurveyPage.objects.get(pk=survey.pk)
    assert len(live.sections[1].value["questions"]) == 2  # the live survey is unchanged
    draft.save_revision().publish()
    assert Question.objects.filter(survey=survey, label="How did you hear about this survey?",
                                   retired=False).exists()


def test_a_new_section_is_named_after_the_group(survey, client, officer):
    client.force_login(officer)
    client.post(reverse("surveys_library:question_bank", args=[survey.pk]),
                {"question": "satisfaction_area", "section": "new"})
    draft = SurveyPage.objects.get(pk=survey.pk).get_latest_revision_as_object()
    assert len(draft.sections) == 4
    assert draft.sections[3].value["title"] == "Satisfaction"
    options = draft.sections[3].value["questions"][0].value["options"]
    assert [o["label"] for o in options][0] == "Very satisfied"


@pytest.mark.parametrize(("data", "message"), [
    ({"question": "equality", "section": "2"}, "already has “Equality monitoring"),
    ({"question": "where_you_live", "section": "new"}, "already has “Where do you live?”"),
    ({"question": "how_heard", "section": "9"}, "Choose one of the survey"),
    ({"question": "nonsense", "section": "0"}, "That question is not in the bank."),
    ({"section": "0"}, "Choose a question to add."),
])
def test_bad_input_is_refused_with_a_message_and_changes_nothing(survey, client, officer, data,
                                                                 message):
    client.force_login(officer)
    revisions = survey.revisions.count()
    r = client.post(reverse("surveys_library:question_bank", args=[survey.pk]), data)
    assert r.status_code == 400
    html = r.content.decode()
    assert "There is a problem" in html and message in html
    assert survey.revisions.count() == revisions


def test_a_theme_ranking_needs_two_themes(demo_site):
    from portal.themes.models import Theme

    entry = question_bank.BY_KEY["rank_themes"]
    ranking = entry.block()
    themes = [option["value"]["theme"] for option in ranking["value"]["options"]]
    assert len(themes) >= 2 and all(themes)
    Theme.objects.update(is_active=False)
    with pytest.raises(question_bank.BankError, match="at least two active themes"):
        entry.block()


@pytest.mark.parametrize("role", ["councillor", "resident", "vcs_owner"])
def test_only_people_who_may_edit_the_survey_use_the_bank(survey, client, people, role):
    client.force_login(people[role])
    url = reverse("surveys_library:question_bank", args=[survey.pk])
    assert client.get(url).status_code in (302, 403)  # Wagtail's admin redirects a refusal
    assert client.post(url, {"question": "how_heard", "section": "0"}).status_code in (302, 403)
    assert survey.revisions.count() == 1
