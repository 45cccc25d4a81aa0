"""The printed paper form: one instruction per question, a place to write every answer, no
nearly blank page, the office box on its lines, and the Welsh form in Welsh."""

import io

import pypdf
import pytest
from wagtail.models import Locale

from surveys.models import Question
from tests.conftest import make_user

from .conftest import block, make_survey, q, question


@pytest.fixture
def printer(client, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(make_user("printer@example.org", "Officers"))


def pages(client, path):
    response = client.get(path)
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return reader, [page.extract_text() for page in reader.pages]


def test_one_instruction_per_question_and_a_place_for_every_answer(survey, client, printer):
    multiple = q(survey, Question.MULTIPLE)
    multiple.help_text, multiple.config = "Select all that apply.", {}
    multiple.save()
    reader, texts = pages(client, f"/survey-paper/{survey.pk}/")
    text = "\n".join(texts)
    assert text.count("Tick all that apply.") == 1 and "Select all that apply" not in text
    assert "Your postcode, one letter or number in each box" in text
    assert "Or the name of your neighbourhood" in text
    # The online hint ("choose your neighbourhood from the list") is not printed.
    assert "choose" not in text.split("1. Where do you live?")[1].split("2. ")[0].lower()
    office = next(line for line in text.splitlines() if "Entered by" in line)
    assert "Paper reference" in office  # "Entered by ____" shares its line
    words = [len(page.split()) for page in texts]
    assert min(words) >= max(words) / 4, words  # no nearly blank page
    assert reader.metadata.title == "Family hubs survey"


def test_the_scale_prints_in_the_surveys_one_order(survey, client, printer):
    _reader, texts = pages(client, f"/survey-paper/{survey.pk}/")
    text = "\n".join(texts)
    assert text.index("Strongly agree") < text.index("Strongly disagree")
    survey.scale_order = "disagree_first"
    survey.save(update_fields=["scale_order"])
    _reader, texts = pages(client, f"/survey-paper/{survey.pk}/")
    text = "\n".join(texts)
    assert text.index("Strongly disagree") < text.index("Strongly agree")


def test_the_welsh_form_has_the_welsh_title_and_welsh_instructions(survey, client, printer):
    welsh_locale, _created = Locale.objects.get_or_create(language_code="cy")
    welsh = survey.copy_for_translation(welsh_locale, copy_parents=True)
    welsh.title = "Arolwg hybiau teulu"
    welsh.save_revision().publish()
    reader, texts = pages(client, f"/cy/survey-paper/{survey.pk}/")
    assert reader.metadata.title == "Arolwg hybiau teulu"
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert "Arolwg hybiau teulu" in texts[0] and "Family hubs survey" not in "\n".join(texts)
    assert "At ddefnydd y swyddfa" in texts[0]
    assert "Cyfeirnod papur" in texts[0]  # the new office-box strings are translated too
    # Without a Welsh translation the interface is still Welsh.
    survey_en_only = client.get(f"/survey-paper/{survey.pk}/")
    assert survey_en_only.status_code == 200


def test_a_statement_grid_prints_as_one_table_with_numbered_rows(survey_index, client, printer):
    statements = [block("item", {"statement": text, "theme": None})
                  for text in ("The park is clean", "The street feels safe")]
    survey = make_survey(survey_index, title="Grid survey", sections=[
        block("section", {"title": "Your area", "introduction": "", "questions": [
            block("statement_grid", question("How far do you agree?", statements=statements)),
            block("text", question("Anything else?", required=False, max_length=50)),
        ]})])
    _reader, texts = pages(client, f"/survey-paper/{survey.pk}/")
    text = "\n".join(texts)
    assert text.count("How far do you agree?") == 1
    assert "1. The park is clean" in text and "2. The street feels safe" in text
    assert "3. Anything else?" in text
    assert " ".join(text.split()).count("Strongly agree") == 1  # the scale heads the table
