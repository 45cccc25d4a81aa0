"""Public forum pages through the test client: index, event page, register, cancel, vote."""

import re

import pytest
from django.core import mail
from icalendar import Calendar

from forums.models import ForumEventPage, OnlineVote, Registration
from forums.registrations import confirm_registration, register
from forums.votes import record_room_votes
from portal.themes.models import Theme
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_index_lists_upcoming_and_past_with_a_neighbourhood_filter(client, make_event, harlesden):
    from portal.neighbourhoods.models import Neighbourhood

    kilburn = Neighbourhood.objects.get(code="BRENT-KILBURN")
    make_event(title="Harlesden next", days=5)
    make_event(title="Kilburn next", days=6, neighbourhoods=[kilburn])
    make_event(title="Harlesden before", days=-20)
    body = text(client.get("/forums/"))
    assert "Harlesden next" in body and "Kilburn next" in body
    assert "Harlesden before" not in body
    body = text(client.get("/forums/?when=past"))
    assert "Harlesden before" in body and "Harlesden next" not in body
    body = text(client.get("/forums/?neighbourhood=kilburn"))
    assert "Kilburn next" in body and "Harlesden next" not in body
    assert "/forum-calendar/kilburn.ics" in body


def test_index_paginates_with_constant_queries(client, make_event, django_assert_max_num_queries):
    for number in range(12):
        make_event(days=number + 1)
    response = client.get("/forums/")
    assert text(response).count('class="card"') == 10
    assert "Page 1 of 2" in text(response)
    assert text(client.get("/forums/?when=upcoming&page=2")).count('class="card"') == 2
    with django_assert_max_num_queries(40):
        client.get("/forums/")


def test_event_page_for_a_visitor(client, make_event):
    event = make_event(format=ForumEventPage.HYBRID, joining_link="https://meet.example.org/s",
                       step_free_access=True, bsl_on_request=True, capacity=10)
    body = text(client.get(event.url))
    assert "Register for this forum" in body
    assert "Step-free access" in body and "British Sign Language" in body
    assert "10 places left" in body
    assert "meet.example.org" not in body
    assert "How will you take part?" in body


def test_empty_registration_form_shows_errors_and_saves_nothing(client, make_event):
    event = make_event()
    response = client.post(f"/forum-event/{event.pk}/register/", {"name": "", "email": "x"})
    assert response.status_code == 200
    body = text(response)
    assert "There is a problem" in body
    assert "Enter your name." in body
    assert "Enter an email address in the correct format" in body
    assert body.count("<title>Error:") == 1
    assert not Registration.objects.exists()


def test_anonymous_registration_then_confirm_link_needs_a_post(client, make_event):
    event = make_event()
    response = client.post(f"/forum-event/{event.pk}/register/",
                           {"name": "Amina", "email": "amina@example.org",
                            "access_needs": "Large print"})
    assert response.status_code == 302
    assert response["Location"] == event.url  # the token travels only by email
    assert "Check your email" in text(client.get(response["Location"]))
    link = re.search(r"http://testserver(/forum-registration/\S+/confirm/)",
                     mail.outbox[-1].body).group(1)
    assert "Confirm my place" in text(client.get(link))
    assert Registration.objects.get().status == Registration.PENDING  # GET changes nothing
    client.post(link)
    assert Registration.objects.get().status == Registration.CONFIRMED


def test_signed_in_registration_shows_status_and_joining_link(client, make_event, resident):
    event = make_event(format=ForumEventPage.ONLINE, joining_link="https://meet.example.org/j")
    client.force_login(resident)
    response = client.post(f"/forum-event/{event.pk}/register/", {})
    assert response.status_code == 302
    response = client.get(event.url)
    body = text(response)
    assert "You are registered" in body
    assert "https://meet.example.org/j" in body
    assert "no-store" in response["Cache-Control"]
    # A second attempt gets a clear error, not a second place.
    body = text(client.post(f"/forum-event/{event.pk}/register/", {}))
    assert "You are already registered for this forum." in body
    assert Registration.objects.count() == 1


def test_full_event_page_offers_the_waiting_list(client, make_event, resident):
    event = make_event(capacity=1)
    register(event, user=make_user("first@example.org"))
    client.force_login(resident)
    body = text(client.get(event.url))
    assert "Join the waiting list" in body and "Full" in body
    client.post(f"/forum-event/{event.pk}/register/", {"join_waiting_list": "1"})
    body = text(client.get(event.url))
    assert "You are on the waiting list" in body and "number 1" in body


def test_closed_registration_is_explained(client, make_event):
    event = make_event(is_cancelled=True)
    body = text(client.get(event.url))
    assert "This forum has been cancelled" in body
    assert "Register for this forum" not in body
    response = client.post(f"/forum-event/{event.pk}/register/",
                           {"name": "A", "email": "a@example.org"})
    assert "you cannot register for it" in text(response)


def test_cancel_link_get_confirms_post_cancels(client, make_event, resident):
    event = make_event()
    registration = register(event, user=resident)
    url = f"/forum-registration/{registration.token}/cancel/"
    assert "Cancel my place" in text(client.get(url))
    registration.refresh_from_db()
    assert registration.status == Registration.CONFIRMED
    response = client.post(url)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.CANCELLED
    response = client.post(url)
    assert response.status_code == 409
    assert "already cancelled" in text(response)


