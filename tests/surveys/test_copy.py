"""Copying a survey: a new draft with new question identity, so answers never carry over."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import copying
from surveys.models import Answer, Question, Response, SurveyPage
from tests.surveys.conftest import respond

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_staff_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False


def block_ids(raw):
    """Every block id in raw StreamField data."""
    mapping = {}
    copying.collect_ids(raw, mapping)
    return set(mapping)


def publish_with_dates(page):
    draft = page.get_latest_revision_as_object()
    now = timezone.now()
    draft.opens_at, draft.closes_at = now - timedelta(days=1), now + timedelta(days=20)
    draft.save_revision().publish()
    return SurveyPage.objects.get(pk=page.pk)


def test_a_copy_is_a_draft_with_new_ids_and_no_dates(survey):
    copy = survey.copy()
    assert copy.pk != survey.pk and not copy.live
    assert copy.title == "Copy of Family hubs survey" and copy.slug == "copy-of-family-hubs-survey"
    source_ids = block_ids(survey.sections.get_prep_value())
    copy_ids = block_ids(copy.sections.get_prep_value())
    assert len(copy_ids) == len(source_ids) > 10 and not copy_ids & source_ids
    draft = copy.get_latest_revision_as_object()
    assert draft.opens_at is None and draft.closes_at is None
    assert block_ids(draft.sections.get_prep_value()) == copy_ids
    assert not Question.objects.filter(survey=copy).exists()  # nothing synced until published
    # A second copy gets a slug of its own.
    assert survey.copy().slug == "copy-of-family-hubs-survey-2"


def test_answers_to_the_copy_and_the_original_stay_apart(survey):
    copy = publish_with_dates(survey.copy())
    source_keys = set(Question.objects.filter(survey=survey).values_list("key", flat=True))
    copy_keys = set(Question.objects.filter(survey=copy).values_list("key", flat=True))
    assert len(copy_keys) == len(source_keys) and not copy_keys & source_keys
    respond(survey, single="Yes", likert=5, ranks=["Housing"])
    source_answers = Answer.objects.filter(survey=survey).count()
    respond(copy, single="No", likert=1, ranks=["Safety", "Housing"], text="copy only")
    respond(copy, single="No", likert=2)
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(survey=survey).count() == source_answers
    assert not Answer.objects.filter(survey=survey, question__survey=copy).exists()
    assert Response.objects.filter(survey=copy).count() == 2
    assert not Answer.objects.filter(survey=copy, question__survey=survey).exists()
    copy_single = Question.objects.get(survey=copy, kind=Question.SINGLE)
    assert Answer.objects.filter(question=copy_single, option__label="No").count() == 2


def test_editing_the_source_later_leaves_the_copy_alone(survey):
    copy = survey.copy()
    draft = survey.get_latest_revision_as_object()
    draft.sections[0].value["questions"][1].value["question"] = "Reworded in the source"
    draft.sections[1].value["questions"].pop()
    draft.save_revision().publish()
    copy = SurveyPage.objects.get(pk=copy.pk)
    for page in (copy, copy.get_latest_revision_as_object()):
        questions = page.sections[0].value["questions"]
        assert questions[1].value["question"] == "Do you have children under 5?"
        assert len(page.sections[1].value["questions"]) == 2
    copy = publish_with_dates(copy)
    assert Question.objects.filter(survey=copy, label="Do you have children under 5?").exists()


def test_conditions_naming_ids_follow_the_copy():
    raw = [{"type": "section", "id": "s1", "value": {"title": "A", "questions": [
        {"type": "single_choice", "id": "q1", "value": {"question": "Children?", "options": [
            {"type": "item", "id": "o1", "value": {"label": "Yes"}}]}}]}},
        {"type": "section", "id": "s2", "value": {"title": "B", "questions": [
            {"type": "text", "id": "q2", "value": {"question": "Which?", "show_if_question": "q1",
                                                   "show_if_answer": "o1"}},
            {"type": "text", "id": "q3", "value": {"question": "q1", "note": "q1_age"}}]}}]
    mapping = {}
    renewed = copying.renew_ids(raw, mapping)
    assert set(mapping) == {"s1", "q1", "o1", "s2", "q2", "q3"}
    condition = renewed[1]["value"]["questions"][0]["value"]
    assert condition["show_if_question"] == mapping["q1"]
    assert condition["show_if_answer"] == mapping["o1"]
    assert renewed[1]["value"]["questions"][1]["value"]["note"] == f"{mapping['q1']}_age"
    assert raw[1]["value"]["questions"][0]["value"]["show_if_question"] == "q1"  # untouched


def test_the_admin_copy_view_makes_a_draft_with_new_ids(survey, client, superuser):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:copy", args=[survey.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert b"Copy of Family hubs survey" in form.content
    assert b"publish_copies" not in form.content and b'name="alias"' not in form.content
    r = client.post(url, {"new_title": "Family hubs 2027", "new_slug": "family-hubs-2027",
                          "new_parent_page": survey.get_parent().pk})
    assert r.status_code == 302
    copy = SurveyPage.objects.get(slug="family-hubs-2027")
    assert not copy.live and copy.title == "Family hubs 2027"
    assert not block_ids(copy.sections.get_prep_value()) & block_ids(
        survey.sections.get_prep_value())
    for revision in copy.revisions.all():
        assert not block_ids(revision.content["sections"]) & block_ids(
            survey.sections.get_prep_value())
    assert copy.get_latest_revision_as_object().opens_at is None
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[copy.pk]))
    assert edit.status_code == 200


def test_a_copy_with_a_taken_slug_is_refused_with_a_message(survey, client, superuser):
    client.force_login(superuser)
    r = client.post(reverse("wagtailadmin_pages:copy", args=[survey.pk]), {
        "new_title": "Again", "new_slug": survey.slug, "new_parent_page": survey.get_parent().pk})
    assert r.status_code == 200 and b"already in use" in r.content
    assert SurveyPage.objects.count() == 1


def test_a_translation_keeps_its_source_ids(survey):
    from wagtail.models import Locale

    welsh, _created = Locale.objects.get_or_create(language_code="cy")
    survey.get_parent().copy_for_translation(welsh)
    translation = survey.copy_for_translation(welsh)
    assert block_ids(translation.sections.get_prep_value()) == block_ids(
        survey.sections.get_prep_value())


def test_a_copy_published_as_it_was_copied_gets_new_ids_and_registry_rows(survey):
    """Wagtail can copy a survey live (CopyPageAction with keep_live, as for an index page
    copied with its subpages): the hook renews it and remakes its registry rows."""
    from wagtail.actions.copy_page import CopyPageAction

    from surveys.wagtail_hooks import renew_copied_surveys

    copy = CopyPageAction(survey, update_attrs={"title": "Live copy", "slug": "live-copy"},
                          keep_live=True).execute()
    renew_copied_surveys(None, survey, copy)
    copy = SurveyPage.objects.get(pk=copy.pk)
    assert copy.live
    assert not block_ids(copy.sections.get_prep_value()) & block_ids(
        survey.sections.get_prep_value())
    keys = set(Question.objects.filter(survey=copy).values_list("key", flat=True))
    assert len(keys) == Question.objects.filter(survey=survey).count()
    assert not keys & set(Question.objects.filter(survey=survey).values_list("key", flat=True))
    assert not Question.objects.filter(survey=copy, retired=True).exists()
    assert copy.get_latest_revision_as_object().opens_at == survey.opens_at  # live: kept


def test_the_survey_list_offers_officers_a_copy(survey, client, officer, councillor):
    copy_url = reverse("wagtailadmin_pages:copy", args=[survey.pk])
    client.force_login(officer)
    assert copy_url in client.get(reverse("surveys_admin:list")).content.decode()
    client.force_login(councillor)
    assert copy_url not in client.get(reverse("surveys_admin:list")).content.decode()
