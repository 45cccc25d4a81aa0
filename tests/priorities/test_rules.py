"""Who may do what with priorities: every rule of priorities/rules.py for every role, then the
same table through HTTP (the officers' admin pages and the community feedback snippet) and the
decision service."""

import pytest
import rules
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from priorities.models import FeedbackItem, ScoringWeights, SnapshotPriority
from priorities.snapshots import decide, take_snapshot
from tests.conftest import ROLES, defined_rules

from .conftest import add_feedback

pytestmark = pytest.mark.django_db

# Superusers pass every rule: Django gives active superusers every permission.
REVIEWERS = frozenset({"officer", "councillor", "superuser"})
OFFICERS = frozenset({"officer", "superuser"})

# action -> the roles allowed (no rule here depends on an object).
TABLE = {
    "view_rankings": REVIEWERS,
    "take_snapshot": OFFICERS,
    "change_weights": OFFICERS,
    "adopt_priority": OFFICERS,
    "view_feedback_trends": REVIEWERS,
    "import_population": OFFICERS,
    # The snippets, as Wagtail's admin asks for them.
    "view_feedbackitem": REVIEWERS,
    "add_feedbackitem": OFFICERS,
    "change_feedbackitem": OFFICERS,
    "delete_feedbackitem": OFFICERS,
    "view_populationfigure": REVIEWERS,
    "add_populationfigure": OFFICERS,
    "change_populationfigure": OFFICERS,
    "delete_populationfigure": OFFICERS,
}


def test_every_rule_in_the_table_exists_and_the_table_covers_every_rule():
    for action in TABLE:
        assert rules.perm_exists(f"priorities.{action}"), action
    defined = defined_rules("priorities")
    assert defined == set(TABLE)


@pytest.mark.parametrize(("action", "role"), [(action, role) for action in TABLE
                                              for role in ROLES])
def test_rule(people, action, role):
    assert people[role].has_perm(f"priorities.{action}") is (role in TABLE[action])


# --- the same table through HTTP and the services ---------------------------------------------


@pytest.fixture
def neighbourhood(db):
    return Neighbourhood.objects.create(
        name="Harlesden", slug="harlesden", code="E05013498",
        boundary={"type": "Polygon", "coordinates": [[[-0.26, 51.53], [-0.25, 51.53],
                                                  [-0.25, 51.54], [-0.26, 51.53]]]})


@pytest.fixture
def snapshot(neighbourhood, people):
    add_feedback(neighbourhood, [Theme.objects.get(slug="housing")])
    return take_snapshot(neighbourhood, people["officer"])


# What each page does -> the rule it asks.
PAGES = {
    "view_ranking": "view_rankings",
    "take_snapshot": "take_snapshot",
    "adopt": "adopt_priority",
    "edit_weights": "change_weights",
    "add_feedback": "add_feedbackitem",
    "trends": "view_feedback_trends",
    "import_population": "import_population",
}


def _request(client, page, neighbourhood, snapshot):
    priority = snapshot.priorities.get()
    if page == "view_ranking":
        return client.get(reverse("priorities_admin:neighbourhood", args=[neighbourhood.pk]))
    if page == "take_snapshot":
        return client.post(reverse("priorities_admin:take_snapshot", args=[neighbourhood.pk]))
    if page == "adopt":
        return client.post(
            reverse("priorities_admin:decide", args=[snapshot.pk, priority.pk]),
            {f"p{priority.pk}-decision": "adopted", f"p{priority.pk}-rationale": "Clear need."})
    if page == "edit_weights":
        return client.post(reverse("priorities_admin:weights", args=[neighbourhood.pk]),
                           {"surveys": "2", "forums": "1", "feedback": "1"})
    if page == "add_feedback":
        return client.get(reverse(FeedbackItem.snippet_viewset.get_url_name("add")))
    if page == "import_population":
        return client.get(reverse("priorities_admin:import_population"))
    return client.get(reverse("priorities_admin:trends"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_admin_pages(role, page, client, people, snapshot, neighbourhood, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    if role != "anonymous":
        client.force_login(people[role])
    response = _request(client, page, neighbourhood, snapshot)
    allowed = role in TABLE[PAGES[page]]
    if allowed:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/login" not in response["Location"]
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "login" in response["Location"] or response["Location"].startswith("/admin")
    priority = snapshot.priorities.get()
    if page == "adopt":
        assert priority.is_adopted is allowed
    if page == "edit_weights":
        assert ScoringWeights.objects.filter(neighbourhood=neighbourhood).exists() is allowed


@pytest.mark.parametrize("role", ROLES)
def test_deciding_through_the_service(role, people, snapshot):
    priority = snapshot.priorities.get()
    if role in TABLE["adopt_priority"]:
        decide(priority, SnapshotPriority.ADOPTED, "Clear need.", people[role])
        priority.refresh_from_db()
        assert priority.is_adopted
    else:
        with pytest.raises(PermissionDenied):
            decide(priority, SnapshotPriority.ADOPTED, "Clear need.", people[role])


@pytest.mark.parametrize(("role", "shown"), [("officer", True), ("councillor", False)])
def test_only_those_who_decide_see_the_decision_forms(role, shown, client, people, snapshot,
                                                      settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(people[role])
    html = client.get(reverse("priorities_admin:snapshot", args=[snapshot.pk])).content.decode()
    assert ("Only officers can adopt or set aside priorities." in html) is not shown
    assert ("Take a snapshot" in client.get(reverse(
        "priorities_admin:neighbourhood", args=[snapshot.neighbourhood.pk])).content.decode()
    ) is shown


@pytest.mark.parametrize("role", ["officer", "councillor"])
def test_the_import_link_is_offered_only_to_those_who_may_import(role, client, people,
                                                                 neighbourhood, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(people[role])
    page = client.get(reverse("priorities_admin:neighbourhood", args=[neighbourhood.pk]))
    assert page.status_code == 200
    offered = reverse("priorities_admin:import_population") in page.content.decode()
    assert offered is (role in TABLE["import_population"])
