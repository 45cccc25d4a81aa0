"""Who may do what with surveys: every rule in surveys/rules.py for every role, then a sample of
the same table through the views."""

from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from surveys.models import Response, SurveyPage
from tests.conftest import ROLES, defined_rules

pytestmark = pytest.mark.django_db

EVERYONE = set(ROLES)
STAFF = {"officer", "councillor", "superuser"}
OFFICERS = {"officer", "superuser"}

# (action, the survey it is asked about) -> the roles allowed. Django passes an active superuser
# through every has_perm, so superusers are "allowed" for a closed survey and unpublished
# results too: the views check those states themselves (see the HTTP tests below).
TABLE = {
    ("view_results", None): STAFF,
    ("export_responses", None): OFFICERS,
    ("export_equality", None): {"superuser"},
    ("enter_responses", None): OFFICERS,
    ("print_paper_form", None): OFFICERS,
    ("code_comments", None): OFFICERS,
    # Wagtail's page permissions decide (an unsaved page sits under no permitted page).
    ("edit_skip_conditions", "open"): {"superuser"},
    ("answer_survey", "open"): EVERYONE,
    ("answer_survey", "open, sign-in required"): EVERYONE - {"anonymous"},
    ("answer_survey", "not open yet"): {"superuser"},
    ("answer_survey", "closed"): {"superuser"},
    ("view_public_results", "results published"): EVERYONE,
    ("view_public_results", "results not published"): {"superuser"},
    ("view_own_answers", "own response"): EVERYONE - {"anonymous"},
    ("view_own_answers", "someone else's response"): {"superuser"},
    # Wagtail's page permissions decide (officers may add and edit pages from the root down).
    ("start_from_template", "survey index page"): OFFICERS,
    ("add_bank_question", "saved survey page"): OFFICERS,
}


def survey_in(state):
    """An unsaved survey in the given state: the rules read only its dates and flags."""
    if state is None:
        return None
    now = timezone.now()
    opens, closes = {"not open yet": (1, 10), "closed": (-10, -1)}.get(state, (-1, 10))
    return SurveyPage(title=state, opens_at=now + timedelta(days=opens),
                      closes_at=now + timedelta(days=closes),
                      require_sign_in=state == "open, sign-in required",
                      results_published=state == "results published")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "state"), list(TABLE))
def test_rule(people, role, action, state):
    allowed = role in TABLE[(action, state)]
    subject = (response_of(people[role], state) if action == "view_own_answers"
               else saved_page(state) if state in SAVED_PAGES else survey_in(state))
    assert people[role].has_perm(f"surveys.{action}", subject) is allowed


SAVED_PAGES = {"survey index page", "saved survey page"}


def saved_page(state):
    """A survey index page (or a draft survey in one) in the page tree, whose Wagtail page
    permissions the rule asks."""
    from wagtail.models import Page

    from surveys.models import SurveyIndexPage

    index = Page.get_first_root_node().add_child(
        instance=SurveyIndexPage(title="Rules index", slug="rules-index"))
    if state == "survey index page":
        return index
    now = timezone.now()
    return index.add_child(instance=SurveyPage(
        title="Rules survey", slug="rules-survey", live=False, introduction="-",
        privacy_notice="-", opens_at=now, closes_at=now + timedelta(days=1), sections=[]))


def response_of(user, state):
    """An unsaved response, given by `user` or by someone else (the rule reads only its user)."""
    own = state == "own response" and user.is_authenticated
    return Response(reference="HYS-ABCD2345", user_id=user.pk if own else 10**6)


def test_the_table_covers_every_rule_and_every_rule_exists():
    actions = {action for action, _state in TABLE}
    for action in actions:
        assert rules.perm_exists(f"surveys.{action}")
    defined = defined_rules("surveys")
    assert defined == actions


def test_a_person_given_the_equality_permission_may_export_it(people):
    lead = people["resident"]
    lead.user_permissions.add(Permission.objects.get(codename="export_equality",
                                                     content_type__app_label="surveys"))
    lead = type(lead).objects.get(pk=lead.pk)  # permissions are cached on the instance
    assert lead.has_perm("surveys.export_equality")
    assert not lead.has_perm("surveys.export_responses")


# Through the views ------------------------------------------------------------------------------

ADMIN_URLS = {  # admin view -> the rule it asks
    "surveys_admin:results": "view_results",
    "surveys_admin:export_responses": "export_responses",
    "surveys_admin:export_aggregate": "view_results",
    "surveys_admin:export_equality": "export_equality",
    "surveys_admin:enter": "enter_responses",
}


@pytest.mark.parametrize("role", ROLES)
def test_admin_views_follow_the_table(answered, client, settings, people, role):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    if role != "anonymous":
        client.force_login(people[role])
    for name, action in ADMIN_URLS.items():
        status = client.get(reverse(name, args=[answered.pk])).status_code
        allowed = role in TABLE[(action, None)]
        assert (status == 200) is allowed, (role, name, status)
        if not allowed:
            assert status in (302, 403)


@pytest.mark.parametrize(("role", "status"), [("councillor", 403), ("officer", 200)])
def test_paper_form_follows_the_table(survey, client, people, role, status):
    client.force_login(people[role])
    assert client.get(reverse("survey_paper_form", args=[survey.pk])).status_code == status


def test_answering_follows_the_table(survey, client, people):
    step = f"{survey.url}step/1/"
    assert client.get(step).status_code == 200
    survey.require_sign_in = True
    survey.save()
    assert client.get(step).status_code == 302  # anonymous: sent back to "sign in"
    client.force_login(people["resident"])
    assert client.get(step).status_code == 200


def test_nobody_answers_a_closed_survey_superusers_included(survey, client, people):
    now = timezone.now()
    survey.opens_at, survey.closes_at = now - timedelta(days=10), now - timedelta(days=1)
    survey.save()
    client.force_login(people["superuser"])
    r = client.post(f"{survey.url}step/1/", {})
    assert r.status_code == 403 and b"This survey closed" in r.content


def test_unpublished_results_stay_unpublished_for_superusers(survey, client, people):
    client.force_login(people["superuser"])
    assert client.get(f"{survey.url}results/").status_code == 404
    survey.results_published = True
    survey.save()
    client.logout()
    assert client.get(f"{survey.url}results/").status_code == 200
