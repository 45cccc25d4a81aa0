"""A forum registration's name is one line of readable text: refused otherwise, with a clear
message next to the field, and nothing is saved or sent."""

import pytest
from django.core import mail

from forums.models import Registration
from tests.conftest import post_as_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "message"), [
    ("Amina\r\nBcc: everyone@example.org", "Enter the name on one line"),
    ("Amina\x00", "null character"),
    ("\ud800", "could not be read"),
    ("Amina\ud800", "could not be read"),
])
def test_a_name_that_is_not_one_line_of_text_is_refused(client, make_event, name, message):
    event = make_event()
    response = post_as_bytes(client, f"/forum-event/{event.pk}/register/",
                             {"name": name, "email": "amina@example.org"})
    assert response.status_code == 200  # the forum page again, with the error
    html = response.content.decode()
    assert message in html and 'href="#id_name"' in html  # in the error summary, linked
    assert not Registration.objects.exists() and not mail.outbox


def test_the_same_name_on_one_line_is_registered(client, make_event):
    event = make_event()
    response = post_as_bytes(client, f"/forum-event/{event.pk}/register/",
                             {"name": "Amina Siân", "email": "amina@example.org"})
    assert response.status_code == 302
    assert Registration.objects.get().name == "Amina Siân"
