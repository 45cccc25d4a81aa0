"""Themes translated through wagtail-localize (issue 13, item 1).

The default-locale row is the theme every relation points at; a translation only gives its
name and description in another language. `Theme.objects` sees one row per theme,
`Theme.all_locales` every row, and residents reading in Welsh see Welsh names.
"""

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from portal.themes.models import Theme
from portal.themes.names import localized_names, theme_name, translated_name
from portal.themes.translations import ThemeTranslationError, translate_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(demo_site):
    from surveys.models import SurveyIndexPage
    from tests.surveys.conftest import make_survey

    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    return make_survey(index)


@pytest.fixture
def welsh(db):
    return Locale.objects.get_or_create(language_code="cy")[0]


@pytest.fixture
def housing(db):
    return Theme.objects.get(slug="housing")


@pytest.fixture
def welsh_housing(housing, welsh):
    return translate_theme(housing, welsh, "Tai", "Cyflwr a chost cartrefi.")


def test_a_translation_is_made_through_wagtail_localize(housing, welsh, welsh_housing):
    assert welsh_housing.pk != housing.pk
    assert welsh_housing.locale_id == welsh.pk
    assert welsh_housing.translation_key == housing.translation_key
    assert (welsh_housing.name, welsh_housing.description) == ("Tai", "Cyflwr a chost cartrefi.")
    # Slug, colour and active flag are kept in step with the theme, not translated.
    assert (welsh_housing.slug, welsh_housing.colour) == (housing.slug, housing.colour)
    assert housing.get_translation(welsh) == welsh_housing
    assert list(housing.get_translations()) == [welsh_housing]
    assert TranslationSource.objects.get_for_instance(housing).translations.filter(
        target_locale=welsh).exists()


def test_objects_still_sees_one_row_per_theme(housing, welsh_housing):
    seeded = 16
    assert Theme.objects.count() == seeded
    assert Theme.all_locales.count() == seeded + 1
    assert Theme.objects.filter(slug="housing").get() == housing
    assert Theme.objects.active().filter(name="Tai").count() == 0
    assert Theme._default_manager is Theme.all_locales


def test_names_and_slugs_are_unique_per_locale(housing, welsh, welsh_housing):
    # The Welsh row may keep the English slug; another English row may not take it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(name="Housing", slug="housing-2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(name="Homes", slug="housing")
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.all_locales.create(name="Tai", slug="tai", locale=welsh,
                                 translation_key=uuid.uuid4())
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.all_locales.create(name="Tai eraill", slug="housing", locale=welsh,
                                 translation_key=uuid.uuid4())
    # An English name (or slug) may be used again in Welsh.
    same_name = Theme.all_locales.create(name="Housing", slug="homelessness", locale=welsh,
                                         translation_key=uuid.uuid4())
    assert same_name.pk and Theme.objects.filter(name="Housing").get() == housing


def test_translating_again_updates_the_translation(housing, welsh, welsh_housing):
    again = translate_theme(housing, welsh, "Tai a chartrefi")
    assert again.pk == welsh_housing.pk and again.name == "Tai a chartrefi"
    assert again.description == "Cyflwr a chost cartrefi."  # earlier translation kept
    assert Theme.all_locales.filter(translation_key=housing.translation_key).count() == 2


def test_bad_translation_requests_are_refused(housing, welsh, welsh_housing):
    english = Locale.get_default()
    with pytest.raises(ThemeTranslationError, match="its own language"):
        translate_theme(housing, english, "Housing")
    with pytest.raises(ThemeTranslationError, match="not a translation"):
        translate_theme(welsh_housing, english, "Housing")
    with pytest.raises(ThemeTranslationError, match="name in the other language"):
        translate_theme(housing, welsh, "   ")


def test_names_in_the_active_language(housing, welsh_housing):
    homelessness = Theme.objects.get(slug="homelessness")
    with translation.override("cy"):
        names = localized_names()
        assert names[housing.pk] == "Tai"
        assert names[homelessness.pk] == "Homelessness"  # no translation yet: English
        assert welsh_housing.pk not in names
        assert theme_name(housing) == theme_name(housing.pk) == "Tai"
        assert translated_name(housing.pk, "Housing") == "Tai"
    with translation.override("en"):
        assert theme_name(housing) == "Housing"
        assert localized_names()[housing.pk] == "Housing"
    assert theme_name(None) == "" and theme_name("not a theme") == "not a theme"


def test_a_translated_survey_keeps_pointing_at_the_theme(survey, housing, welsh,
                                                        welsh_housing):
    from surveys.models import SurveyPage

    sections = survey.sections.raw_data
    question = sections[0]["value"]["questions"][1]["value"]
    question["theme"] = housing.pk
    question["options"][0]["value"]["theme"] = housing.pk
    survey.sections = sections
    survey.save_revision().publish()

    source, _created = TranslationSource.get_or_create_from_instance(survey)
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        StringTranslation.objects.create(
            translation_of=segment.string, locale=welsh, context=segment.context,
            data=f"[cy] {segment.string.data}")
    record = Translation.objects.create(source=source, target_locale=welsh)
    with TestCase.captureOnCommitCallbacks(execute=True):
        record.save_target(publish=True)

    welsh_survey = SurveyPage.objects.get(translation_key=survey.translation_key,
                                          locale=welsh)
    welsh_question = welsh_survey.sections.raw_data[0]["value"]["questions"][1]["value"]
    assert welsh_question["theme"] == housing.pk
    assert welsh_question["options"][0]["value"]["theme"] == housing.pk
    assert welsh_question["question"].startswith("[cy] ")
    assert not welsh_survey.sections.raw_data == sections  # the words were translated


