"""Who may do what with forums: every rule of forums/rules.py for every role, then a sample of
the same table through HTTP and the services (including the attendee-list role table)."""

from datetime import timedelta

import pytest
import rules
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import Page

from forums.models import ForumEventPage, Registration
from forums.registrations import register, registration_from_link
from forums.votes import record_room_votes
from tests.conftest import ROLES, defined_rules

from .conftest import theme

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(ROLES)
# Superusers pass every rule: Django gives active superusers every permission.
ORGANISERS = frozenset({"officer", "superuser"})
REGISTRANT = frozenset({"resident", "superuser"})
NOBODY_ELSE = frozenset({"superuser"})

# (action, object) -> the roles allowed. Objects (the `objects` fixture below): "forum" is an
# upcoming forum; "residents_registration" is the resident's, made signed in;
# "made_with_residents_email" was made signed out with the resident's email address;
# "someone_elses" is another person's; "opened_by_link" is that same registration opened
# through its emailed personal link, which is its holder's key.
REGISTRATIONS = ("residents_registration", "made_with_residents_email", "someone_elses")
TABLE = {
    ("register", "forum"): EVERYONE,
    ("confirm_registration", "opened_by_link"): EVERYONE,
    **{("confirm_registration", obj): NOBODY_ELSE for obj in REGISTRATIONS},
    **{(action, obj): allowed
       for action in ("view_registration", "cancel_registration", "vote_online")
       for obj, allowed in (("opened_by_link", EVERYONE),
                            ("residents_registration", REGISTRANT),
                            ("made_with_residents_email", REGISTRANT),
                            ("someone_elses", NOBODY_ELSE))},
    ("view_attendees", "forum"): ORGANISERS,
    ("export_attendees", "forum"): ORGANISERS,
    ("record_attendance", "forum"): ORGANISERS,
    ("record_outcomes", "forum"): ORGANISERS,
}


@pytest.fixture
def objects(people):
    """The table's objects, on forums straight under the root page (no demo site needed)."""
    start = timezone.now() + timedelta(days=7)

    def forum(slug):
        page = ForumEventPage(title=slug, slug=slug, format=ForumEventPage.ONLINE, start=start,
                              end=start + timedelta(hours=2))
        return Page.get_first_root_node().add_child(instance=page)

    def registration(event, **fields):
        return Registration.objects.create(event=event, status=Registration.CONFIRMED,
                                           attendance_mode=Registration.ATTEND_ONLINE, **fields)

    first, second = forum("a-forum"), forum("another-forum")
    resident = people["resident"]
    other = registration(first, name="Amina", email="amina@example.org")
    return {
        "forum": first,
        "residents_registration": registration(first, user=resident, name="Resident",
                                               email=resident.email),
        "made_with_residents_email": registration(second, name="Resident",
                                                  email=resident.email),
        "someone_elses": Registration.objects.get(pk=other.pk),
        "opened_by_link": registration_from_link(other.token),
    }


def test_every_rule_in_the_table_exists_and_the_table_covers_every_rule():
    actions = {action for action, _object in TABLE}
    for action in actions:
        assert rules.perm_exists(f"forums.{action}"), action
    defined = defined_rules("forums")
    assert defined == actions


@pytest.mark.parametrize(("action", "obj", "role"),
                         [(action, obj, role) for action, obj in TABLE for role in ROLES])
def test_rule(people, objects, action, obj, role):
    allowed = role in TABLE[(action, obj)]
    assert people[role].has_perm(f"forums.{action}", objects[obj]) is allowed


# --- the same table through HTTP and the services ---------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_attendee_list_and_export(client, people, make_event, settings, role):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    event = make_event()
    register(event, name="=HYPERLINK()", email="x@example.org")
    if role != "anonymous":
        client.force_login(people[role])
    for url in (f"/admin/forums/event/{event.pk}/attendees/",
                f"/admin/forums/event/{event.pk}/attendees.csv"):
        response = client.get(url)
        if role in ORGANISERS:
            assert response.status_code == 200
        else:
            assert response.status_code in (302, 403)
            assert b"x@example.org" not in response.content


@pytest.mark.parametrize(("role", "allowed"), [("officer", True), ("councillor", False)])
def test_recording_attendance(client, people, make_event, settings, role, allowed):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    event = make_event()
    came = register(event, user=people["resident"])
    client.force_login(people[role])
    response = client.post(f"/admin/forums/event/{event.pk}/attendees/",
                           {"attended": [came.pk]})
    if allowed:
        assert response["Location"] == f"/admin/forums/event/{event.pk}/attendees/"
    else:  # the admin turns a refusal into a redirect to its dashboard, with a message
        assert response.status_code in (302, 403)
        assert response.get("Location") != f"/admin/forums/event/{event.pk}/attendees/"
    came.refresh_from_db()
    assert came.attended is allowed


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_the_personal_link_is_the_key(client, people, make_event, role):
    event = make_event()
    registration = register(event, name="Amina", email="amina@example.org")
    if role != "anonymous":
        client.force_login(people[role])
    for path in ("", "confirm/", "cancel/"):
        assert client.get(f"/forum-registration/{registration.token}/{path}").status_code == 200
        assert client.get(f"/forum-registration/not-the-token/{path}").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "resident"])
def test_anyone_may_register(client, people, make_event, role):
    event = make_event()
    if role != "anonymous":
        client.force_login(people[role])
    response = client.post(f"/forum-event/{event.pk}/register/",
                           {"name": "Amina", "email": "amina@example.org"})
    assert response.status_code == 302
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.parametrize(("role", "allowed"), [("officer", True), ("councillor", False)])
def test_recording_room_votes(people, make_event, role, allowed):
    event = make_event(days=-2)
    if allowed:
        record_room_votes(event, {theme("housing"): 4}, user=people[role])
        assert event.vote_tallies.get().dots == 4
    else:
        with pytest.raises(PermissionDenied):
            record_room_votes(event, {theme("housing"): 4}, user=people[role])
        assert not event.vote_tallies.exists()
