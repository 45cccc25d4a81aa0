"""A forum's calendar UID is the same whichever host name served the file: calendar apps
match updates and cancellations by it."""

import pytest
from icalendar import Calendar

pytestmark = pytest.mark.django_db


def uid(response) -> str:
    return str(Calendar.from_ical(response.content).walk("VEVENT")[0]["uid"])


def test_the_uid_does_not_follow_the_host_header(client, settings, make_event):
    event = make_event()
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.gov.uk"
    url = f"/forum-event/{event.pk}/calendar.ics"
    first = client.get(url, HTTP_HOST="portal.example.gov.uk")
    second = client.get(url, HTTP_HOST="evil.example")
    assert first.status_code == second.status_code == 200
    assert uid(first) == uid(second) == f"forum-{event.pk}@portal.example.gov.uk"
