"""Fixtures for forum tests: a forum index under the demo home page, an event factory, and
small helpers (calendar events, themes by slug)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from forums.models import ForumEventPage, ForumIndexPage
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from tests.conftest import clear_cache


def ics_events(data: bytes):
    """The VEVENTs of an .ics file."""
    return list(Calendar.from_ical(data).walk("VEVENT"))


def theme(slug):
    return Theme.objects.get(slug=slug)


@pytest.fixture(autouse=True)
def fresh_cache(request):
    """Registration rate limits count in the cache: each test starts from zero."""
    clear_cache(request)
    yield
    clear_cache(request)


@pytest.fixture
def forum_index(demo_site):
    home = demo_site.root_page.specific
    index = ForumIndexPage(title="Neighbourhood forums", slug="forums")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def harlesden(demo_site):
    return Neighbourhood.objects.get(code="BRENT-HARLESDEN")


@pytest.fixture
def make_event(forum_index, harlesden):
    counter = {"n": 0}

    def make(neighbourhoods=None, days=7, hours=2, **fields):
        counter["n"] += 1
        start = fields.pop("start", None) or timezone.now() + timedelta(days=days)
        fields.setdefault("format", ForumEventPage.IN_PERSON)
        if fields["format"] != ForumEventPage.ONLINE:
            fields.setdefault("venue_name", "Harlesden Library Plus")
            fields.setdefault("venue_address", "Craven Park Road")
            fields.setdefault("venue_postcode", "NW10 8SE")
        event = ForumEventPage(
            title=fields.pop("title", f"Harlesden forum {counter['n']}"),
            slug=f"forum-{counter['n']}", start=start,
            end=fields.pop("end", None) or start + timedelta(hours=hours), **fields,
        )
        event.neighbourhoods = neighbourhoods or [harlesden]
        forum_index.add_child(instance=event)
        event.save_revision().publish()
        event.refresh_from_db()
        return event

    return make
