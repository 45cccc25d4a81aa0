"""Every email goes through the task queue (portal.mail): each path queues a task, which the
test settings' immediate backend runs at once (mail.outbox) and the production database
backend keeps as a row until the worker runs it, so nothing is sent inside the request."""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.mail import deliver_email, send_email_later
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MAIL_TASK = "portal.mail.deliver_email"


def mail_tasks():
    """Queued email tasks (Wagtail queues its search and reference index updates too)."""
    return DBTaskResult.objects.filter(task_path=MAIL_TASK)


def run_queued_tasks() -> int:
    """What `manage.py db_worker` does for each ready email task, in the test's transaction."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="test",
                    excluded_queue_names=[])
    ran = 0
    for row in mail_tasks().ready():
        row.claim("test")
        worker.run_task(row)
        ran += 1
    return ran


# --- the paths ------------------------------------------------------------------------------
# Each makes the portal send one email (to `to`) the way it does in use.

def forum_confirmation(make_event, **_):
    from forums.registrations import register

    register(make_event(), name="Amina", email="amina@example.org",
             access_needs="Wheelchair user")
    return "amina@example.org"


def survey_receipt(**_):
    from surveys.answering import send_receipt

    survey = SimpleNamespace(title="Family hubs", url="/have-your-say/family-hubs/",
                             closes_at=timezone.now() + datetime.timedelta(days=3))
    send_receipt(survey, "HYS-ABCDEFGH", "someone@example.org")
    return "someone@example.org"


def survey_safeguarding(settings, **_):
    from surveys.coding import notify_safeguarding

    settings.SURVEYS_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    survey = SimpleNamespace(title="Family hubs")
    answer = SimpleNamespace(response=SimpleNamespace(survey_id=1, reference="HYS-ABCDEFGH",
                                                      survey=survey))
    assert notify_safeguarding(answer, SimpleNamespace(email="officer@example.org"))
    return "safeguarding@example.org"


def feedback_safeguarding(settings, **_):
    from priorities.feedback import notify_safeguarding

    settings.PRIORITIES_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    item = SimpleNamespace(neighbourhood="Harlesden", received_on=datetime.date(2026, 3, 1),
                           get_source_display=lambda: "Councillor surgery")
    assert notify_safeguarding(item, None, "https://example.org/admin/feedback/1/")
    return "safeguarding@example.org"


def asset_decision(asset_submission, officer, **_):
    from assets_map import moderation

    moderation.reject(asset_submission, officer, "Add opening hours.")
    return "vcs@example.org"


def staleness_reminder(stale_asset, **_):
    from assets_map import moderation

    assert moderation.send_staleness_reminders(lambda path: f"https://example.org{path}") == 1
    return "vcs@example.org"


def join_request_to_owners(verified_organisation, **_):
    from assets_map.membership import request_to_join

    request_to_join(verified_organisation, make_user("joiner@example.org"), "Hello",
                    lambda path: f"https://example.org{path}")
    return "vcs@example.org"


def invitation(verified_organisation, vcs_member, **_):
    from assets_map.membership import invite_editor

    invite_editor(verified_organisation, "new@example.org", vcs_member,
                  lambda path: f"https://example.org{path}")
    return "new@example.org"


def allauth_password_reset(client, **_):
    make_user("forgetful@example.org")
    response = client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    return "forgetful@example.org"


def allauth_sign_up_code(client, **_):
    response = client.post("/accounts/signup/", {
        "email": "newcomer@example.org", "password1": "a-long-new-password-1",
        "password2": "a-long-new-password-1"})
    assert response.status_code == 302
    return "newcomer@example.org"


PATHS = [forum_confirmation, survey_receipt, survey_safeguarding, feedback_safeguarding,
         asset_decision, staleness_reminder, join_request_to_owners, invitation,
         allauth_password_reset, allauth_sign_up_code]


@pytest.fixture
def verified_organisation(vcs_member):
    from assets_map.models import Organisation, OrganisationMembership

    organisation = Organisation.objects.create(name="Harlesden Community Trust",
                                               verified_at=timezone.now())
    OrganisationMembership.objects.create(organisation=organisation, user=vcs_member,
                                          role=OrganisationMembership.OWNER)
    return organisation


@pytest.fixture
def stale_asset(verified_organisation):
    from assets_map.models import Asset, AssetCategory

    return Asset.objects.create(
        name="Trust hall", category=AssetCategory.objects.get(slug="library"),
        latitude=51.5386, longitude=-0.2505, status=Asset.PUBLISHED,
        organisation=verified_organisation, last_verified=datetime.date(2020, 1, 1))


@pytest.fixture
def asset_submission(verified_organisation, vcs_member):
    from assets_map import moderation
    from assets_map.models import Asset, AssetCategory

    asset = Asset.objects.create(
        name="Trust hall", category=AssetCategory.objects.get(slug="library"),
        latitude=51.5386, longitude=-0.2505, organisation=verified_organisation)
    return moderation.submit_for_moderation(asset, vcs_member)


@pytest.fixture
def context(request, settings, client, officer, vcs_member):
    """What the paths need, built only when a path asks for it."""
    needs = {"make_event": ("forum_confirmation",),
             "asset_submission": ("asset_decision",), "stale_asset": ("staleness_reminder",),
             "verified_organisation": ("join_request_to_owners", "invitation")}
    name = request.node.callspec.params["path"].__name__
    built = {fixture: request.getfixturevalue(fixture)
             for fixture, users in needs.items() if name in users}
    return {"settings": settings, "client": client, "officer": officer,
            "vcs_member": vcs_member, **built}


@pytest.fixture
def make_event(demo_site):
    from datetime import timedelta

    from forums.models import ForumEventPage, ForumIndexPage

    index = ForumIndexPage(title="Neighbourhood forums", slug="forums")
    demo_site.root_page.specific.add_child(instance=index)
    index.save_revision().publish()

    def make():
        start = timezone.now() + timedelta(days=7)
        event = ForumEventPage(title="Harlesden forum", slug="harlesden-forum", start=start,
                               end=start + timedelta(hours=2), format=ForumEventPage.IN_PERSON,
                               venue_name="Harlesden Library Plus")
        index.add_child(instance=event)
        event.save_revision().publish()
        event.refresh_from_db()
        return event
    return make


@pytest.mark.parametrize("path", PATHS, ids=[path.__name__ for path in PATHS])
def test_each_email_path_queues_a_task_that_the_immediate_backend_sends(path, context):
    mail.outbox.clear()
    to = path(**context)
    assert [message.to for message in mail.outbox] == [[to]]


@pytest.mark.parametrize("path", PATHS, ids=[path.__name__ for path in PATHS])
def test_with_the_database_backend_nothing_is_sent_until_the_worker_runs(path, context,
                                                                        settings):
    settings.TASKS = DATABASE_TASKS
    mail.outbox.clear()
    to = path(**context)
    assert mail.outbox == []
    assert mail_tasks().ready().count() == 1
    assert run_queued_tasks() == 1
    assert [message.to for message in mail.outbox] == [[to]]
    assert mail_tasks().get().status == "SUCCESSFUL"


def test_an_email_queued_in_a_request_that_fails_is_never_sent(settings):
    from django.db import transaction

    settings.TASKS = DATABASE_TASKS
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email_later("Subject", "Body", ["someone@example.org"])
        raise RuntimeError("the request failed after queueing its email")
    assert not mail_tasks().exists()


def test_the_task_sends_attachments_alternatives_and_headers():
    send_email_later("A\nsubject", "Body", "someone@example.org", reply_to=["team@example.org"],
                     headers={"Auto-Submitted": "auto-generated"}, html="<p>Body</p>",
                     attachments=[("forum.ics", "BEGIN:VCALENDAR", "text/calendar"),
                                  ("data.bin", b"\x00\xff", "application/octet-stream")])
    (message,) = mail.outbox
    assert message.subject == "A subject"  # a header on one line
    assert message.reply_to == ["team@example.org"]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.alternatives[0][0] == "<p>Body</p>"
    assert [tuple(item)[1] for item in message.attachments] == ["BEGIN:VCALENDAR", b"\x00\xff"]


def test_nobody_to_send_to_queues_nothing(settings):
    settings.TASKS = DATABASE_TASKS
    assert send_email_later("Subject", "Body", ["", None]) is None
    assert not mail_tasks().exists()


def test_a_failed_send_is_kept_as_a_failed_task(settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    send_email_later("Subject", "Body", ["someone@example.org"])

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    run_queued_tasks()
    row = mail_tasks().get()
    assert row.status == "FAILED" and "ConnectionRefusedError" in row.exception_class_path
    assert deliver_email.module_path == MAIL_TASK


def test_no_module_but_portal_mail_sends_email_itself():
    """A new email path cannot bypass the queue: only portal/mail.py uses Django's mail API."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sending = re.compile(r"from django\.core(\.mail)? import (mail\b|.*\bsend)"
                         r"|django\.core\.mail\.(send|Email)|(?<!def )\bsend_mail\("
                         r"|\bmail_admins\(|\bEmail(Multi\w*|Message)\(")
    offenders = [
        str(path.relative_to(root))
        for app in ("portal", "surveys", "forums", "assets_map", "priorities", "plans")
        for path in (root / app).rglob("*.py")
        if path != root / "portal" / "mail.py" and sending.search(path.read_text())
    ]
    assert offenders == []
