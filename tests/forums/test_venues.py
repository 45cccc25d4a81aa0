"""Forums at a hub or asset through the core venue catalogue (`portal.extension_points`)."""

import re

import pytest
from django.utils import timezone
from wagtail import hooks

from forums.models import ForumEventPage
from portal import extension_points
from portal.extension_points import Venue, venues

pytestmark = pytest.mark.django_db

HUB = Venue(key="fake:hub", name="Harlesden Library Plus", address="Craven Park Road",
            postcode="NW10 8SE", latitude=51.5386516954148, longitude=-0.250539587531199,
            url="/community-assets/harlesden-library-plus/", is_hub=True)
HALL = Venue(key="fake:hall", name="St Mary's Hall", address="1 Church Road",
             postcode="NW10 9NP", latitude=51.54, longitude=-0.24, url="", is_hub=False)


class FakeProvider:
    def __init__(self, *places):
        self.places = {venue.key: venue for venue in places}

    def choices(self):
        return [(venue.key, venue.name) for venue in self.places.values()]

    def find(self, key):
        return self.places.get(key)


@pytest.fixture
def provider():
    fake = FakeProvider(HUB, HALL)
    with hooks.register_temporarily(extension_points.VENUE_PROVIDERS, fake):
        yield fake


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_catalogue_lists_and_finds_venues_from_providers(provider):
    assert ("fake:hub", "Harlesden Library Plus") in venues.choices()
    assert venues.choices().count(("fake:hub", "Harlesden Library Plus")) == 1
    assert venues.find("fake:hall") == HALL
    assert venues.find("fake:gone") is None
    assert venues.find("") is None


def test_a_provider_no_longer_registered_offers_nothing():
    with hooks.register_temporarily(extension_points.VENUE_PROVIDERS, FakeProvider(HUB)):
        assert venues.find("fake:hub") == HUB
    assert venues.find("fake:hub") is None


def _editor_data(event, **fields):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    start = timezone.localtime(event.start)
    data = nested_form_data({
        "title": event.title, "slug": event.slug, "summary": "", "format": "in_person",
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": timezone.localtime(event.end).strftime("%Y-%m-%d %H:%M"),
        "venue_key": "", "venue_name": "", "venue_address": "", "venue_postcode": "",
        "agenda": streamfield([]), "votes_per_person": "3", "minutes": rich_text(""),
        "vote_tallies": inline_formset([]), "you_said_we_did": inline_formset([]),
        **fields,
    })
    data["neighbourhoods"] = [n.pk for n in event.neighbourhoods.all()]
    data["action-publish"] = "1"
    return data


def test_editor_offers_venues_and_choosing_one_fills_the_venue(client, make_event, officer,
                                                               settings, provider):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    event = make_event(venue_name="Somewhere else", venue_address="", venue_postcode="")
    client.force_login(officer)
    form_page = text(client.get(f"/admin/pages/{event.pk}/edit/"))
    assert 'value="fake:hub"' in form_page and "St Mary&#x27;s Hall" in form_page
    response = client.post(f"/admin/pages/{event.pk}/edit/",
                           _editor_data(event, venue_key="fake:hub"))
    assert response.status_code == 302, text(response)[:3000]
    event = ForumEventPage.objects.get(pk=event.pk)
    assert event.venue_key == "fake:hub"
    assert (event.venue_name, event.venue_address, event.venue_postcode) == (
        "Harlesden Library Plus", "Craven Park Road", "NW10 8SE")
    assert event.venue_latitude == pytest.approx(51.5386516954148)
    assert event.venue_neighbourhood.code == "BRENT-HARLESDEN"
    page = text(client.get(event.url))
    assert "Hub" in page
    assert 'href="/community-assets/harlesden-library-plus/"' in page


def test_editor_can_still_type_a_free_address(client, make_event, officer, settings,
                                              provider):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    event = make_event()
    client.force_login(officer)
    response = client.post(f"/admin/pages/{event.pk}/edit/", _editor_data(
        event, venue_name="Church hall", venue_address="2 High Street",
        venue_postcode="NW10 8SE"))
    assert response.status_code == 302
    event = ForumEventPage.objects.get(pk=event.pk)
    assert (event.venue_key, event.venue_name) == ("", "Church hall")


def test_editor_rejects_an_unknown_venue_key(client, make_event, officer, settings, provider):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    event = make_event()
    client.force_login(officer)
    response = client.post(f"/admin/pages/{event.pk}/edit/",
                           _editor_data(event, venue_key="fake:nowhere", venue_name="X"))
    assert response.status_code == 200
    assert ForumEventPage.objects.get(pk=event.pk).venue_key == ""


def test_a_venue_that_has_gone_shows_the_stored_address(client, make_event, officer,
                                                         settings, provider):
    event = make_event(venue_key="fake:hub")
    event.refresh_from_db()
    assert event.venue_name == "Harlesden Library Plus"  # copied when the page was saved
    gone = provider.places.pop("fake:hub")  # the hub is no longer offered
    try:
        response = client.get(event.url)
        assert response.status_code == 200
        body = text(response)
        assert "Harlesden Library Plus, Craven Park Road, NW10 8SE" in body
        assert "/community-assets/harlesden-library-plus/" not in body
        # The editor still opens and saves, keeping the stored copy.
        settings.PORTAL_REQUIRE_STAFF_MFA = False
        client.force_login(officer)
        assert "no longer on the asset map" in text(client.get(f"/admin/pages/{event.pk}/edit/"))
        response = client.post(f"/admin/pages/{event.pk}/edit/", _editor_data(
            event, venue_key="fake:hub", venue_name="Harlesden Library Plus",
            venue_address="Craven Park Road", venue_postcode="NW10 8SE"))
        assert response.status_code == 302
    finally:
        provider.places["fake:hub"] = gone


def test_demo_forums_meet_at_demo_hubs_when_assets_are_loaded(demo_site):
    import io

    from django.core.management import call_command

    call_command("load_demo_assets", stdout=io.StringIO())
    call_command("load_demo_forums", stdout=io.StringIO())
    harlesden = ForumEventPage.objects.get(slug="harlesden-forum-next",
                                           locale__language_code="en")
    venue = harlesden.venue
    assert venue is not None and venue.is_hub
    assert harlesden.venue_name == venue.name
    kingsbury = ForumEventPage.objects.get(slug__endswith="-forum-next",
                                           neighbourhoods__code="BRENT-KINGSBURY-KENTON",
                                           locale__language_code="en")
    assert kingsbury.venue_key == ""  # no hub there: the free address stays
    assert kingsbury.venue_name == "Kingsbury Community Centre"
