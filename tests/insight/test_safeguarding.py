"""Safeguarding flags reach the safeguarding contact through the task queue: the channel and a
link, never the text or who spoke; once per flag however often the flag is reported."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from insight import safeguarding
from insight.models import CodingEvent, InsightItem
from insight.sources import feedback_source, refresh
from portal.neighbourhoods.models import Neighbourhood
from priorities.models import FeedbackItem

pytestmark = pytest.mark.django_db

TEXT = "My neighbour Mrs Okafor hits her son, he is seven."
DETAIL = "Home visit to Mrs Okafor"




@pytest.fixture(autouse=True)
def contact(settings):
    settings.INSIGHT_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    settings.PORTAL_SITE_URL = "https://portal.example.org"


@pytest.fixture
def place():
    return Neighbourhood.objects.create(
        name="Harlesden", slug="harlesden",
        boundary={"type": "Polygon", "coordinates": [[[-0.26, 51.53], [-0.25, 51.53],
                                                      [-0.25, 51.54], [-0.26, 51.53]]]})


def indexed(place, safeguarding=True, **extra):
    """A feedback item and its index row (refreshed by hand: no commit in these tests)."""
    item = FeedbackItem.objects.create(
        source=FeedbackItem.HEALTHWATCH, received_on=datetime.date(2026, 10, 3),
        neighbourhood=place, text=TEXT, source_detail=DETAIL, safeguarding=safeguarding,
        **extra)
    refresh(feedback_source, [item.pk])
    return InsightItem.objects.get(origin=InsightItem.FEEDBACK, origin_id=item.pk)


def everything_sent(message) -> str:
    html = "".join(str(content) for content, _type in getattr(message, "alternatives", []))
    return f"{message.subject}\n{message.body}\n{html}"


def test_a_new_flag_emails_the_contact_the_channel_and_a_link_never_the_text(place, officer):
    item = indexed(place)
    mail.outbox.clear()
    assert safeguarding.flag_raised(item, officer) is True
    [message] = mail.outbox
    assert message.to == ["safeguarding@example.org"]
    assert message.subject == "Safeguarding concern flagged: Healthwatch report"
    link = f"https://portal.example.org/admin/insight/safeguarding/{item.pk}/"
    assert link in message.body and "officer@example.org" in message.body
    sent = everything_sent(message)
    for secret in (TEXT, "Okafor", DETAIL, "Harlesden"):
        assert secret not in sent
    item.refresh_from_db()
    assert item.flagged_by == officer and item.flagged_at is not None


def test_the_email_is_a_task_on_the_queue_not_sent_in_the_request(place, officer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    item = indexed(place)
    mail.outbox.clear()
    assert safeguarding.flag_raised(item, officer)
    assert mail.outbox == []
    [task] = DBTaskResult.objects.filter(task_path="portal.mail.deliver_email")
    queued = str(task.args_kwargs)
    assert f"/admin/insight/safeguarding/{item.pk}/" in queued
    assert "Okafor" not in queued and "hits her son" not in queued


def test_reported_twice_it_is_sent_once(place, officer):
    item = indexed(place)
    mail.outbox.clear()
    assert safeguarding.flag_raised(item, officer) is True
    assert safeguarding.flag_raised(item, officer) is False
    assert safeguarding.flag_raised(item.pk, None) is False
    assert len(mail.outbox) == 1


def test_unflagged_then_flagged_again_is_a_new_concern(place, officer):
    item = indexed(place)
    mail.outbox.clear()
    safeguarding.flag_raised(item, officer)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    InsightItem.objects.filter(pk=item.pk).update(flagged_at=an_hour_ago)
    event = CodingEvent.objects.create(item=item, action=CodingEvent.UNFLAGGED, user=officer)
    CodingEvent.objects.filter(pk=event.pk).update(
        at=an_hour_ago + datetime.timedelta(minutes=30))
    assert safeguarding.flag_raised(item, officer) is True
    assert safeguarding.flag_raised(item, officer) is False
    assert len(mail.outbox) == 2


def test_an_item_that_is_not_flagged_sends_nothing(place, officer):
    item = indexed(place, safeguarding=False)
    mail.outbox.clear()
    assert safeguarding.flag_raised(item, officer) is False
    assert mail.outbox == []
    item.refresh_from_db()
    assert item.flagged_at is None


def test_the_contact_falls_back_to_the_priorities_setting(place, officer, settings):
    settings.INSIGHT_SAFEGUARDING_EMAIL = ""
    settings.PRIORITIES_SAFEGUARDING_EMAIL = "feedback-safeguarding@example.org"
    item = indexed(place)
    mail.outbox.clear()
    safeguarding.flag_raised(item, officer)
    assert [message.to for message in mail.outbox] == [["feedback-safeguarding@example.org"]]


def test_with_nobody_to_tell_the_flag_is_still_recorded(place, officer, settings):
    settings.INSIGHT_SAFEGUARDING_EMAIL = ""
    settings.PRIORITIES_SAFEGUARDING_EMAIL = settings.SURVEYS_SAFEGUARDING_EMAIL = ""
    item = indexed(place)
    mail.outbox.clear()
    assert safeguarding.flag_raised(item, officer) is False
    assert mail.outbox == []
    assert InsightItem.objects.get(pk=item.pk).flagged_by == officer


def test_a_flag_set_through_insight_is_emailed_once_not_by_priorities_too(
        place, officer, django_capture_on_commit_callbacks):
    """The coding screen writes the flag back to the feedback item (source.apply) and reports
    it: priorities emails only from its own admin forms, so one email goes out."""
    item = indexed(place, safeguarding=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feedback_source.apply(item.origin_id, theme_ids=[], sentiment="negative",
                              safeguarding=True, user=officer)
        InsightItem.objects.filter(pk=item.pk).update(safeguarding=True)
    assert FeedbackItem.objects.get(pk=item.origin_id).safeguarding
    safeguarding.flag_raised(item, officer)
    assert len(mail.outbox) == 1


def test_an_import_reports_each_new_flag_once(place, officer):
    items = [indexed(place) for _ in range(3)]
    mail.outbox.clear()
    assert safeguarding.flags_raised(items, officer) == 3
    assert safeguarding.flags_raised(items, officer) == 0
    assert len(mail.outbox) == 3


def test_a_survey_comment_names_its_channel_and_links_to_insight_not_the_survey(officer):
    comment = InsightItem.objects.create(
        origin=InsightItem.COMMENT, origin_id=7, source="survey", source_label="Family hubs",
        text="He is hurting her.", received_on=datetime.date(2026, 10, 3), safeguarding=True)
    mail.outbox.clear()
    assert safeguarding.flag_raised(comment, officer)
    [message] = mail.outbox
    assert message.subject == "Safeguarding concern flagged: Survey comment"
    assert f"/admin/insight/safeguarding/{comment.pk}/" in message.body
    assert "hurting" not in everything_sent(message)
