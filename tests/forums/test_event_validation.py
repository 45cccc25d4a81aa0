"""What the page editor checks on a forum: dates, capacity, venue and postcode."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from forums.registrations import register
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_event_validation_messages(make_event, resident):
    event = make_event(capacity=5)
    register(event, user=resident)
    register(event, user=make_user("two@example.org"))
    event.end = event.start - timedelta(minutes=30)
    event.registration_deadline = event.start + timedelta(hours=1)
    event.capacity = 1
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    messages = error.value.message_dict
    assert "must end after it starts" in messages["end"][0]
    assert "must not be after the forum starts" in messages["registration_deadline"][0]
    assert "2 people are already registered" in messages["capacity"][0]


def test_in_person_forum_needs_a_venue_and_a_valid_postcode(make_event):
    event = make_event()
    event.venue_name = ""
    event.venue_postcode = "not a postcode"
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "venue_name" in error.value.message_dict
    assert "venue_postcode" in error.value.message_dict


def test_venue_is_placed_in_its_neighbourhood(make_event, harlesden):
    event = make_event()
    assert event.venue_latitude is not None
    assert event.venue_neighbourhood == harlesden
