"""Save and return (issue 14, item 7): a signed-in person's half-answered survey is kept until
the survey closes; someone not signed in gets a resume link by email (the address is not kept);
drafts are in the personal-data export and go with the account."""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys import drafts
from surveys.forms import field_name, rank_field_name
from surveys.models import Question, Response, SurveyDraft
from tests.conftest import make_user

from .conftest import q
from .test_answering import through_check

pytestmark = pytest.mark.django_db

EMAIL = "amina.saves@example.org"


@pytest.fixture(autouse=True)
def fast(settings):
    settings.SURVEYS_MIN_SECONDS = 0


def step_url(survey, n):
    return f"{survey.url}step/{n}/"


def opt(question, label):
    return str(question.options.get(label=label).pk)


def answer_step_one(client, survey):
    single, where = q(survey, Question.SINGLE), q(survey, Question.WHERE)
    r = client.post(step_url(survey, 1), {field_name(where): "NW10 8SE",
                                          field_name(single): opt(single, "Yes")})
    assert r.status_code == 302, r.content
    return r


def answer_step_two(client, survey):
    multiple, likert = q(survey, Question.MULTIPLE), q(survey, Question.LIKERT)
    r = client.post(step_url(survey, 2), {field_name(likert): "4",
                                          field_name(multiple): [opt(multiple, "Library")]})
    assert r.status_code == 302, r.content


def answer_last_step(client, survey):
    ranking = q(survey, Question.RANKING)
    ranks = {"Housing": "1", "Safety": "2", "Isolation": "3"}
    return through_check(client, survey, client.post(
        step_url(survey, 3), {rank_field_name(ranking, o): ranks.get(o.label, "")
                              for o in ranking.options.all()}))


def save_step_two(client, survey):
    """Type a partial (invalid) answer on step 2 and press "Save and come back later"."""
    likert = q(survey, Question.LIKERT)
    return client.post(step_url(survey, 2), {field_name(likert): "2", "save": "1"})


def ask_for_link(client, survey, email=EMAIL):
    return client.post(reverse("survey_draft_save", kwargs={"page_id": survey.pk}),
                       {"email": email})


