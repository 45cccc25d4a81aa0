"""Fixtures the email paths (tests/mail/paths.py) need."""

import datetime

import pytest
from django.utils import timezone


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
