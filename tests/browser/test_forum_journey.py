"""Journey: a resident registers for a forum, gets a valid .ics, cancels; the first person
waiting is promoted and emailed; an officer records the room's votes, which become evidence."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from forums import evidence
from forums.models import ForumEventPage, ForumIndexPage, Registration
from forums.registrations import confirm_registration, register
from forums.votes import record_room_votes
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from tests.conftest import DEMO_PASSWORD, make_user

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_register_cancel_promote_and_votes_as_evidence(demo_site, page):
    harlesden = Neighbourhood.objects.get(code="BRENT-HARLESDEN")
    home = demo_site.root_page.specific
    index = ForumIndexPage(title="Neighbourhood forums", slug="forums")
    home.add_child(instance=index)
    index.save_revision().publish()
    start = (timezone.now() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    event = ForumEventPage(
        title="Harlesden neighbourhood forum", slug="harlesden-forum", start=start,
        end=start + timedelta(hours=2), format=ForumEventPage.HYBRID, capacity=1,
        venue_name="Harlesden Library Plus", venue_address="Craven Park Road",
        venue_postcode="NW10 8SE", joining_link="https://meet.example.org/harlesden",
        step_free_access=True, bsl_on_request=True,
        summary="Set the priorities for Harlesden.",
    )
    event.neighbourhoods = [harlesden]
    index.add_child(instance=event)
    event.save_revision().publish()
    make_user("amina@example.org")

    page.goto("/accounts/login/?next=/forums/")
    page.get_by_label("Email").fill("amina@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neighbourhood forums")
    assert_accessible(page)

    page.get_by_role("link", name="Harlesden neighbourhood forum").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harlesden neighbourhood forum")
    assert_accessible(page)
    expect(page.get_by_text("meet.example.org")).to_have_count(0)

    # Forgetting to say how they will take part: a clear error, nothing saved.
    page.get_by_role("button", name="Register for this forum").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Choose whether you will come in person or join online")
    assert not Registration.objects.exists()
    assert_accessible(page)

    page.get_by_label("Online").check()
    page.get_by_label("Access needs (optional)").fill("Live captions, please")
    page.get_by_role("button", name="Register for this forum").click()
    expect(page.get_by_role("heading", name="You are registered")).to_be_visible()
    expect(page.get_by_role("link", name="Join the meeting")).to_have_attribute(
        "href", "https://meet.example.org/harlesden")
    assert_accessible(page)

    message = mail.outbox[-1]
    assert message.to == ["amina@example.org"]
    assert "https://meet.example.org/harlesden" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert mimetype == "text/calendar"
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["summary"]) == "Harlesden neighbourhood forum"
    assert vevent.decoded("dtstart") == start
    assert "https://meet.example.org/harlesden" in str(vevent["description"])

    # The forum is now full: two more people join the waiting list.
    first = register(event, name="Kwame", email="kwame@example.org",
                     attendance_mode="in_person", join_waiting_list=True)
    confirm_registration(first.token)
    second = register(event, user=make_user("second@example.org"),
                      attendance_mode="online", join_waiting_list=True)
    mail.outbox.clear()

    page.reload()
    page.get_by_role("link", name="Cancel your place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your place?")
    assert_accessible(page)
    page.get_by_role("button", name="Cancel my place").click()
    expect(page.get_by_role("status")).to_contain_text("Your registration is cancelled")
    expect(page.get_by_role("heading", name="Join the waiting list")).to_be_visible()
    assert_accessible(page)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.CONFIRMED
    assert second.status == Registration.WAITING
    promoted = [m for m in mail.outbox if m.to == ["kwame@example.org"]]
    assert len(promoted) == 1 and "A place has come up" in promoted[0].subject
    Calendar.from_ical(promoted[0].attachments[0][1])
    assert not [m for m in mail.outbox if m.to == ["second@example.org"]]

    # After the forum an officer records the dot votes from the room.
    officer = make_user("officer@example.org", "Officers")
    themes = {slug: Theme.objects.get(slug=slug)
              for slug in ("financial-hardship", "homelessness", "school-readiness")}
    record_room_votes(event, {themes["financial-hardship"]: 31,
                              themes["homelessness"]: 24,
                              themes["school-readiness"]: 17}, user=officer)
    rows = {(row.neighbourhood_id, row.theme_id, row.source): row.count
            for row in evidence.rows()}
    assert rows[(harlesden.pk, themes["financial-hardship"].pk, "forum_room")] == 31
    assert rows[(harlesden.pk, themes["school-readiness"].pk, "forum_room")] == 17

    page.goto(event.url)
    expect(page.get_by_role("table", name="Dot votes in the room")).to_contain_text("31")
    assert_accessible(page)
    page.goto("/neighbourhoods/harlesden/")
    expect(page.get_by_role("link", name="Harlesden neighbourhood forum")).to_be_visible()
    assert_accessible(page)
    assert re.search(r"harlesden", page.url)
