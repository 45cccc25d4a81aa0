"""Adding an editor sends an invitation: the form answers the same whether or not the address
has an account, so it cannot be used to find out who has one; they join when they accept."""

import re

import pytest
from django.core import mail

from assets_map.membership import invitation_token
from assets_map.models import AuditEvent, OrganisationMembership
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def members_url(organisation):
    return f"/organisations/{organisation.slug}/members/"


def invitation_path(message) -> str:
    found = re.search(r"https?://[^/\s]+(/organisations/invitations/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def neutral(html: str, email: str) -> str:
    """The page without what must differ: the address typed and the per-request token."""
    html = html.replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_answer_is_the_same_for_an_address_with_and_without_an_account(
        demo_site, client, organisation, vcs_member):
    make_user("has-account@example.org")
    client.force_login(vcs_member)
    answers, emails = [], []
    for email in ("has-account@example.org", "no-account@example.org"):
        mail.outbox.clear()
        response = client.post(members_url(organisation), {"email": email})
        assert response.status_code == 302
        page = client.get(response["Location"])
        answers.append((response.status_code, response["Location"],
                        neutral(page.content.decode(), email)))
        (message,) = mail.outbox
        emails.append((message.subject, re.sub(r"/invitations/\S+/", "/invitations/T/",
                                               message.body), message.to == [email]))
    assert answers[0] == answers[1]
    assert emails[0] == emails[1]
    assert "We have emailed an invitation to" in answers[0][2]
    # Neither is a member until they accept.
    assert list(organisation.memberships.values_list("user__email", flat=True)) == [
        vcs_member.email]


def test_someone_with_an_account_accepts_and_can_then_edit(demo_site, client, organisation,
                                                           vcs_member, make_asset):
    editor = make_user("New-Editor@example.org")
    client.force_login(vcs_member)
    client.post(members_url(organisation), {"email": "new-editor@example.org"})
    path = invitation_path(mail.outbox[-1])
    assert "Tayo" not in mail.outbox[-1].body and vcs_member.email not in mail.outbox[-1].body
    client.logout()
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(editor)
    page = client.get(path).content.decode()
    assert "Accept the invitation" in page
    assert client.post(path).status_code == 302
    assert organisation.role_of(editor) == OrganisationMembership.EDITOR
    assert AuditEvent.objects.filter(organisation=organisation, action="invitation accepted",
                                     subject_user=editor).exists()
    asset = make_asset("Trust hall", status="draft", organisation=organisation)
    assert client.get(f"/organisations/{organisation.slug}/assets/{asset.pk}/edit/"
                      ).status_code == 200
    # Accepting twice changes nothing.
    assert client.post(path).status_code == 302
    assert organisation.memberships.filter(user=editor).count() == 1


def test_someone_without_an_account_joins_after_signing_up(demo_site, client, organisation,
                                                          vcs_member):
    client.force_login(vcs_member)
    client.post(members_url(organisation), {"email": "later@example.org"})
    path = invitation_path(mail.outbox[-1])
    newcomer = make_user("later@example.org")  # signed up (and verified) since
    client.force_login(newcomer)
    assert client.post(path).status_code == 302
    assert organisation.role_of(newcomer) == OrganisationMembership.EDITOR


def test_an_invitation_for_another_address_is_refused(demo_site, client, organisation,
                                                      resident):
    path = f"/organisations/invitations/{invitation_token(organisation, 'x@example.org')}/"
    client.force_login(resident)
    page = client.get(path).content.decode()
    assert "sent to a different email address" in page and "Accept the invitation" not in page
    response = client.post(path)
    assert response.status_code == 400
    assert "sent to a different email address" in response.content.decode()
    assert organisation.role_of(resident) is None


def test_a_forged_invitation_is_not_found(demo_site, client, organisation, resident):
    client.force_login(resident)
    token = invitation_token(organisation, resident.email)[:-2] + "xx"
    response = client.post(f"/organisations/invitations/{token}/")
    assert response.status_code == 404
    assert "expired or is not valid" in response.content.decode()
    assert organisation.role_of(resident) is None


def test_members_and_bad_addresses_get_errors_next_to_the_field(demo_site, client,
                                                                organisation, vcs_member):
    client.force_login(vcs_member)
    response = client.post(members_url(organisation), {"email": vcs_member.email.upper()})
    assert response.status_code == 400 and "already a member" in response.content.decode()
    response = client.post(members_url(organisation), {"email": "not-an-address"})
    assert response.status_code == 400 and "like name@example.org" in response.content.decode()
    assert not mail.outbox


def test_invitations_are_limited_per_owner(demo_site, client, organisation, vcs_member,
                                           settings):
    settings.ASSETS_MAP_INVITATIONS_PER_HOUR = 2
    client.force_login(vcs_member)
    for number in range(2):
        assert client.post(members_url(organisation),
                           {"email": f"p{number}@example.org"}).status_code == 302
    response = client.post(members_url(organisation), {"email": "p3@example.org"})
    assert response.status_code == 400
    assert "a lot of invitations" in response.content.decode()
    assert len(mail.outbox) == 2
