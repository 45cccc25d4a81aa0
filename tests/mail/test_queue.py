"""Every email goes through the task queue (portal.mail): each path queues a task, which the
test settings' immediate backend runs at once (mail.outbox) and the production database
backend keeps as a row until the worker runs it, so nothing is sent inside the request."""


import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from portal.mail import deliver_email, send_email_later
from tests.mail.paths import PATHS

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
    assert "<p>Body</p>" in message.alternatives[0][0]  # in the layout (test_layout.py)
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
