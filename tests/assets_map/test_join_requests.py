"""Asking to join an organisation: search, request, owners approve or decline, audit, privacy."""

import pytest
from django.core import mail

from assets_map import membership
from assets_map.models import AuditEvent, JoinRequest, Organisation, OrganisationMembership
from portal.accounts.services import delete_account, export_personal_data
from portal.errors import InputError
from tests.conftest import make_user

from .conftest import ask, decide_url, join_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["community trust", "HARLESDEN", "1123456", "112 3456"])
def test_find_an_organisation_by_name_or_charity_number(demo_site, client, joiner, trust,
                                                        query):
    Organisation.objects.create(name="Kilburn Food Bank")
    client.force_login(joiner)
    html = client.get("/organisations/join/", {"q": query}).content.decode()
    assert "1 organisation matches" in html
    assert "Ask to join Harlesden Community Trust" in html and "Kilburn Food Bank" not in html


def test_search_needs_words_and_says_when_nothing_matches(demo_site, client, joiner, trust):
    client.force_login(joiner)
    html = client.get("/organisations/join/", {"q": ""}).content.decode()
    assert "There is a problem" in html and "Enter part of the organisation" in html
    html = client.get("/organisations/join/", {"q": "zebra"}).content.decode()
    assert "0 organisations match" in html and "Check the spelling" in html