def test_the_alerts_page_shows_theme_names_in_the_readers_language(client, housing,
                                                                   welsh_housing):
    english = client.get("/alerts/").content.decode()
    assert "Housing" in english
    assert "Tai" not in english
    welsh_page = client.get("/cy/alerts/").content.decode()
    assert "Tai" in welsh_page
    assert "Homelessness" in welsh_page  # not translated yet: the English name


def test_listing_theme_names_costs_no_query_per_theme(client, welsh, welsh_housing,
                                                      django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/cy/alerts/").status_code == 200
    for number in range(12):
        theme = Theme.objects.create(name=f"Theme {number}", slug=f"theme-{number}")
        translate_theme(theme, welsh, f"Thema {number}")
    with django_assert_max_num_queries(len(few)):
        page = client.get("/cy/alerts/").content.decode()
    assert "Thema 11" in page


def test_demo_theme_translations_are_idempotent(welsh):
    call_command("load_demo_theme_translations", stdout=io.StringIO())
    call_command("load_demo_theme_translations", stdout=io.StringIO())
    assert Theme.all_locales.filter(locale=welsh).count() == Theme.objects.count()
    with translation.override("cy"):
        names = localized_names()
    assert names[Theme.objects.get(slug="mental-health").pk] == "Iechyd meddwl"
    assert names[Theme.objects.get(slug="housing").pk] == "Tai"


def test_the_snippet_admin_offers_translate_and_lists_every_locale(client, superuser, housing,
                                                                   welsh_housing, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False  # staff MFA is tested with the accounts
    client.force_login(superuser)
    listing = client.get("/admin/snippets/themes/theme/").content.decode()
    homelessness = Theme.objects.get(slug="homelessness")  # not yet translated: "Translate"
    assert f"/admin/localize/submit/snippet/themes/theme/{homelessness.pk}/" in listing
    assert f"/admin/localize/submit/snippet/themes/theme/{housing.pk}/" not in listing
    welsh_edit = client.get(f"/admin/snippets/themes/theme/edit/{welsh_housing.pk}/")
    assert welsh_edit.status_code == 200 and "Tai" in welsh_edit.content.decode()
    welsh_listing = client.get("/admin/snippets/themes/theme/?locale=cy").content.decode()
    assert "Tai" in welsh_listing
    # Editors choosing a theme for a survey question pick from the themes themselves.
    chooser = client.get("/admin/snippets/choose/themes/theme/")
    assert chooser.status_code == 200
    assert "Housing" in chooser.json()["html"] and "Tai" not in chooser.json()["html"]


def test_forum_ballot_and_priority_rows_use_the_readers_language(housing, welsh_housing):
    from forums.forms import VoteForm
    from forums.models import ForumEventPage
    from forums.votes import public_tally

    with translation.override("cy"):
        choices = dict(VoteForm(event=ForumEventPage(title="Fforwm")).fields["themes"].choices)
        assert choices[str(housing.pk)] == "Tai"
        assert public_tally([(theme_name(housing), 12)])[0]["theme"] == "Tai"
    with translation.override("en"):
        choices = dict(VoteForm(event=ForumEventPage(title="Forum")).fields["themes"].choices)
        assert choices[str(housing.pk)] == "Housing"


def test_the_asset_map_filter_names_themes_in_the_readers_language(housing, welsh_housing):
    from assets_map.forms import AssetFilterForm

    with translation.override("cy"):
        labels = [label for _value, label in AssetFilterForm().fields["theme"].choices]
    assert "Tai" in labels and "Housing" not in labels
    with translation.override("en"):
        labels = [label for _value, label in AssetFilterForm().fields["theme"].choices]
    assert "Housing" in labels and "Tai" not in labels


def test_no_translatable_model_lets_wagtail_localize_swap_a_theme():
    """Every foreign key to Theme on a page or translatable model is synchronised (the same
    default-locale theme in every translation), never translated."""
    from django.apps import apps
    from django.db import models
    from wagtail.models import TranslatableMixin
    from wagtail_localize.fields import TranslatableField, get_translatable_fields

    for model in apps.get_models():
        if not issubclass(model, TranslatableMixin) or model is Theme:
            continue
        fields = {field.field_name: field for field in get_translatable_fields(model)}
        for field in model._meta.get_fields():
            if (isinstance(field, models.ForeignKey) and field.related_model is Theme
                    and field.name in fields):
                assert not isinstance(fields[field.name], TranslatableField), (
                    f"{model.__name__}.{field.name} would point a translation at a translated "
                    "theme")


def test_the_plan_chart_labels_priorities_in_the_readers_language(housing, welsh_housing):
    from plans.charts import priorities_chart_svg

    item = {"number": 1, "theme": housing, "score": 0.41}
    with translation.override("cy"):
        assert "1. Tai" in priorities_chart_svg([item])
    with translation.override("en"):
        assert "1. Housing" in priorities_chart_svg([item])
