"""The demo in Welsh: `load_demo_translations` publishes every live demo page in Welsh through
wagtail-localize's own workflow (source, translation, PO file, saved target), from
portal/demo/content_translations/cy.po. The suite's shared full demo (it takes a while)."""

import io

import polib
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Locale, Page, Revision

from portal.management.commands.load_demo_translations import DEMO_FILES
from tests.conftest import full_demo_output

pytestmark = pytest.mark.django_db

PAGE_TYPES = {"HomePage", "NeighbourhoodIndexPage", "NeighbourhoodPage", "StandardPage",
              "AssetMapPage", "SurveyIndexPage", "SurveyPage", "PrioritiesPage",
              "LocalityPlanIndexPage", "LocalityPlanPage", "ForumIndexPage", "ForumEventPage"}


@pytest.fixture
def welsh_demo(full_demo):
    """The demo as `make run` loads it, translated with --strict (the suite's shared full demo).
    Returns the translations command's output."""
    return full_demo_output()


def english_pages():
    return Page.objects.filter(locale=Locale.get_default(), depth__gt=1).live().specific()


def welsh():
    return Locale.objects.get(language_code="cy")


def test_every_live_demo_page_is_published_in_welsh(welsh_demo):
    from wagtail_localize.models import StringTranslation, Translation

    english = list(english_pages())
    assert {type(page).__name__ for page in english} == PAGE_TYPES
    assert f"{len(english)} pages translated and published" in welsh_demo
    for page in english:
        translation = page.get_translation(welsh()).specific
        assert translation.live and not translation.has_unpublished_changes, page.url_path
        if page.depth > 2:  # the Welsh home is the English one's sibling: "home-1"
            assert translation.slug == page.slug
        assert Translation.objects.filter(source__object_id=page.translation_key,
                                          target_locale=welsh()).count() == 1
    assert Page.objects.filter(locale=welsh()).count() == len(english)  # no duplicates
    types = set(StringTranslation.objects.filter(locale=welsh())
                .values_list("translation_type", flat=True))
    assert types == {StringTranslation.TRANSLATION_TYPE_MANUAL}


def test_the_welsh_text_is_welsh(welsh_demo, client):
    from portal.pages.models import NeighbourhoodPage, StandardPage

    harlesden = NeighbourhoodPage.objects.get(slug="harlesden", locale=welsh())
    assert "mai <b>caledi ariannol</b>, y <b>risg o ddigartrefedd</b>" in harlesden.description
    assert StandardPage.objects.get(slug="privacy", locale=welsh()).title == \
        "Hysbysiad preifatrwydd"
    html = client.get("/cy/forums/harlesden-forum-previous/").content.decode()
    assert "Pleidleisio â dotiau ar y blaenoriaethau" in html
    assert "Dot voting on priorities" not in html
    html = client.get("/cy/have-your-say/what-matters-most/").content.decode()
    assert "Beth sydd bwysicaf yn eich cymdogaeth chi?" in html


def test_a_welsh_survey_keeps_the_english_block_ids(welsh_demo):
    from surveys.models import SurveyPage

    english = SurveyPage.objects.get(slug="what-matters-most", locale=Locale.get_default())
    translation = english.get_translation(welsh())

    def shape(survey):
        return [(section.id, [(question.id, [option.get("id") for option in
                                             question.value.get("options") or []])
                             for question in section.value["questions"]])
                for section in survey.sections]

    assert shape(translation) == shape(english)
    questions = [question.value.get("question") for section in translation.sections
                 for question in section.value["questions"]]
    assert "Ble rydych chi'n byw?" in questions
    assert "Where do you live?" not in questions


def counts():
    from wagtail_localize.models import (
        StringTranslation,
        Translation,
        TranslationLog,
        TranslationSource,
    )

    return {model.__name__: model.objects.count() for model in (
        Page, Revision, TranslationSource, Translation, StringTranslation, TranslationLog)}


def test_running_again_changes_nothing(welsh_demo):
    before = counts()
    out = io.StringIO()
    call_command("load_demo_translations", "--strict", stdout=out)
    assert "0 pages translated and published" in out.getvalue()
    assert counts() == before


RANK = "Rank the three issues that matter most for your neighbourhood"  # in one survey only


def without(tmp_path, msgid):
    """A copy of cy.po in tmp_path without one entry."""
    catalogue = polib.pofile(str(DEMO_FILES / "cy.po"))
    catalogue.remove(catalogue.find(msgid))
    catalogue.save(str(tmp_path / "cy.po"))
    return str(tmp_path)


def test_a_missing_string_is_named_and_the_page_left_alone(welsh_demo, tmp_path):
    from surveys.models import SurveyPage

    files = without(tmp_path, RANK)
    before = counts()
    out = io.StringIO()
    call_command("load_demo_translations", "--files", files, stdout=out)
    output = out.getvalue()
    assert ("/what-matters-most/ “What matters most in your neighbourhood?”: 1 string missing "
            f"from cy.po (“{RANK[:60]}…”); "
            "the page was left as it is.") in output
    assert "Traceback" not in output
    assert counts() == before
    survey = SurveyPage.objects.get(slug="what-matters-most", locale=welsh())
    assert survey.sections[1].value["questions"][0].value["question"] == \
        "Rhowch y tri mater sydd bwysicaf i'ch cymdogaeth yn eu trefn"


def test_a_missing_string_fails_with_strict(welsh_demo, tmp_path):
    files = without(tmp_path, RANK)
    expected = (r"Strings are missing from the demo translations \(--strict\): cy: 1 page "
                r"\(/.*/what-matters-most/ “What matters most in your neighbourhood\?”, 1 string "
                rf"missing: “{RANK[:60]}…”\)\. "
                r"Nothing was saved\.")
    with pytest.raises(CommandError, match=expected):
        call_command("load_demo_translations", "--strict", "--files", files,
                     stdout=io.StringIO())


def test_a_language_the_site_does_not_offer_is_refused(welsh_demo):
    with pytest.raises(CommandError, match="The site does not offer 'pl'"):
        call_command("load_demo_translations", "--language", "pl", stdout=io.StringIO())


def test_an_unreadable_demo_file_is_a_clear_error(welsh_demo, tmp_path):
    (tmp_path / "cy.po").write_text('msgid "Neighbourhoods"\nCymdogaethau\n')
    with pytest.raises(CommandError, match=r"Cannot read the demo translations in .*cy\.po: "
                                           r"Syntax error in po file .* \(line 2\)"):
        call_command("load_demo_translations", "--files", str(tmp_path), stdout=io.StringIO())


def test_the_demo_file_is_complete_and_well_formed():
    catalogue = polib.pofile(str(DEMO_FILES / "cy.po"))
    assert catalogue.percent_translated() == 100
    assert not catalogue.fuzzy_entries() and not catalogue.obsolete_entries()
    for entry in catalogue:
        assert entry.msgstr.count("<") == entry.msgid.count("<"), entry.msgid  # inline tags kept
