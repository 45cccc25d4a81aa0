"""Answers given on any translation of a survey pool into one result (issue 13, item 2).

Translations are made through wagtail-localize, as translators make them: every segment is
given a Welsh string and the translation is published.
"""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from surveys import results
from surveys.answering import already_answered, submit_response
from surveys.exports import EXPORT_FIXED, export_rows
from surveys.models import Answer, Option, Question, Response, SurveyPage
from tests import translating

from .conftest import respond

WELSH = {"Yes": "Ydw", "No": "Nac ydw", "Do you have children under 5?":
         "Oes gennych chi blant dan 5 oed?", "Family hubs are easy to get to":
         "Mae’n hawdd cyrraedd canolfannau teulu"}


def translate(page, language_code="cy", words=None):
    """Publish `page` in another language through wagtail-localize, every string translated."""
    return translating.translate(page, language_code, WELSH if words is None else words)


def welsh_answers(welsh):
    single = Question.objects.get(survey=welsh, kind=Question.SINGLE)
    likert = Question.objects.get(survey=welsh, kind=Question.LIKERT)
    return [{"question_id": single.pk, "option_id": single.options.get(label="Ydw").pk},
            {"question_id": likert.pk, "number": 5}]


@pytest.fixture
def welsh(survey):
    return translate(survey)


def test_a_translation_shares_the_question_keys_and_pools_into_the_original(survey, welsh):
    assert welsh.locale.language_code == "cy" and welsh.translation_key == survey.translation_key
    assert welsh.pooled_survey.pk == survey.pk and survey.pooled_survey.pk == survey.pk
    english_keys = set(Question.objects.filter(survey=survey).values_list("key", flat=True))
    assert set(Question.objects.filter(survey=welsh).values_list("key", flat=True)) == english_keys
    assert Question.objects.get(survey=welsh, kind=Question.SINGLE).label == WELSH[
        "Do you have children under 5?"]


def test_answers_given_in_welsh_are_stored_against_the_original(survey, welsh):
    response = submit_response(welsh, welsh_answers(welsh))
    assert response.survey_id == survey.pk and response.language == "cy"
    single = Question.objects.get(survey=survey, kind=Question.SINGLE)
    stored = Answer.objects.get(response=response, question__kind=Question.SINGLE)
    assert stored.survey_id == survey.pk and stored.question_id == single.pk
    assert stored.option_id == Option.objects.get(question=single, label="Yes").pk
    assert not Response.objects.filter(survey=welsh).exists()


def test_results_count_every_language_together_with_a_language_filter(survey, welsh):
    respond(survey, single="Yes", likert=4)
    respond(survey, single="No", likert=2)
    submit_response(welsh, welsh_answers(welsh))
    summary = results.compute_results(survey)
    assert summary["total"] == 3
    single = next(e for e in summary["questions"] if e["kind"] == Question.SINGLE)
    assert {row["label"]: row["count"] for row in single["rows"]} == {"Yes": 2, "No": 1}
    assert results.compute_results(survey, results.Filters(language="cy"))["total"] == 1
    assert results.compute_results(survey, results.Filters(language="en"))["total"] == 2
    # The Welsh page shows the same pooled counts in Welsh.
    in_welsh = results.compute_results(welsh)
    single = next(e for e in in_welsh["questions"] if e["kind"] == Question.SINGLE)
    assert in_welsh["total"] == 3
    assert {row["label"]: row["count"] for row in single["rows"]} == {"Ydw": 2, "Nac ydw": 1}
    assert single["question"].label == WELSH["Do you have children under 5?"]


def test_the_export_has_a_language_column(survey, welsh):
    respond(survey, single="Yes")
    submit_response(welsh, welsh_answers(welsh))
    rows = list(export_rows(survey))
    assert "language" in EXPORT_FIXED
    column = rows[0].index("language")
    assert sorted(row[column] for row in rows[1:]) == ["cy", "en"]


def test_answered_in_one_language_counts_as_answered_in_all(survey, welsh, resident):
    submit_response(welsh, welsh_answers(welsh), user=resident)
    assert already_answered(survey, resident) and already_answered(welsh, resident)