def test_calendar_downloads_parse(client, make_event, resident, harlesden):
    event = make_event(format=ForumEventPage.ONLINE, joining_link="https://meet.example.org/c")
    registration = register(event, user=resident)
    public = client.get(f"/forum-event/{event.pk}/calendar.ics")
    assert public["Content-Type"].startswith("text/calendar")
    assert b"meet.example.org" not in public.content
    Calendar.from_ical(public.content)
    own = client.get(f"/forum-registration/{registration.token}/calendar.ics")
    assert b"meet.example.org/c" in own.content
    feed = client.get(f"/forum-calendar/{harlesden.slug}.ics")
    assert len(Calendar.from_ical(feed.content).walk("VEVENT")) == 1
    assert client.get("/forum-calendar/nowhere.ics").status_code == 404


def test_online_vote_through_the_page(client, make_event, resident):
    event = make_event(format=ForumEventPage.ONLINE, online_voting_open=True, votes_per_person=1)
    register(event, user=resident)
    client.force_login(resident)
    assert "Vote for your priorities" in text(client.get(event.url))
    housing = Theme.objects.get(slug="housing")
    hardship = Theme.objects.get(slug="financial-hardship")
    body = text(client.post(f"/forum-event/{event.pk}/vote/",
                            {"themes": [housing.pk, hardship.pk]}))
    assert "You can vote for up to 1 theme. You chose 2." in body
    assert not OnlineVote.objects.exists()
    response = client.post(f"/forum-event/{event.pk}/vote/", {"themes": [housing.pk]})
    assert response.status_code == 302
    assert OnlineVote.objects.count() == 1
    body = text(client.post(f"/forum-event/{event.pk}/vote/", {"themes": [hardship.pk]}))
    assert "already voted" in body


def test_voting_without_registering_is_refused(client, make_event, resident):
    event = make_event(format=ForumEventPage.ONLINE, online_voting_open=True)
    client.force_login(resident)
    housing = Theme.objects.get(slug="housing")
    body = text(client.post(f"/forum-event/{event.pk}/vote/", {"themes": [housing.pk]}))
    assert "Only people registered for this forum can vote online" in body


def test_outcomes_on_a_past_forum(client, make_event):
    event = make_event(days=-7, minutes="<p>We met at the library.</p>",
                       attendance_in_person=41, attendance_online=3)
    record_room_votes(event, {Theme.objects.get(slug="financial-hardship"): 38})
    body = text(client.get(event.url))
    assert "We met at the library." in body
    assert "Came in person</dt><dd>41" in body
    assert "Financial hardship" in body and ">38<" in body
    assert "Register for this forum" not in body


def test_home_and_neighbourhood_pages_show_upcoming_forums(client, make_event):
    make_event(title="Harlesden spring forum", days=4)
    make_event(title="Cancelled forum", days=5, is_cancelled=True)
    home = text(client.get("/"))
    assert "Harlesden spring forum" in home and "Cancelled forum" not in home
    neighbourhood = text(client.get("/neighbourhoods/harlesden/"))
    assert "Neighbourhood forums" in neighbourhood and "Harlesden spring forum" in neighbourhood


def test_welsh_copy_shares_registrations_with_the_english_forum(client, make_event, resident):
    from wagtail.models import Locale

    event = make_event(capacity=1)
    welsh = event.copy_for_translation(Locale.objects.get(language_code="cy"),
                                       copy_parents=True)
    welsh.save_revision().publish()
    client.force_login(resident)
    response = client.post(f"/cy/forum-event/{welsh.pk}/register/", {})
    assert response.status_code == 302
    assert response["Location"].startswith("/cy/")
    assert Registration.objects.get().event_id == event.pk
    assert client.get(response["Location"]).status_code == 200
    # The English page sees the same place taken.
    other = make_user("other@example.org")
    client.force_login(other)
    assert "Join the waiting list" in text(client.get(event.url))


def test_query_counts_do_not_grow_with_rows(client, make_event, resident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.neighbourhoods import content_cache

    def queries(url):
        content_cache.content_changed()  # like for like: what is kept until a change is not
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_event(days=1)
    make_event(days=2)
    queries("/forums/")  # warm the per-process caches (site, settings)
    few = queries("/forums/")
    for number in range(8):
        make_event(days=number + 3)
    assert queries("/forums/") == few

    event = make_event(days=30, capacity=50)
    record_room_votes(event, {Theme.objects.get(slug="housing"): 3})
    client.force_login(resident)
    register(event, user=resident)
    queries(event.url)
    before = queries(event.url)
    for number in range(10):
        register(event, user=make_user(f"p{number}@example.org"))
    record_room_votes(event, {theme: 2 for theme in Theme.objects.all()[:6]})
    assert queries(event.url) == before


def test_attendee_without_an_account_votes_from_their_registration_page(client, make_event):
    event = make_event(format=ForumEventPage.ONLINE, online_voting_open=True)
    registration = register(event, name="Amina", email="amina@example.org")
    confirm_registration(registration.token)
    url = f"/forum-registration/{registration.token}/"
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]
    assert "Vote for your priorities" in text(response)
    housing = Theme.objects.get(slug="housing")
    response = client.post(f"/forum-event/{event.pk}/vote/",
                           {"token": registration.token, "themes": [housing.pk]})
    assert response["Location"] == url
    assert "your vote is counted" in text(client.get(url))
    assert OnlineVote.objects.get().registration == registration
    client.post(f"/forum-event/{event.pk}/vote/",
                {"token": registration.token, "themes": [housing.pk]})
    assert "already voted" in text(client.get(url))
