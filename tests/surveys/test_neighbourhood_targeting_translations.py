"""A survey's neighbourhoods go through its revisions and follow it into every translation.

`SurveyPage.neighbourhoods` is a ParentalManyToManyField: an editor's draft (or a page
submitted for moderation) keeps the new targeting in its revision and the live survey keeps
the old one until it is published; wagtail-localize copies it to each translation on every
sync, not only when the translation is first made (docs/languages.md, "Sync policy").
"""

import json
import uuid

import pytest
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, rich_text
from wagtail_localize.models import Translation, TranslationSource

from portal.neighbourhoods.models import Neighbourhood
from surveys.forms import map_neighbourhoods
from surveys.happenings import happenings
from surveys.models import Question, SurveyPage

from .conftest import block, make_survey, map_sections, question
from .test_languages_pooled import translate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    cache.clear()


def named(*names):
    return [Neighbourhood.objects.get(name=name) for name in names]


def targeted(page) -> set[str]:
    """The neighbourhoods the live survey targets, read from the database."""
    return set(Neighbourhood.objects.filter(surveys=page.pk).values_list("name", flat=True))


def resync(page, locale_code="cy"):
    """What "Sync translated pages" does: take the source's current content, publish again."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    source.update_from_db()
    translation = Translation.objects.get(source=source, target_locale__language_code=locale_code)
    with TestCase.captureOnCommitCallbacks(execute=True):  # wagtail-localize publishes on commit
        translation.save_target(publish=True)
    return SurveyPage.objects.get(translation_key=page.translation_key,
                                  locale__language_code=locale_code)


def retarget(page, *names):
    """Publish the English survey with new neighbourhoods, as an editor would."""
    page.neighbourhoods = named(*names)
    page.save_revision().publish()


@pytest.fixture
def harlesden_survey(survey_index):
    return make_survey(survey_index, title="Harlesden parks survey", slug="parks",
                       sections=map_sections(), neighbourhoods=named("Harlesden"))


def test_a_translation_starts_with_the_source_neighbourhoods(harlesden_survey):
    welsh = translate(harlesden_survey)
    assert welsh.locale.language_code == "cy"
    assert targeted(welsh) == targeted(harlesden_survey) == {"Harlesden"}


def test_a_changed_targeting_reaches_the_translation_on_the_next_sync(harlesden_survey):
    welsh = translate(harlesden_survey)
    retarget(harlesden_survey, "Kilburn", "Willesden")
    assert targeted(welsh) == {"Harlesden"}  # until it is synced
    welsh = resync(harlesden_survey)
    assert targeted(welsh) == {"Kilburn", "Willesden"}
    assert set(welsh.get_latest_revision_as_object().neighbourhoods.values_list(
        "name", flat=True)) == {"Kilburn", "Willesden"}


def test_a_survey_of_the_whole_area_makes_its_translation_one_too(harlesden_survey):
    """wagtail-localize copies no empty many-to-many value; `follow_source_targeting` does."""
    welsh = translate(harlesden_survey)
    retarget(harlesden_survey)
    welsh = resync(harlesden_survey)
    assert targeted(welsh) == set()
    kilburn = named("Kilburn")[0]
    assert SurveyPage.objects.for_neighbourhood(kilburn).filter(pk=welsh.pk).exists()


def test_every_translation_follows_not_only_welsh(harlesden_survey):
    welsh, arabic = translate(harlesden_survey), translate(harlesden_survey, "ar")
    retarget(harlesden_survey, "Wembley")
    assert targeted(resync(harlesden_survey, "ar")) == {"Wembley"}
    assert targeted(resync(harlesden_survey)) == {"Wembley"}
    assert {welsh.pk, arabic.pk} == set(SurveyPage.objects.exclude(
        pk=harlesden_survey.pk).filter(neighbourhoods__name="Wembley").values_list("pk", flat=True))


def test_the_translation_keeps_the_targeting_when_published_again_unsynced(harlesden_survey):
    welsh = translate(harlesden_survey)
    welsh.save_revision().publish()  # e.g. a translator publishes again, nothing synced
    assert targeted(welsh) == {"Harlesden"}


def test_a_translation_converted_to_manual_editing_keeps_its_own(harlesden_survey):
    welsh = translate(harlesden_survey)
    Translation.objects.filter(target_locale=welsh.locale).update(enabled=False)
    welsh.neighbourhoods = named("Wembley")
    welsh.save_revision().publish()
    assert targeted(welsh) == {"Wembley"} and targeted(harlesden_survey) == {"Harlesden"}


def test_a_translation_whose_source_was_deleted_publishes_and_keeps_its_own(harlesden_survey):
    welsh = translate(harlesden_survey)
    harlesden_survey.delete()
    welsh = SurveyPage.objects.get(pk=welsh.pk)
    welsh.save_revision().publish()
    assert welsh.live and targeted(welsh) == {"Harlesden"}


def test_a_draft_leaves_the_live_targeting_alone_until_published(harlesden_survey):
    harlesden, kilburn = named("Harlesden", "Kilburn")
    harlesden_survey.neighbourhoods = [kilburn]
    revision = harlesden_survey.save_revision()  # a draft, or a page submitted for moderation
    assert targeted(harlesden_survey) == {"Harlesden"}
    live = SurveyPage.objects.get(pk=harlesden_survey.pk)
    assert list(live.neighbourhoods.values_list("name", flat=True)) == ["Harlesden"]
    assert SurveyPage.objects.for_neighbourhood(harlesden).filter(pk=live.pk).exists()
    assert not SurveyPage.objects.for_neighbourhood(kilburn).filter(pk=live.pk).exists()
    assert [name for _pk, name in map_neighbourhoods(pin(live))] == ["Harlesden"]
    assert set(live.get_latest_revision_as_object().neighbourhoods.values_list(
        "name", flat=True)) == {"Kilburn"}
    revision.publish()
    assert targeted(harlesden_survey) == {"Kilburn"}
    assert not SurveyPage.objects.for_neighbourhood(harlesden).filter(pk=live.pk).exists()


def test_what_is_said_about_a_survey_uses_the_live_targeting(harlesden_survey):
    kilburn = named("Kilburn")[0]
    harlesden_survey.neighbourhoods = [kilburn]
    harlesden_survey.save_revision()  # a draft
    opened = [h for h in happenings() if h.title == harlesden_survey.title]
    assert opened and {h.neighbourhood_ids for h in opened} == {frozenset(
        {named("Harlesden")[0].pk})}


def pin(page):
    return Question.objects.get(survey=page, kind=Question.MAP_PIN)


def test_the_welsh_answer_form_offers_the_same_neighbourhoods(harlesden_survey, client):
    welsh = translate(harlesden_survey)
    retarget(harlesden_survey, "Kilburn", "Willesden")
    welsh = resync(harlesden_survey)
    english = [name for _pk, name in map_neighbourhoods(pin(harlesden_survey))]
    assert english == ["Kilburn", "Willesden"]
    assert [name for _pk, name in map_neighbourhoods(pin(welsh))] == english
    page = client.get(f"{welsh.url}step/1/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kilburn" in html and "Willesden" in html and "Harlesden</option>" not in html


# The admin edit form ---------------------------------------------------------------------
SECTION_ID, QUESTION_ID = str(uuid.uuid4()), str(uuid.uuid4())


def likert_sections():
    return [block("section", {"title": "Parks", "introduction": "", "questions": [
        block("likert", question("The park feels safe"), QUESTION_ID)]}, SECTION_ID)]


def stream(items):
    """A StreamField as the admin posts it, each block with its id (`(type, value, id)`)."""
    data = {str(index): {"type": kind, "value": value, "id": block_id, "deleted": "",
                         "order": str(index)}
            for index, (kind, value, block_id) in enumerate(items)}
    return {**data, "count": str(len(items))}


def admin_data(page, targets, **extra):
    """The edit form as the admin posts it: every field as it is, `targets` (neighbourhoods or
    raw values) as the neighbourhoods."""
    when = "%Y-%m-%d %H:%M"
    question_value = {"question": "The park feels safe", "help_text": "", "required": "on",
                      "theme": "", "show_if_question": "", "show_if_answer": ""}
    data = {
        "title": page.title, "slug": page.slug, "introduction": page.introduction,
        "background": stream([]),
        "opens_at": timezone.localtime(page.opens_at).strftime(when),
        "closes_at": timezone.localtime(page.closes_at).strftime(when),
        "estimated_minutes": page.estimated_minutes, "one_response_only": "on",
        "scale_order": page.scale_order, "double_entry_every": page.double_entry_every,
        "privacy_notice": rich_text("<p>The council holds your answers.</p>"),
        "sections": stream([("section", {
            "title": "Parks", "introduction": "", "questions": stream(
                [("likert", question_value, QUESTION_ID)])}, SECTION_ID)]),
        "outcome_heard": rich_text(""), "outcome_decided": rich_text(""),
        "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0,
                     "MAX_NUM_FORMS": 1000},
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
    }
    data.update(extra)
    # A list is posted as repeated values, which nested_form_data would number instead.
    return {**nested_form_data(data), "neighbourhoods": [getattr(n, "pk", n) for n in targets]}


@pytest.mark.parametrize("who", ["superuser", "officer"])
def test_the_admin_saves_neighbourhoods_through_a_draft_then_publish(
        survey_index, client, who, request):
    page = make_survey(survey_index, title="Parks survey", slug="parks-admin",
                       sections=likert_sections(), neighbourhoods=named("Harlesden"))
    client.force_login(request.getfixturevalue(who))
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    kilburn, willesden = named("Kilburn", "Willesden")
    r = client.post(edit, admin_data(page, [kilburn, willesden]))
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    assert targeted(page) == {"Harlesden"}  # a draft: the live survey is unchanged
    page.refresh_from_db()
    assert page.has_unpublished_changes
    assert set(page.get_latest_revision_as_object().neighbourhoods.values_list(
        "name", flat=True)) == {"Kilburn", "Willesden"}
    r = client.post(edit, admin_data(page, [kilburn, willesden], **{"action-publish": "1"}))
    assert r.status_code == 302
    assert targeted(page) == {"Kilburn", "Willesden"}
    r = client.post(edit, admin_data(page, [], **{"action-publish": "1"}))
    assert r.status_code == 302 and targeted(page) == set()  # the whole area


def test_the_admin_refuses_an_unknown_neighbourhood_with_a_message(survey_index, client,
                                                                   superuser):
    page = make_survey(survey_index, title="Parks survey", slug="parks-admin",
                       sections=likert_sections(), neighbourhoods=named("Harlesden"))
    client.force_login(superuser)
    r = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    admin_data(page, ["999999"]))
    assert r.status_code == 200
    assert "neighbourhoods" in r.context["form"].errors
    assert targeted(page) == {"Harlesden"}



def test_a_copied_survey_keeps_its_targeting(harlesden_survey):
    copy = harlesden_survey.copy(update_attrs={"title": "Parks again", "slug": "parks-again"})
    assert copy.pk != harlesden_survey.pk and targeted(copy) == {"Harlesden"}
    assert set(copy.get_latest_revision_as_object().neighbourhoods.values_list(
        "name", flat=True)) == {"Harlesden"}


def test_a_revision_saved_before_the_change_keeps_the_live_targeting(harlesden_survey):
    """Revisions from before migration 0011 hold no neighbourhoods: publishing or translating
    one leaves the live survey's (and gives its translation the source's live ones)."""
    revision = harlesden_survey.save_revision()
    del revision.content["neighbourhoods"]
    revision.save(update_fields=["content"])
    revision.publish()
    assert targeted(harlesden_survey) == {"Harlesden"}
    source, _created = TranslationSource.get_or_create_from_instance(harlesden_survey)
    content = json.loads(source.content_json)
    del content["neighbourhoods"]
    TranslationSource.objects.filter(pk=source.pk).update(content_json=json.dumps(content))
    assert targeted(translate_unsynced(harlesden_survey)) == {"Harlesden"}


def translate_unsynced(page):
    """`translate`, without refreshing the source's snapshot first."""
    source = TranslationSource.objects.get(object_id=page.translation_key)
    locale, _created = Locale.objects.get_or_create(language_code="cy")
    page.get_parent().copy_for_translation(locale)
    translation, _created = Translation.objects.get_or_create(source=source,
                                                              target_locale=locale)
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_target(publish=True)
    return page.get_translation(locale)
