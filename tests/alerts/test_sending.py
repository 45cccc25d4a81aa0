"""Alerts through the task queue: every kind, who gets what, the weekly digest, a worker
restarting mid-batch, and the RFC 8058 unsubscribe headers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from portal import happenings as registry
from portal.alerts import sending
from portal.alerts.models import AlertDelivery, AlertRun, Follower
from portal.themes.models import Theme

from .conftest import make_follower

pytestmark = pytest.mark.django_db

UNSUBSCRIBE = re.compile(r"^<(http://testserver/alerts/unsubscribe/([0-9a-f]{64})/)>$")


def fake(kind, *, neighbourhoods=(), themes=(), days_ago=0.1, key="one"):
    return registry.Happening(
        id=f"test:{kind}:{key}", kind=kind, title=f"The {kind} thing", url=f"/{kind}/",
        happened_at=timezone.now() - timedelta(days=days_ago), summary="What happened.",
        neighbourhood_ids=frozenset(neighbourhoods), theme_ids=frozenset(themes),
        language="en")


@pytest.fixture
def only(monkeypatch):
    """Make the registry answer with exactly these happenings."""
    def use(*items):
        def answer(since=None, neighbourhood=None, limit=None, language=None, now=None,
                   kinds=None):
            return [item for item in items if since is None or item.happened_at > since]
        monkeypatch.setattr(registry, "happenings", answer)
    return use


def test_every_kind_from_the_real_providers_reaches_a_harlesden_follower(world, long_ago_run):
    follower = make_follower(neighbourhoods=[world.harlesden])
    make_follower("kilburn@example.org", neighbourhoods=[world.kilburn])
    result = sending.send_immediate_alerts.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 2
    message = next(item for item in mail.outbox if item.to == ["amina@example.org"])
    sent = set(AlertDelivery.objects.filter(follower=follower)
               .values_list("happening_id", flat=True))
    items = {item.id: item for item in registry.happenings(limit=None)}
    assert {items[key].kind for key in sent} == set(registry.KINDS)
    for key in sent:
        assert items[key].headline in message.body
        assert items[key].absolute_url() in message.body
    assert "Kilburn streets survey" not in message.body  # another neighbourhood's
    kilburn = next(item for item in mail.outbox if item.to == ["kilburn@example.org"])
    assert "Kilburn streets survey" in kilburn.body
    assert "Borough budget survey" in kilburn.body  # the whole area's go to everyone
    assert "Harlesden parks survey" not in kilburn.body


@pytest.mark.parametrize("kind", list(registry.KINDS))
def test_each_kind_alone_is_one_alert_with_its_headline(harlesden, only, kind):
    item = fake(kind, neighbourhoods=[harlesden.pk])
    only(item)
    make_follower(neighbourhoods=[harlesden])
    sending.send_immediate_alerts.enqueue()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == item.headline
    assert "http://testserver/" + kind + "/" in message.body
    assert message.alternatives and "What happened." in message.alternatives[0][0]


def test_themes_and_the_whole_area(kilburn, only):
    theme = Theme.objects.create(name="Parks", slug="parks-test")
    elsewhere = kilburn
    only(fake("plan_published", neighbourhoods=[elsewhere.pk], themes=[theme.pk], key="t"),
         fake("forum_announced", key="area"),
         fake("survey_opened", neighbourhoods=[elsewhere.pk], key="w"))
    make_follower("theme@example.org", themes=[theme])
    sending.send_immediate_alerts.enqueue()
    (message,) = mail.outbox
    assert "The plan_published thing" in message.body  # its theme
    assert "The forum_announced thing" in message.body  # the whole area
    assert "The survey_opened thing" not in message.body


def test_nothing_from_before_someone_followed_and_nothing_twice(harlesden, only):
    only(fake("survey_opened", neighbourhoods=[harlesden.pk], days_ago=5))
    make_follower(neighbourhoods=[harlesden], confirmed_days_ago=1)
    AlertRun.objects.create(job="immediate", last_run_at=timezone.now() - timedelta(days=30))
    sending.send_immediate_alerts.enqueue()
    assert mail.outbox == []
    only(fake("survey_opened", neighbourhoods=[harlesden.pk], days_ago=0, key="new"))
    AlertRun.objects.update(last_run_at=timezone.now() - timedelta(days=30))
    sending.send_immediate_alerts.enqueue()
    sending.send_immediate_alerts.enqueue()
    assert len(mail.outbox) == 1


def test_the_weekly_digest_groups_a_week_per_follower(harlesden, only):
    only(fake("survey_opened", neighbourhoods=[harlesden.pk], days_ago=2),
         fake("results_published", days_ago=3),
         fake("plan_updated", neighbourhoods=[harlesden.pk], days_ago=6),
         fake("forum_changed", neighbourhoods=[harlesden.pk], days_ago=9))  # last week's
    make_follower(neighbourhoods=[harlesden], frequency=Follower.WEEKLY)
    make_follower("now@example.org", neighbourhoods=[harlesden])  # immediate: no digest
    result = sending.send_weekly_digest.enqueue()
    assert result.return_value == 1
    (message,) = mail.outbox
    assert message.to == ["amina@example.org"]
    assert message.subject == "Your weekly alerts: 3 updates"
    for label in ("Survey open", "Results published", "Plan updated"):
        assert label in message.body
    assert "forum_changed" not in message.body
    sending.send_weekly_digest.enqueue()  # run again: nothing new
    assert len(mail.outbox) == 1
    call_command("send_alerts", "--digest")
    assert len(mail.outbox) == 1


def test_a_worker_restarting_mid_batch_sends_everyone_exactly_one(harlesden, only, monkeypatch,
                                                                    settings):
    settings.ALERTS_BATCH_SIZE = 4
    only(fake("results_published", neighbourhoods=[harlesden.pk]))
    for number in range(10):
        make_follower(f"person{number}@example.org", neighbourhoods=[harlesden])
    real = sending.send_email_later
    calls = []

    def dies_after_five(**kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 6:
            raise SystemExit("worker killed")  # the sixth email never goes
        return real(**kwargs)

    monkeypatch.setattr(sending, "send_email_later", dies_after_five)
    with pytest.raises(SystemExit):
        sending.run_immediate()
    assert len(mail.outbox) == 5
    assert AlertDelivery.objects.count() == 5  # the sixth's claim was rolled back
    monkeypatch.setattr(sending, "send_email_later", real)
    result = sending.send_immediate_alerts.enqueue()  # the restarted job
    assert result.return_value == 5
    assert sorted(address for item in mail.outbox for address in item.to) == sorted(
        f"person{number}@example.org" for number in range(10))
    assert AlertDelivery.objects.values("batch_id").distinct().count() >= 2


def test_unsubscribe_headers_are_rfc_8058(harlesden, only):
    only(fake("survey_opened", neighbourhoods=[harlesden.pk]))
    follower = make_follower(neighbourhoods=[harlesden])
    sending.send_immediate_alerts.enqueue()
    (message,) = mail.outbox
    match = UNSUBSCRIBE.match(message.extra_headers["List-Unsubscribe"])
    assert match, message.extra_headers
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert match[1] in message.body  # and in the text, with the manage link
    assert f"http://testserver/alerts/manage/{match[2]}/" in message.body
    follower.refresh_from_db()
    assert match[2] not in (follower.token_hash, follower.token_key)  # stored hashed
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


def test_a_welsh_follower_gets_welsh_links(harlesden, only):
    only(fake("survey_opened", neighbourhoods=[harlesden.pk]))
    make_follower(neighbourhoods=[harlesden], language="cy")
    sending.send_immediate_alerts.enqueue()
    (message,) = mail.outbox
    assert "/cy/alerts/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_publishing_a_page_queues_the_job_after_the_commit(world, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    make_follower(neighbourhoods=[world.harlesden], confirmed_days_ago=0)
    page = world.surveys.open_here
    page.title = "Harlesden parks survey (extended)"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert AlertRun.objects.filter(job="immediate").exists()  # the job ran


def test_the_command_queues_the_immediate_job(db, capsys):
    call_command("send_alerts")
    assert "send_immediate_alerts" in capsys.readouterr().out
    assert AlertRun.objects.filter(job="immediate").exists()