def test_search_and_request_need_sign_in(demo_site, client, trust):
    assert client.get("/organisations/join/?q=trust").status_code == 302
    response = client.post(join_url(trust), {"message": "Hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not JoinRequest.objects.exists()


def test_asking_to_join_emails_the_owners_and_is_audited(demo_site, client, joiner, trust,
                                                          vcs_member):
    editor = make_user("editor@example.org")
    OrganisationMembership.objects.create(organisation=trust, user=editor, role="editor")
    response = ask(client, joiner, trust)
    assert response.status_code == 302 and response["Location"].endswith("/organisations/")
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequest.PENDING
    assert join_request.message == "I run the homework club."
    email = mail.outbox[-1]
    assert email.to == [vcs_member.email]  # owners only, not editors
    # Who asked, and their message, stay on the site: the email holds a link to them.
    assert "joiner@example.org" not in email.body and "Jamal" not in email.body
    assert "homework club" not in email.body
    assert f"/organisations/{trust.slug}/" in email.body
    event = AuditEvent.objects.get(action="join requested")
    assert event.organisation == trust and event.subject_user == joiner
    html = client.get("/organisations/").content.decode()
    assert "You asked to join Harlesden Community Trust on" in html


def test_asking_twice_or_as_a_member_gets_a_clear_message(demo_site, client, joiner, trust,
                                                           vcs_member):
    ask(client, joiner, trust)
    response = ask(client, joiner, trust, "Again")
    html = response.content.decode()
    assert response.status_code == 400
    assert "You asked to join Harlesden Community Trust on" in html
    assert "have not answered yet" in html
    assert JoinRequest.objects.count() == 1
    html = client.get(join_url(trust)).content.decode()
    assert "Its owners have not answered yet" in html and "Send request" not in html
    client.force_login(vcs_member)
    response = client.post(join_url(trust), {"message": ""})
    assert response.status_code == 400
    assert "You are already a member of Harlesden Community Trust." in response.content.decode()
    html = client.get("/organisations/join/", {"q": "trust"}).content.decode()
    assert "You are a member of Harlesden Community Trust" in html


def test_a_too_long_message_is_refused_and_kept(demo_site, client, joiner, trust):
    response = ask(client, joiner, trust, "x" * 1001)
    html = response.content.decode()
    assert response.status_code == 400 and "Keep the message under 1,000 characters." in html
    assert 'href="#id_message"' in html and "x" * 1001 in html
    assert not JoinRequest.objects.exists()


def test_owner_sees_the_request_and_approves_it_as_owner(demo_site, client, joiner, trust,
                                                        vcs_member):
    ask(client, joiner, trust)
    join_request = JoinRequest.objects.get()
    client.force_login(vcs_member)
    html = client.get(f"/organisations/{trust.slug}/").content.decode()
    assert "Requests to join" in html and "I run the homework club." in html
    assert "joiner@example.org" in html and f'name="request-{join_request.pk}-role"' in html
    response = client.post(decide_url(trust, join_request), {
        "approve": "1", f"request-{join_request.pk}-role": "owner"})
    assert response.status_code == 302
    assert trust.role_of(joiner) == OrganisationMembership.OWNER
    assert joiner.groups.filter(name="VCS organisations").exists()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.APPROVED and join_request.role == "owner"
    assert join_request.decided_by == vcs_member
    assert mail.outbox[-1].to == [joiner.email] and "was approved" in mail.outbox[-1].body
    event = AuditEvent.objects.get(action="join approved")
    assert event.actor == vcs_member and event.subject_user == joiner
    assert event.reason == "Role: Owner"
    # A second answer to the same request changes nothing.
    response = client.post(decide_url(trust, join_request), {
        "decline": "1", f"request-{join_request.pk}-role": "editor"}, follow=True)
    assert "This request was already answered." in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.APPROVED


def test_owner_declines_with_a_reason_that_is_emailed(demo_site, client, joiner, trust,
                                                      vcs_member):
    ask(client, joiner, trust)
    join_request = JoinRequest.objects.get()
    client.force_login(vcs_member)
    client.post(decide_url(trust, join_request), {
        "decline": "1", f"request-{join_request.pk}-role": "editor",
        f"request-{join_request.pk}-reason": "We only add our staff."})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.DECLINED
    assert trust.role_of(joiner) is None
    assert mail.outbox[-1].to == [joiner.email]
    assert "Reason: We only add our staff." in mail.outbox[-1].body
    assert AuditEvent.objects.get(action="join declined").reason == "We only add our staff."
    # Declined people may ask again later.
    assert ask(client, joiner, trust, "Now on the staff").status_code == 302


def test_approving_needs_a_role_and_a_decision(demo_site, client, joiner, trust, vcs_member):
    ask(client, joiner, trust)
    join_request = JoinRequest.objects.get()
    client.force_login(vcs_member)
    response = client.post(decide_url(trust, join_request), {"approve": "1"})
    html = response.content.decode()
    assert response.status_code == 400 and "Choose a role." in html
    assert f'href="#id_request-{join_request.pk}-role_0"' in html or \
        f'href="#id_request-{join_request.pk}-role"' in html
    response = client.post(decide_url(trust, join_request), {
        "approve": "1", f"request-{join_request.pk}-role": "admin"})
    assert response.status_code == 400 and "Choose editor or owner." in response.content.decode()
    response = client.post(decide_url(trust, join_request), {
        f"request-{join_request.pk}-role": "editor"})
    assert response.status_code == 400
    assert "Choose “Approve” or “Decline”." in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.PENDING and trust.role_of(joiner) is None


def test_a_request_to_another_organisation_is_not_reachable_through_yours(
        demo_site, client, joiner, trust, vcs_member):
    other = Organisation.objects.create(name="Other charity")
    OrganisationMembership.objects.create(organisation=other, user=make_user("o@example.org"),
                                          role="owner")
    ask(client, joiner, other)
    client.force_login(vcs_member)
    response = client.post(decide_url(trust, JoinRequest.objects.get()), {
        "approve": "1", f"request-{JoinRequest.objects.get().pk}-role": "owner"})
    assert response.status_code == 404
    assert other.role_of(joiner) is None


def test_services_check_owners_and_duplicates(demo_site, joiner, trust, vcs_member):
    join_request = membership.request_to_join(trust, joiner, "", lambda path: path)
    with pytest.raises(InputError) as error:
        membership.request_to_join(trust, joiner, "", lambda path: path)
    assert error.value.code == "duplicate"
    with pytest.raises(InputError) as error:
        membership.request_to_join(trust, vcs_member, "", lambda path: path)
    assert error.value.code == "member"
    with pytest.raises(PermissionError):
        membership.decide_join_request(join_request, joiner, True, "owner")
    with pytest.raises(InputError):
        membership.decide_join_request(join_request, vcs_member, True, "admin")


def test_requests_are_in_the_personal_data_download_and_deleted_with_the_account(
        demo_site, client, joiner, trust, vcs_member):
    ask(client, joiner, trust, "Please add me")
    data = export_personal_data(joiner)["community_assets"]["requests_to_join"]
    assert data[0]["organisation"] == "Harlesden Community Trust"
    assert data[0]["message"] == "Please add me" and data[0]["status"] == "pending"
    delete_account(joiner)
    assert not JoinRequest.objects.exists()
    event = AuditEvent.objects.get(action="join requested")
    assert event.subject_user is None and event.actor is None


def test_audit_trail_lists_membership_events(demo_site, client, joiner, trust, officer,
                                             settings):
    ask(client, joiner, trust)
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    html = client.get("/admin/assets-map/audit/").content.decode()
    assert "asked to join" in html and "Harlesden Community Trust" in html
    assert "joiner@example.org" in html


def test_organisation_slugs_do_not_clash_with_the_self_service_addresses(demo_site):
    assert Organisation.objects.create(name="Join").slug == "join-organisation"
    assert Organisation.objects.create(name="New").slug == "new-organisation"


def test_owner_page_query_count_does_not_grow_with_requests(
        demo_site, client, trust, vcs_member, django_assert_max_num_queries):
    def load():
        client.force_login(vcs_member)
        with django_assert_max_num_queries(40) as context:
            assert client.get(f"/organisations/{trust.slug}/").status_code == 200
        return len(context.captured_queries)

    JoinRequest.objects.create(organisation=trust, user=make_user("a0@example.org"))
    baseline = load()
    for number in range(1, 12):
        JoinRequest.objects.create(organisation=trust, user=make_user(f"a{number}@example.org"))
    assert load() <= baseline