def test_a_survey_translated_after_responses_arrived_keeps_its_answers(survey):
    respond(survey, single="Yes", likert=5)
    before = list(Answer.objects.filter(survey=survey).values_list("pk", "question_id",
                                                                   "option_id"))
    welsh = translate(survey)
    assert list(Answer.objects.filter(survey=survey).values_list("pk", "question_id",
                                                                 "option_id")) == before
    submit_response(welsh, welsh_answers(welsh))
    single = next(e for e in results.compute_results(survey)["questions"]
                  if e["kind"] == Question.SINGLE)
    assert {row["label"]: row["count"] for row in single["rows"]}["Yes"] == 2


def test_only_originals_are_listed_and_results_of_a_translation_show_the_pool(
        survey, welsh, officer, client, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    assert list(SurveyPage.objects.pooled().values_list("pk", flat=True)) == [survey.pk]
    submit_response(welsh, welsh_answers(welsh))
    respond(survey, single="No")
    client.force_login(officer)
    page = client.get(reverse("surveys_admin:results", args=[welsh.pk]))
    assert page.status_code == 200 and page.context["results"]["total"] == 2
    filtered = client.get(reverse("surveys_admin:results", args=[survey.pk]), {"language": "cy"})
    assert filtered.context["results"]["total"] == 1
    assert "Cymraeg" in filtered.content.decode()
    refused = client.get(reverse("surveys_admin:results", args=[survey.pk]), {"language": "xx"})
    assert refused.status_code == 200 and refused.context["filter_form"].errors


def test_older_copies_with_their_own_responses_are_pooled_by_the_migration(survey):
    """Before wagtail-localize a translation (a copy) kept its own responses."""
    welsh = translate(survey)
    submit_response(survey, [])  # the original needs no answers for this
    old = Response.objects.create(survey=welsh, reference="HYS-OLDCOPY1", language="")
    single = Question.objects.get(survey=welsh, kind=Question.SINGLE)
    Answer.objects.create(response=old, survey=welsh, question=single,
                          option=single.options.get(label="Ydw"))
    migration = __import__("surveys.migrations.0008_response_language",
                           fromlist=["pool_translated_responses"])
    migration.pool_translated_responses(apps, None)
    old.refresh_from_db()
    assert old.survey_id == survey.pk and old.language == "cy"
    answer = old.answers.get()
    assert answer.survey_id == survey.pk and answer.question.survey_id == survey.pk
    assert answer.option.label == "Yes"


def test_lists_show_each_survey_once_in_the_readers_language(survey, welsh):
    from django.utils import translation

    from surveys.contributions import open_surveys

    with translation.override("cy"):
        assert [s.pk for s in open_surveys()] == [welsh.pk]
    with translation.override("en"):
        assert [s.pk for s in open_surveys()] == [survey.pk]
    other = SurveyPage.objects.in_language(Locale.objects.get_or_create(language_code="ar")[0])
    assert list(other.values_list("pk", flat=True)) == [survey.pk]  # not translated: original


def test_a_welsh_paper_form_is_keyed_on_the_original_with_its_language(
        survey, welsh, officer, client, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    url = reverse("surveys_admin:enter", args=[welsh.pk])  # a translation's id: the original
    page = client.get(url)
    assert page.status_code == 200 and page.context["survey"].pk == survey.pk
    assert [c for c, _label in page.context["details"].fields["language"].choices] == ["en", "cy"]
    reply = client.post(url, {"entry-channel": "paper", "entry-language": "cy",
                              "entry-paper_reference": "W-1"})
    assert reply.status_code == 302, page.context.get("errors")
    response = Response.objects.get(paper_reference="W-1")
    assert response.survey_id == survey.pk and response.language == "cy"
    wrong = client.post(url, {"entry-channel": "paper", "entry-language": "fr",
                              "entry-paper_reference": "W-2"})
    assert wrong.status_code == 400 and wrong.context["details"].errors["language"]
    assert not Response.objects.filter(paper_reference="W-2").exists()


def test_the_paper_form_of_a_translation_is_in_its_language(survey, welsh, officer, client,
                                                           settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    results_page = client.get(reverse("surveys_admin:results", args=[survey.pk])).content.decode()
    with translation.override("cy"):
        url = reverse("survey_paper_form", args=[welsh.pk])
    assert url.startswith("/cy/") and url in results_page  # the officers' link to it
    reply = client.get(url)
    assert reply.status_code == 200 and reply["Content-Type"] == "application/pdf"
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(b"".join(reply.streaming_content) if reply.streaming else reply.content)
        pdf.flush()
        text = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True,
                              check=True).stdout
    assert "Oes gennych chi blant dan 5 oed?" in " ".join(text.split())
