"""The paths by which the portal sends email, each as a function of the `context` fixture
(tests/mail/conftest.py) that sends one email the way the portal does in use and returns
its recipient."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from tests.conftest import make_user

# --- the paths ------------------------------------------------------------------------------
# Each makes the portal send one email (to `to`) the way it does in use.

def forum_confirmation(make_event, **_):
    from forums.registrations import register

    register(make_event(), name="Amina", email="amina@example.org",
             access_needs="Wheelchair user")
    return "amina@example.org"


def survey_receipt(**_):
    from surveys.answering import send_receipt

    survey = SimpleNamespace(title="Family hubs", url="/have-your-say/family-hubs/",
                             closes_at=timezone.now() + datetime.timedelta(days=3))
    send_receipt(survey, "HYS-ABCDEFGH", "someone@example.org")
    return "someone@example.org"


def survey_safeguarding(settings, **_):
    from surveys.coding import notify_safeguarding

    settings.SURVEYS_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    survey = SimpleNamespace(title="Family hubs")
    answer = SimpleNamespace(response=SimpleNamespace(survey_id=1, reference="HYS-ABCDEFGH",
                                                      survey=survey))
    assert notify_safeguarding(answer, SimpleNamespace(email="officer@example.org"))
    return "safeguarding@example.org"


def feedback_safeguarding(settings, **_):
    from priorities.feedback import notify_safeguarding

    settings.PRIORITIES_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    item = SimpleNamespace(neighbourhood="Harlesden", received_on=datetime.date(2026, 3, 1),
                           get_source_display=lambda: "Councillor surgery")
    assert notify_safeguarding(item, None, "https://example.org/admin/feedback/1/")
    return "safeguarding@example.org"


def asset_decision(asset_submission, officer, **_):
    from assets_map import moderation

    moderation.reject(asset_submission, officer, "Add opening hours.")
    return "vcs@example.org"


def staleness_reminder(stale_asset, **_):
    from assets_map import moderation

    assert moderation.send_staleness_reminders(lambda path: f"https://example.org{path}") == 1
    return "vcs@example.org"


def join_request_to_owners(verified_organisation, **_):
    from assets_map.membership import request_to_join

    request_to_join(verified_organisation, make_user("joiner@example.org"), "Hello",
                    lambda path: f"https://example.org{path}")
    return "vcs@example.org"


def invitation(verified_organisation, vcs_member, **_):
    from assets_map.membership import invite_editor

    invite_editor(verified_organisation, "new@example.org", vcs_member,
                  lambda path: f"https://example.org{path}")
    return "new@example.org"


def allauth_password_reset(client, **_):
    make_user("forgetful@example.org")
    response = client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    return "forgetful@example.org"


def allauth_sign_up_code(client, **_):
    response = client.post("/accounts/signup/", {
        "email": "newcomer@example.org", "password1": "a-long-new-password-1",
        "password2": "a-long-new-password-1"})
    assert response.status_code == 302
    return "newcomer@example.org"


def alerts_confirmation(**_):
    from portal.alerts import following
    from portal.themes.models import Theme

    following.request_confirmation("follower@example.org", [], [Theme.objects.first()],
                                   "immediate")
    return "follower@example.org"


def alert(**_):
    from portal import happenings
    from portal.alerts import following, sending

    follower = following.new_follower(email="alerted@example.org",
                                      confirmed_at=timezone.now())
    follower.save()
    item = happenings.Happening(id="test:results", kind=happenings.RESULTS_PUBLISHED,
                                title="Family hubs", url="/have-your-say/family-hubs/results/",
                                happened_at=timezone.now())
    assert sending.send_to(follower, [item], "batch-1") == 1
    return "alerted@example.org"


PATHS = [forum_confirmation, survey_receipt, survey_safeguarding, feedback_safeguarding,
         asset_decision, staleness_reminder, join_request_to_owners, invitation,
         allauth_password_reset, allauth_sign_up_code, alerts_confirmation, alert]
