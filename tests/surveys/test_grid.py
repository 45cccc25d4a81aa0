"""The statement grid: several statements on one agree/disagree scale, one registry question per
statement, drawn as one group of radio groups, one results table, and in the admin preview."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks.struct_block import StructBlockValidationError

from portal.themes.models import Theme
from surveys.blocks import GridBlock
from surveys.forms import SectionForm, field_name
from surveys.models import Question, SurveyPage
from surveys.results import compute_results, public_results, suppressed, with_grids

from .conftest import block, make_survey, options, question

pytestmark = pytest.mark.django_db

STATEMENTS = ["The park feels safe", "The park is clean", "The park has enough benches"]


def statements(*labels, theme=None):
    return [block("item", {"statement": label, "theme": theme}) for label in labels]


def grid_sections(theme=None):
    drive = block("single_choice", question("Do you use the park?", options=options("Yes", "No")))
    yes = drive["value"]["options"][0]["id"]
    grid = block("statement_grid", question(
        "How much do you agree with these statements?", help_text="One answer per row.",
        required=False, show_if_question=drive["id"], show_if_answer=yes,
        statements=statements(*STATEMENTS[:2]) + statements(STATEMENTS[2], theme=theme)))
    return [block("section", {"title": "You", "introduction": "", "questions": [drive]}),
            block("section", {"title": "The park", "introduction": "", "questions": [grid]})]


@pytest.fixture(autouse=True)
def fast(settings):
    settings.SURVEYS_MIN_SECONDS = 0
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    cache.clear()


@pytest.fixture
def theme(db):
    return Theme.objects.create(name="Green spaces", slug="green-spaces")


@pytest.fixture
def grid_survey(survey_index, theme):
    return make_survey(survey_index, title="Park survey", sections=grid_sections(theme.pk))


def rows(survey):
    return list(Question.objects.filter(survey=survey, kind=Question.LIKERT,
                                        config__grid__isnull=False))


def test_each_statement_is_an_agree_disagree_question_with_the_grids_condition(grid_survey,
                                                                                theme):
    grid_rows = rows(grid_survey)
    assert [r.label for r in grid_rows] == STATEMENTS
    grid_id = grid_survey.sections.raw_data[1]["value"]["questions"][0]["id"]
    assert {r.config["grid"] for r in grid_rows} == {grid_id}
    assert grid_rows[0].config["grid_label"] == "How much do you agree with these statements?"
    assert [r.theme_id for r in grid_rows] == [None, None, theme.pk]
    assert all(r.show_if_option and r.show_if_option.label == "Yes" for r in grid_rows)
    assert not any(r.required for r in grid_rows)


def test_a_grid_with_no_statements_is_refused_with_a_clear_message(grid_survey):
    value = GridBlock().to_python(question("Views?", statements=[]))
    with pytest.raises(StructBlockValidationError) as error:
        GridBlock().clean(value)
    message = error.value.block_errors["statements"].non_block_errors.as_data()[0].messages
    assert message == ["Add at least one statement to the grid “Views?”."]
    page = SurveyPage.objects.get(pk=grid_survey.pk)
    raw = list(page.sections.raw_data)
    raw[1]["value"]["questions"][0]["value"]["statements"] = []
    page.sections = raw
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "Add at least one statement to the grid “How much do you agree" in str(error.value)


def test_the_form_draws_one_group_of_radio_groups_and_stores_one_answer_per_row(
        client, grid_survey):
    drive = Question.objects.get(survey=grid_survey, kind=Question.SINGLE)
    yes = str(drive.options.get(label="Yes").pk)
    assert client.post(f"{grid_survey.url}step/1/", {field_name(drive): yes}).status_code == 302
    html = client.get(f"{grid_survey.url}step/2/").content.decode()
    assert 'class="form-group survey-grid" role="group"' in html
    assert html.count('<fieldset class="fieldset survey-grid__row') == 3
    for statement in STATEMENTS:
        assert f'<legend class="survey-grid__statement">{statement}' in html
    assert '<span class="survey-grid__point">Strongly agree</span>' in html
    grid_rows = rows(grid_survey)
    form = SectionForm(grid_rows, data={field_name(grid_rows[0]): "5",
                                        field_name(grid_rows[2]): "2"})
    assert form.is_valid(), form.errors
    stored = {a["question"].pk: a["number"] for a in form.answers()}
    assert stored == {grid_rows[0].pk: 5, grid_rows[2].pk: 2}


def test_a_required_grid_names_the_statement_left_out(grid_survey):
    grid_rows = rows(grid_survey)
    for row in grid_rows:
        row.required = True
    form = SectionForm(grid_rows, data={field_name(grid_rows[0]): "4",
                                        field_name(grid_rows[1]): "9"})
    assert not form.is_valid()
    assert form.errors[field_name(grid_rows[2])] == [
        "Select how much you agree with “The park has enough benches”"]
    assert field_name(grid_rows[1]) in form.errors  # not a point of the scale


def answer(survey, points):
    from surveys.answering import submit_response

    for point in points:
        submit_response(survey, [{"question_id": row.pk, "number": point}
                                 for row in rows(survey)])


def test_results_draw_the_grid_as_one_table_with_disclosure(client, grid_survey, superuser):
    answer(grid_survey, [5] * 6 + [1] * 2)
    results = with_grids(compute_results(grid_survey))
    grid_entries = [e for e in results["questions"] if e.get("grid")]
    assert len(grid_entries) == 1
    assert [e["question"].label for e in grid_entries[0]["grid"]["rows"]] == STATEMENTS
    public = with_grids(suppressed(compute_results(grid_survey), threshold=5))
    first = next(e for e in public["questions"] if e.get("grid"))["grid"]["rows"][0]
    strongly_disagree = next(r for r in first["rows"] if r["point"] == 1)
    assert strongly_disagree["suppressed"] and strongly_disagree["count"] is None
    client.force_login(superuser)
    html = client.get(reverse("surveys_admin:results", args=[grid_survey.pk])).content.decode()
    assert html.count("<h2 class=\"heading-m\" id=\"result-") == 2  # the single choice + grid
    assert '<th scope="row">The park has enough benches</th>' in html
    SurveyPage.objects.filter(pk=grid_survey.pk).update(results_published=True)
    assert public_results(grid_survey)["questions"][1]["grid"]["label"] == (
        "How much do you agree with these statements?")


def test_the_admin_preview_shows_the_intro_and_every_question(client, grid_survey, superuser):
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[grid_survey.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tell us about family hubs." in html  # the introduction
    assert "Step 2: The park" in html
    assert "Asked only if the answer to “Do you use the park?” is “Yes”." in html
    for statement in STATEMENTS:
        assert f'<th scope="row">{statement}</th>' in html
    assert "(optional)" in html
    intro = grid_survey.make_preview_request(preview_mode="intro")
    assert intro.status_code == 200
    # the editor's preview panel frames previews; the public pages may never be framed
    assert "frame-ancestors 'self'" in intro["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get(grid_survey.url)["Content-Security-Policy"]
