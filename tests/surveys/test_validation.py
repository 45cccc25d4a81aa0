"""Each question type's server-side validation, through the step form."""

import pytest

from portal.neighbourhoods.models import Neighbourhood
from surveys.answering import active_questions
from surveys.forms import SectionForm, field_name, neighbourhood_field_name, rank_field_name
from surveys.models import Question

from .conftest import q

pytestmark = pytest.mark.django_db


def form_for(question, data, **kwargs):
    questions = [x for x in active_questions(question.survey) if x.pk == question.pk]
    return SectionForm(questions, data, **kwargs)


def option(question, label):
    return str(question.options.get(label=label).pk)


def test_single_choice_required_and_tampered_option(survey):
    question = q(survey, Question.SINGLE)
    form = form_for(question, {})
    assert not form.is_valid()
    message = "Select an answer to “Do you have children under 5?”"
    assert message in form.errors[field_name(question)]
    form = form_for(question, {field_name(question): "999999"})
    assert not form.is_valid()
    assert "Select one of the options given" in form.errors[field_name(question)][0]
    form = form_for(question, {field_name(question): option(question, "Yes")})
    assert form.is_valid(), form.errors
    assert form.answers()[0]["option"].label == "Yes"


@pytest.mark.parametrize("labels, error", [
    ([], "Select at least one answer"),
    (["Library", "Stay and play", "None"], "Select no more than 2 answers"),
    (["Library"], None),
])
def test_multiple_choice_min_and_max(survey, labels, error):
    question = q(survey, Question.MULTIPLE)
    question.required = True
    form = form_for(question, {field_name(question): [option(question, x) for x in labels]})
    if error:
        assert not form.is_valid()
        assert error in str(form.errors[field_name(question)])
    else:
        assert form.is_valid(), form.errors
        assert len(form.answers()) == 1


def test_multiple_choice_minimum_of_two(survey):
    question = q(survey, Question.MULTIPLE)
    question.config = {"min": 2, "max": None}
    form = SectionForm([question], {field_name(question): [option(question, "Library")]})
    assert not form.is_valid()
    assert "Select at least 2 answers" in str(form.errors)


def test_likert_points(survey):
    question = q(survey, Question.LIKERT)
    assert not form_for(question, {}).is_valid()
    assert not form_for(question, {field_name(question): "6"}).is_valid()
    form = form_for(question, {field_name(question): "4"})
    assert form.is_valid()
    assert form.answers() == [{"question": form.questions[0], "number": 4}]


@pytest.mark.parametrize("given, error", [
    ({"Housing": 1, "Safety": 1, "Isolation": 2}, "Give each rank to only one option"),
    ({"Housing": 1, "Safety": 3}, "with none missing"),
    ({"Housing": 2, "Safety": 3, "Isolation": 4}, "Choose a rank from the list"),
    ({"Housing": 1, "Safety": 2}, "Rank 3 options"),
    ({}, "Rank 3 options"),
    ({"Housing": 1, "Safety": 2, "Isolation": 3}, None),
])
def test_ranking_rejects_repeats_gaps_and_short_rankings(survey, given, error):
    question = q(survey, Question.RANKING)
    form = form_for(question, {rank_field_name(question, o): str(given.get(o.label, ""))
                               for o in question.options.all()})
    if error:
        assert not form.is_valid()
        assert error in str(form.errors)
    else:
        assert form.is_valid(), form.errors
        stored = {a["option"].label: a["rank"] for a in form.answers()}
        assert stored == {"Housing": 1, "Safety": 2, "Isolation": 3}


def test_text_length_limit(survey):
    question = q(survey, Question.TEXT)
    form = form_for(question, {field_name(question): "x" * 51})
    assert not form.is_valid()
    assert "50 characters or fewer. It has 51" in str(form.errors)
    assert form_for(question, {field_name(question): "x" * 50}).is_valid()
    assert form_for(question, {}).is_valid()  # optional


@pytest.mark.parametrize("value, error", [
    ("0", "between 1 and 20"), ("21", "between 1 and 20"), ("two", "whole number"),
    ("3", None),
])
def test_number_bounds(survey, value, error):
    question = q(survey, Question.NUMBER)
    form = form_for(question, {field_name(question): value})
    assert form.is_valid() is (error is None)
    if error:
        assert error in str(form.errors)
    else:
        assert form.answers()[0]["number"] == 3


def test_where_you_live_postcode_or_neighbourhood(survey):
    question = q(survey, Question.WHERE)
    harlesden = Neighbourhood.objects.get(name="Harlesden")
    form = form_for(question, {field_name(question): "NW10 8SE"})
    assert form.is_valid(), form.errors
    assert form.neighbourhood_id == harlesden.pk
    assert form.answers()[0]["text"] == "NW10"  # only the outward code is kept
    form = form_for(question, {neighbourhood_field_name(question): str(harlesden.pk)})
    assert form.is_valid() and form.neighbourhood_id == harlesden.pk
    form = form_for(question, {field_name(question): "NW10 9ZZ"})
    assert not form.is_valid()
    assert "could not find the postcode" in str(form.errors)
    form = form_for(question, {field_name(question): "not a postcode"})
    assert not form.is_valid()
    assert not form_for(question, {}).is_valid()
    assert not form_for(question, {neighbourhood_field_name(question): "99999"}).is_valid()


def test_equality_questions_are_optional_with_prefer_not_to_say(survey):
    questions = list(q(survey, Question.EQUALITY))
    assert len(questions) == 8
    for question in questions:
        assert not question.required
        assert question.options.last().label == "Prefer not to say"
    ethnicity = next(x for x in questions if x.key.endswith("_ethnicity"))
    assert ethnicity.options.count() == 20  # 19 ONS 2021 groups and "prefer not to say"
    assert SectionForm(active_questions(survey)[-8:], {}).is_valid()


def test_honeypot(survey):
    question = q(survey, Question.NUMBER)
    form = form_for(question, {"website": "http://spam.example"}, honeypot=True)
    assert not form.is_valid()
    assert "Leave the field" in str(form.non_field_errors())
