"""Staleness: assets unchecked for a year get a reminder with a one-click "still correct" link,
and members can say "still correct" on their organisation page."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command

from assets_map import moderation
from assets_map.models import AuditEvent, OrganisationMembership

from .conftest import KILBURN

pytestmark = pytest.mark.django_db


def test_staleness_reminder_sends_a_one_click_link(demo_site, client, organisation,
                                                   vcs_member, make_asset):
    today = datetime.date.today()
    stale = make_asset("Old hall", organisation=organisation,
                       last_verified=today - datetime.timedelta(days=400))
    make_asset("Fresh hall", organisation=organisation, at=KILBURN,
               last_verified=today - datetime.timedelta(days=10))
    call_command("send_staleness_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [vcs_member.email]
    assert "Old hall" in message.body and "Fresh hall" not in message.body
    path = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    page = client.get(path)  # no sign-in needed; looking changes nothing
    assert "Is “Old hall” still correct?" in page.content.decode()
    stale.refresh_from_db()
    assert stale.is_stale
    client.post(path)
    stale.refresh_from_db()
    assert stale.last_verified == today and not stale.is_stale
    assert client.get(path.replace("still-correct/", "still-correct/x")).status_code == 404


def test_reminders_go_to_every_member_and_skip_organisations_without_members(
        demo_site, organisation, make_asset):
    from tests.conftest import make_user

    editor = make_user("editor@example.org")
    OrganisationMembership.objects.create(organisation=organisation, user=editor)
    make_asset("Old hall", organisation=organisation)
    make_asset("Orphan", at=KILBURN)
    assert moderation.send_staleness_reminders(lambda path: path) == 1
    assert sorted(mail.outbox[0].to) == ["editor@example.org", "vcs@example.org"]


def test_members_mark_an_asset_still_correct(demo_site, client, organisation, vcs_member,
                                             make_asset):
    asset = make_asset("Old hall", organisation=organisation,
                       last_verified=datetime.date(2020, 1, 1))
    client.force_login(vcs_member)
    client.post(f"/organisations/{organisation.slug}/assets/{asset.pk}/verify/")
    asset.refresh_from_db()
    assert not asset.is_stale
    assert AuditEvent.objects.filter(asset=asset, action="confirmed still correct").exists()
