"""Edit safety: answers stay keyed to stable ids whatever officers change on a live survey."""

import pytest
from django.core.exceptions import ValidationError

from surveys.answering import active_questions, plan, submit_response
from surveys.exports import export_rows
from surveys.models import Answer, Option, Question, SurveyPage
from surveys.results import compute_results

from .conftest import q

pytestmark = pytest.mark.django_db


def answer_single(survey, label):
    question = q(survey, Question.SINGLE)
    option = question.options.get(label=label)
    return submit_response(survey, [{"question_id": question.pk, "option_id": option.pk}])


def edit(survey, change):
    page = SurveyPage.objects.get(pk=survey.pk)
    raw = list(page.sections.raw_data)
    change(raw)
    page.sections = raw
    page.full_clean()
    page.save_revision().publish()
    return page


def single_block(raw):
    return raw[0]["value"]["questions"][1]


def test_registry_has_every_question_keyed_by_block_id(survey):
    keys = set(Question.objects.filter(survey=survey).values_list("key", flat=True))
    block_ids = {child["id"] for section in survey.sections.raw_data
                 for child in section["value"]["questions"]}
    assert block_ids <= {key.split("_")[0] for key in keys}
    assert Question.objects.filter(survey=survey).count() == 7 + 8  # 7 questions, 8 equality


def test_rewording_and_reordering_keep_answers(survey):
    answer_single(survey, "Yes")
    question = q(survey, Question.SINGLE)

    def change(raw):
        block = single_block(raw)
        block["value"]["question"] = "Do you look after a child under 5?"
        block["value"]["options"].reverse()
        block["value"]["options"][1]["value"]["label"] = "Yes, I do"

    edit(survey, change)
    question.refresh_from_db()
    assert question.label == "Do you look after a child under 5?"
    answer = Answer.objects.get(question=question)
    assert answer.option.label == "Yes, I do"
    assert answer.option.position == 1


def test_removed_option_and_question_are_retired_not_deleted(survey):
    answer_single(survey, "No")
    question = q(survey, Question.SINGLE)
    no = question.options.get(label="No")

    def remove_option(raw):
        options = single_block(raw)["value"]["options"]
        options[:] = [o for o in options if o["value"]["label"] != "No"] + [
            {"type": "item", "value": {"label": "Not sure", "theme": None}, "id": "new-opt"}]

    # a single-choice question needs two options, so one is added as one is removed
    edit(survey, remove_option)
    no.refresh_from_db()
    assert no.retired
    results = compute_results(survey)
    entry = next(e for e in results["questions"] if e["question"].pk == question.pk)
    row = next(r for r in entry["rows"] if r["label"] == "No")
    assert row["count"] == 1 and row["retired"]

    def remove_question(raw):
        raw[0]["value"]["questions"].pop(1)
        raw[1]["value"]["questions"][0]["value"]["show_if_question"] = ""  # its condition too

    edit(survey, remove_question)
    question.refresh_from_db()
    assert question.retired
    assert Answer.objects.filter(question=question).count() == 1
    assert question not in active_questions(survey)
    assert "Do you have children under 5? (retired)" in next(export_rows(survey))


def test_type_change_of_answered_question_is_refused(survey):
    answer_single(survey, "Yes")

    def to_multiple(raw):
        single_block(raw)["type"] = "multiple_choice"
        single_block(raw)["value"].update(min_choices=None, max_choices=None)

    with pytest.raises(ValidationError) as error:
        edit(survey, to_multiple)
    assert "already has answers, so its type cannot change" in str(error.value)
    assert q(survey, Question.SINGLE).kind == Question.SINGLE


def test_type_change_without_answers_is_allowed(survey):
    def to_multiple(raw):
        single_block(raw)["type"] = "multiple_choice"
        single_block(raw)["value"].update(min_choices=None, max_choices=None)

    edit(survey, to_multiple)
    live = Question.objects.filter(survey=survey, retired=False)
    assert live.filter(kind=Question.MULTIPLE).count() == 2


def test_skip_logic_is_resolved_to_ids_and_broken_conditions_refused(survey):
    multiple = q(survey, Question.MULTIPLE)
    yes = Option.objects.get(question=q(survey, Question.SINGLE), label="Yes")
    assert multiple.show_if_option == yes

    def broken(raw):
        raw[1]["value"]["questions"][0]["value"]["show_if_answer"] = "Maybe"

    with pytest.raises(ValidationError) as error:
        edit(survey, broken)
    assert "has no option “Maybe”" in str(error.value)


def test_visibility_follows_earlier_answer(survey):
    multiple = q(survey, Question.MULTIPLE)
    single = q(survey, Question.SINGLE)
    yes, no = (str(single.options.get(label=x).pk) for x in ("Yes", "No"))
    questions = active_questions(survey)
    shown = {x.pk for _s, _t, qs in plan(survey, {f"q{single.pk}": [yes]}, questions)
             for x in qs}
    hidden = {x.pk for _s, _t, qs in plan(survey, {f"q{single.pk}": [no]}, questions)
              for x in qs}
    assert multiple.pk in shown and multiple.pk not in hidden


def test_deleting_a_survey_page_with_answers_deletes_everything(survey):
    answer_single(survey, "Yes")
    SurveyPage.objects.get(pk=survey.pk).delete()
    assert not Answer.objects.exists() and not Question.objects.exists()


def test_a_question_with_answers_cannot_be_deleted_on_its_own(survey):
    from django.db.models import RestrictedError

    answer_single(survey, "Yes")
    with pytest.raises(RestrictedError):
        q(survey, Question.SINGLE).delete()
