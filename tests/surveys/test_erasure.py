"""Erasure and retention (issue 16): deleting an account clears the network and browser hashes
of its survey responses and, if the person chooses, deletes what they wrote in their own words
(choice answers stay, anonymous, so results stay right); `forget_response_hashes` clears the
hashes of every response a set time after its survey closed."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from surveys.answering import submit_response
from surveys.models import Answer, CommentCoding, Question, Response
from surveys.results import compute_results
from tests.conftest import make_user

from .conftest import make_survey, q


def answer(survey, user=None, *, text="", single="Yes", ip="203.0.113.7"):
    answers = [{"question_id": q(survey, Question.SINGLE).pk,
                "option_id": q(survey, Question.SINGLE).options.get(label=single).pk}]
    if text:
        answers.append({"question_id": q(survey, Question.TEXT).pk, "text": text})
    return submit_response(survey, answers, user=user, ip=ip, user_agent="Firefox/140",
                           languages="en-GB", browser="token")


@pytest.fixture
def amina(db):
    return make_user("amina@example.org")


def single_choice_counts(survey):
    results = compute_results(survey)
    entry = next(e for e in results["questions"] if e["kind"] == Question.SINGLE)
    return results["total"], [(row["label"], row["count"]) for row in entry["rows"]]


def delete_account(client, user, **choice):
    client.force_login(user)
    return client.post(reverse("account_delete"), {"confirm_email": user.email, **choice})


def test_deleting_an_account_clears_the_hashes_of_its_responses(client, survey, amina):
    mine = answer(survey, amina, text="I live at 4 Acacia Avenue, call me on 07700 900123")
    theirs = answer(survey, text="More benches")
    assert mine.ip_hash and mine.browser_hash
    response = delete_account(client, amina)
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.user, mine.ip_hash, mine.browser_hash) == (None, "", "")
    # Not asked to delete what they wrote: it stays, anonymous.
    assert mine.answers.filter(text__startswith="I live at").exists()
    theirs.refresh_from_db()
    assert theirs.ip_hash and theirs.browser_hash


def test_the_delete_page_offers_to_delete_free_text(client, amina):
    client.force_login(amina)
    html = client.get(reverse("account_delete")).content.decode()
    assert 'name="delete_free_text"' in html
    assert "Also delete what I wrote in my own words" in html


def test_deleting_free_text_keeps_choice_answers_so_results_stay_right(client, survey, amina,
                                                                       officer):
    mine = answer(survey, amina, text="My neighbour at number 6 is always drunk")
    coded = mine.answers.get(question__kind=Question.TEXT)
    CommentCoding.objects.create(answer=coded, safeguarding=True, coded_by=officer)
    theirs = answer(survey, text="More benches", single="No")
    before = single_choice_counts(survey)

    delete_account(client, amina, delete_free_text="on")

    mine.refresh_from_db()
    assert (mine.user, mine.ip_hash, mine.browser_hash) == (None, "", "")
    assert not mine.answers.filter(question__kind=Question.TEXT).exists()
    assert not CommentCoding.objects.filter(answer_id=coded.pk).exists()
    assert mine.answers.filter(question__kind=Question.SINGLE).count() == 1
    assert theirs.answers.filter(text="More benches").exists()
    assert single_choice_counts(survey) == before
    assert Response.objects.filter(survey=survey).count() == 2


def test_forget_response_hashes_clears_them_a_set_time_after_the_survey_closes(
        survey_index, settings):
    settings.PORTAL_RESPONSE_HASH_RETENTION_DAYS = 90
    now = timezone.now()
    long_closed = make_survey(survey_index, title="Library hours", slug="library-hours",
                              opens_at=now - timedelta(days=200),
                              closes_at=now - timedelta(days=100))
    recently_closed = make_survey(survey_index, title="Park survey", slug="park",
                                  opens_at=now - timedelta(days=60),
                                  closes_at=now - timedelta(days=30))
    open_survey = make_survey(survey_index, title="Family hubs", slug="family-hubs")
    for survey in (long_closed, recently_closed, open_survey):
        answer(survey)
        answer(survey, ip="198.51.100.2")

    out = StringIO()
    call_command("forget_response_hashes", "--dry-run", stdout=out)
    assert "Library hours" in out.getvalue() and "would clear the hashes of 2 responses" \
        in out.getvalue()
    assert "Dry run: 2 responses would clear." in out.getvalue()
    assert Response.objects.exclude(ip_hash="").count() == 6  # nothing changed

    out = StringIO()
    call_command("forget_response_hashes", stdout=out)
    assert "Library hours" in out.getvalue() and "Park survey" not in out.getvalue()
    assert "2 responses cleared." in out.getvalue()
    assert not Response.objects.filter(survey=long_closed).exclude(ip_hash="", browser_hash="")
    assert Response.objects.filter(survey=recently_closed).exclude(ip_hash="").count() == 2
    assert Response.objects.filter(survey=open_survey).exclude(browser_hash="").count() == 2
    assert Answer.objects.filter(survey=long_closed).count() == 2  # the answers stay

    out = StringIO()
    call_command("forget_response_hashes", "--days", "20", stdout=out)
    assert "Park survey" in out.getvalue()
    assert not Response.objects.filter(survey=recently_closed).exclude(ip_hash="")