def link_in(message) -> str:
    return re.search(r"https?://\S+/survey-resume/[\w-]+/", message.body).group(0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


# Signed in ------------------------------------------------------------------------------------


def test_signed_in_answers_are_kept_as_they_go_and_resume_on_another_device(survey, resident):
    first, second = Client(), Client()  # the laptop, then the phone
    second.force_login(resident)
    assert b"Step 1 of 3" in second.get(step_url(survey, 1)).content  # opened, left empty
    first.force_login(resident)
    answer_step_one(first, survey)
    draft = SurveyDraft.objects.get(user=resident, survey=survey)
    assert (draft.step, draft.reached, draft.token_hash) == (2, 2, "")
    assert draft.data[field_name(q(survey, Question.WHERE))] == ["NW10 8SE"]

    intro = second.get(survey.url)
    assert b"You have saved answers" in intro.content and b"Start now" not in intro.content
    assert intro.context["progress"]["url"] == step_url(survey, 2)
    assert b"Step 2 of 3" in second.get(step_url(survey, 2)).content
    assert b'value="NW10 8SE"' in second.get(step_url(survey, 1)).content
    answer_step_two(second, survey)
    r = answer_last_step(second, survey)
    assert r.status_code == 302 and r.url.endswith("/done/")
    assert Response.objects.get().user == resident
    assert not SurveyDraft.objects.exists()  # submitting deletes the draft


def test_signed_in_save_button_keeps_what_was_typed_unchecked(survey, resident, client):
    client.force_login(resident)
    answer_step_one(client, survey)
    r = save_step_two(client, survey)
    assert r.status_code == 302 and r.url == survey.url
    draft = SurveyDraft.objects.get(user=resident)
    assert draft.step == 2
    assert draft.data[field_name(q(survey, Question.LIKERT))] == ["2"]
    page = client.get(r.url)
    assert b"Your answers are saved" in page.content
    assert b"You have saved answers" in page.content


def test_start_again_forgets_the_draft(survey, resident, client):
    client.force_login(resident)
    answer_step_one(client, survey)
    r = client.post(reverse("survey_start_again", kwargs={"page_id": survey.pk}))
    assert r.status_code == 302 and r.url == step_url(survey, 1)
    assert not SurveyDraft.objects.exists()
    assert b'value="NW10 8SE"' not in client.get(step_url(survey, 1)).content
    assert b"Start now" in client.get(survey.url).content
    assert client.get(reverse("survey_start_again", kwargs={"page_id": survey.pk})
                      ).status_code == 405


def test_a_refused_step_stores_no_draft(survey, resident, client):
    client.force_login(resident)
    r = client.post(step_url(survey, 1), {})
    assert r.status_code == 200 and b"There is a problem" in r.content
    assert not SurveyDraft.objects.exists()


def test_closing_the_survey_deletes_its_drafts(survey, resident, client):
    client.force_login(resident)
    answer_step_one(client, survey)
    anonymous = Client()
    answer_step_one(anonymous, survey)
    ask_for_link(anonymous, survey)
    assert SurveyDraft.objects.count() == 2
    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.save()
    assert drafts.for_user(survey, resident) is None  # already unusable
    out = StringIO()
    call_command("forget_survey_drafts", "--dry-run", stdout=out)
    assert "Dry run: 2 saved drafts would be deleted" in out.getvalue()
    assert SurveyDraft.objects.count() == 2
    call_command("forget_survey_drafts", stdout=out)
    assert not SurveyDraft.objects.exists()
    assert b"This survey closed" in client.get(survey.url).content


def test_cleanup_keeps_drafts_that_can_still_be_finished(survey, resident, client):
    client.force_login(resident)
    answer_step_one(client, survey)
    assert drafts.delete_expired() == 0
    assert SurveyDraft.objects.count() == 1


# Not signed in: a link by email -----------------------------------------------------------------


def test_anonymous_save_email_and_resume_in_another_browser(survey, client, mailoutbox):
    answer_step_one(client, survey)
    r = save_step_two(client, survey)
    assert r.status_code == 302
    assert r.url == reverse("survey_draft_save", kwargs={"page_id": survey.pk})
    form = client.get(r.url)
    assert form.status_code == 200 and b"Save and come back later" in form.content
    assert form["Cache-Control"] == "private, no-store"
    sent = ask_for_link(client, survey)
    assert sent.status_code == 200 and EMAIL.encode() in sent.content
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [EMAIL]
    link = link_in(mailoutbox[0])
    assert survey.title in mailoutbox[0].subject
    draft = SurveyDraft.objects.get()
    assert draft.user is None and len(draft.token_hash) == 64
    assert link.rstrip("/").rsplit("/", 1)[1] not in draft.token_hash  # only the hash is kept
    assert draft.expires_at <= survey.closes_at

    other = Client()
    r = other.get(path_of(link))
    assert r.status_code == 302 and r.url == survey.url
    assert r["Cache-Control"] == "private, no-store"
    intro = other.get(survey.url)
    assert b"Welcome back" in intro.content and b"Continue where you left off" in intro.content
    assert intro.context["progress"]["url"] == step_url(survey, 2)
    step = other.get(step_url(survey, 2))
    assert b"Step 2 of 3" in step.content
    assert re.search(rb'<input type="radio"[^>]*value="2"[^>]*checked', step.content)
    answer_step_two(other, survey)
    assert answer_last_step(other, survey).status_code == 302
    assert Response.objects.count() == 1
    assert not SurveyDraft.objects.exists()
    again = Client().get(path_of(link))
    assert again.status_code == 404 and b"This link does not work" in again.content


def test_the_email_address_is_stored_nowhere(survey, client, mailoutbox):
    answer_step_one(client, survey)
    save_step_two(client, survey)
    assert ask_for_link(client, survey).status_code == 200
    assert len(mailoutbox) == 1
    stored = json.dumps([list(SurveyDraft.objects.values())], default=str)
    stored += json.dumps([s.get_decoded() for s in Session.objects.all()], default=str)
    assert SurveyDraft.objects.count() == 1
    assert EMAIL not in stored and "saves@example" not in stored


def test_a_bad_email_address_gets_a_clear_error_and_keeps_the_answers(survey, client,
                                                                     mailoutbox):
    answer_step_one(client, survey)
    save_step_two(client, survey)
    r = ask_for_link(client, survey, email="not an email")
    assert r.status_code == 400 and b"There is a problem" in r.content
    assert b"Enter an email address in the correct format" in r.content
    assert not SurveyDraft.objects.exists() and not mailoutbox
    assert b'value="NW10 8SE"' in client.get(step_url(survey, 1)).content


def test_nothing_to_save_goes_back_to_the_survey(survey, client):
    r = client.get(reverse("survey_draft_save", kwargs={"page_id": survey.pk}))
    assert r.status_code == 302 and r.url == survey.url
    assert client.get(reverse("survey_draft_save", kwargs={"page_id": 999999})
                      ).status_code == 404


def saved_link(survey, mailoutbox) -> str:
    browser = Client()
    answer_step_one(browser, survey)
    save_step_two(browser, survey)
    ask_for_link(browser, survey)
    return path_of(link_in(mailoutbox[-1]))


def test_a_tampered_link_gets_a_clear_message(survey, mailoutbox):
    link = saved_link(survey, mailoutbox)
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for path in (link.replace(token, tampered), link.replace(token, "short"),
                 link.replace(token, "a" * 300)):
        r = Client().get(path)
        assert r.status_code == 404 and b"This link does not work" in r.content, path
        assert r["X-Robots-Tag"] == "noindex"
    assert SurveyDraft.objects.count() == 1


def test_an_expired_link_gets_a_clear_message_and_the_draft_goes(survey, mailoutbox):
    link = saved_link(survey, mailoutbox)
    SurveyDraft.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    r = Client().get(link)
    assert r.status_code == 410 and b"This link has expired" in r.content
    assert not SurveyDraft.objects.exists()


def test_a_link_to_a_closed_survey_says_so(survey, mailoutbox):
    link = saved_link(survey, mailoutbox)
    survey.closes_at = timezone.now() - timedelta(seconds=1)
    survey.save()
    r = Client().get(link)
    assert r.status_code == 410 and b"This survey has closed" in r.content
    assert not SurveyDraft.objects.exists()


def test_a_link_expires_after_the_set_days(survey, settings, mailoutbox):
    settings.SURVEYS_DRAFT_DAYS = 2
    saved_link(survey, mailoutbox)
    left = SurveyDraft.objects.get().expires_at - timezone.now()
    assert timedelta(days=1, hours=23) < left <= timedelta(days=2)
    assert drafts.delete_expired(timezone.now() + timedelta(days=3)) == 1


def test_saving_again_from_a_restored_session_replaces_the_old_link(survey, mailoutbox):
    link = saved_link(survey, mailoutbox)
    browser = Client()
    browser.get(link)
    save_step_two(browser, survey)
    ask_for_link(browser, survey)
    assert SurveyDraft.objects.count() == 1
    assert Client().get(link).status_code == 404
    assert Client().get(path_of(link_in(mailoutbox[-1]))).status_code == 302


def test_asking_for_links_is_rate_limited(survey, client, settings, mailoutbox):
    settings.SURVEYS_DRAFT_EMAILS_PER_HOUR = 2
    answer_step_one(client, survey)
    save_step_two(client, survey)
    assert ask_for_link(client, survey).status_code == 200
    assert ask_for_link(client, survey).status_code == 200
    r = ask_for_link(client, survey)
    assert r.status_code == 429 and b"Too many links asked for" in r.content
    assert len(mailoutbox) == 2
    assert SurveyDraft.objects.count() == 1  # each new link replaced the one before


def test_following_links_is_rate_limited(survey, settings, mailoutbox):
    link = saved_link(survey, mailoutbox)
    settings.SURVEYS_DRAFT_RESUMES_PER_HOUR = 1
    browser = Client()
    assert browser.get(link).status_code == 302
    r = browser.get(link)
    assert r.status_code == 429 and b"Too many links opened" in r.content


def test_a_draft_with_hostile_data_is_checked_again(survey, mailoutbox):
    link = saved_link(survey, mailoutbox)
    likert = field_name(q(survey, Question.LIKERT))
    SurveyDraft.objects.update(data={likert: ["<script>", {"x": 1}], "junk": "not a list"},
                               step=9, reached=9)
    browser = Client()
    browser.get(link)
    r = browser.get(step_url(survey, 9))
    assert r.status_code == 302  # back to the furthest step the answers allow
    r = browser.post(step_url(survey, 1), {})
    assert r.status_code == 200 and b"There is a problem" in r.content


# Personal data ---------------------------------------------------------------------------------


def test_drafts_are_in_the_personal_data_export(survey, resident, client):
    from portal.accounts.services import export_personal_data

    client.force_login(resident)
    answer_step_one(client, survey)
    saved = export_personal_data(resident)["survey_saved_answers"]
    assert saved[0]["survey"] == "Family hubs survey" and saved[0]["step"] == 2
    answers = {row["question"]: row["answer"] for row in saved[0]["answers"]}
    assert answers["Do you have children under 5?"] == "Yes"
    assert answers["Where do you live?"] == "NW10 8SE"
    json.dumps(saved)


def test_deleting_the_account_deletes_its_drafts(survey, client):
    amina = make_user("amina@example.org")
    client.force_login(amina)
    answer_step_one(client, survey)
    other = make_user("other@example.org")
    drafts.keep(survey, other, {"data": {"x": ["1"]}, "reached": 1})
    r = client.post(reverse("account_delete"), {"confirm_email": amina.email})
    assert r.status_code == 302
    assert list(SurveyDraft.objects.values_list("user__email", flat=True)) == [
        "other@example.org"]
