"""Survey comments as an insight source: every non-empty free-text answer is an item to code,
kept in step with its response and coding, coded back into its CommentCoding, and gone from
the index when the person's words are erased."""

import pytest
from django.urls import reverse

from insight import coding
from insight.models import CodingEvent, InsightItem
from insight.sources import source_for
from portal import extension_points
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from surveys.answering import submit_response
from surveys.coding import code_comment
from surveys.erasure import forget_account
from surveys.insight_source import provider
from surveys.models import Answer, CommentCoding, Question
from tests.conftest import make_user

from .conftest import q, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the index refresh) as each block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def comment_row(answer):
    return InsightItem.objects.filter(origin=InsightItem.COMMENT, origin_id=answer.pk).first()


def text_answer(response):
    return response.answers.get(question__kind=Question.TEXT)


def test_the_provider_is_registered_as_an_insight_source():
    assert provider in extension_points.insight_sources()
    assert source_for("comment") is provider


def test_a_comment_is_indexed_when_its_response_is_committed(survey, committed):
    kilburn = Neighbourhood.objects.get(name="Kilburn")
    with committed():
        response = respond(survey, likert=4, text="More buses please", neighbourhood=kilburn.pk)
        respond(survey, likert=2)  # no comment: nothing to code
    row = comment_row(text_answer(response))
    assert row.text == "More buses please" and row.source == "survey"
    assert row.source_label == survey.title and row.neighbourhood == kilburn
    assert row.received_on == response.submitted_at.date() and row.language == "en"
    assert row.coded_at is None and not row.safeguarding
    assert InsightItem.objects.filter(origin=InsightItem.COMMENT).count() == 1


def test_coding_on_the_surveys_screen_reaches_the_index(survey, committed, officer):
    with committed():
        answer = text_answer(respond(survey, text="Damp in the flat"))
    housing = Theme.objects.get(slug="housing")
    with committed():
        code_comment(answer, [housing.pk], True, officer)
    row = comment_row(answer)
    assert [t.slug for t in row.themes.all()] == ["housing"]
    assert row.coded_at is not None and row.safeguarding


def test_coding_in_insight_writes_the_comment_coding_and_notifies_once(
        survey, committed, officer, monkeypatch, mailoutbox, settings):
    settings.SURVEYS_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    raised = []
    monkeypatch.setattr(coding.safeguarding_alerts, "flag_raised",
                        lambda item, user, request=None: raised.append(item.pk))
    with committed():
        answer = text_answer(respond(survey, text="I am scared to go home"))
    row = comment_row(answer)
    health = Theme.objects.get(slug="mental-health")
    with committed():
        coding.code_item(row, theme_ids=[health.pk], sentiment="negative", safeguarding=True,
                         user=officer)
    tags = CommentCoding.objects.get(answer=answer)
    assert [t.slug for t in tags.themes.all()] == ["mental-health"]
    assert tags.safeguarding and tags.coded_by == officer
    assert raised == [row.pk] and mailoutbox == []  # insight's path tells; surveys' stays quiet
    row.refresh_from_db()
    assert row.sentiment == "negative"  # kept on the item: comments carry none
    assert row.events.filter(action=CodingEvent.FLAGGED).exists()


def test_rows_cost_two_queries_however_many_comments(survey, committed,
                                                     django_assert_num_queries):
    with committed():
        responses = [respond(survey, text=f"Comment {n}") for n in range(12)]
    coded = text_answer(responses[0])
    with committed():
        code_comment(coded, [Theme.objects.get(slug="housing").pk], False, None)
    with django_assert_num_queries(2):
        rows = list(provider.rows())
    assert len(rows) == 12 and {r["origin_id"] for r in rows if r["theme_ids"]} == {coded.pk}
    with django_assert_num_queries(2):
        rows = list(provider.rows([-responses[1].pk, coded.pk]))  # a response = its comments
    assert {r["origin_id"] for r in rows} == {coded.pk, text_answer(responses[1]).pk}


def test_deleting_a_response_removes_its_comment(survey, committed):
    with committed():
        response = respond(survey, text="Gone soon")
    answer = text_answer(response)
    assert comment_row(answer) is not None
    with committed():
        response.delete()
    assert comment_row(answer) is None


def test_erasing_a_persons_words_removes_them_from_the_index(survey, committed):
    person = make_user("erased@example.org")
    with committed():
        response = submit_response(survey, [{"question_id": q(survey, Question.TEXT).pk,
                                             "text": "My name is Sam, call me"}], user=person)
    answer = text_answer(response)
    assert comment_row(answer).text.startswith("My name is Sam")
    with committed():
        forget_account(person, delete_free_text=True)
    assert not Answer.objects.filter(pk=answer.pk).exists()
    assert comment_row(answer) is None
    assert not InsightItem.objects.filter(text__contains="Sam").exists()


def test_the_link_opens_the_surveys_comments_screen(survey, committed):
    with committed():
        answer = text_answer(respond(survey, text="Benches"))
    assert provider.link(answer.pk) == (
        reverse("surveys_admin:comments", args=[survey.pk]) + f"#comment-{answer.pk}")
    assert provider.link(999_999) == ""
    assert provider.origin_ids_for(answer) == [answer.pk]
    assert provider.origin_ids_for(object()) == []
