"""The preview step: a new asset or a published asset's edit is seen as the public page will
show it, before anything goes to moderation; the live page stays unchanged until approval."""

import pytest

from assets_map import moderation
from assets_map.models import Asset, Submission

from .conftest import asset_form_data

pytestmark = pytest.mark.django_db

NOT_SUBMITTED = "This is a preview; nothing has been submitted yet."


@pytest.fixture
def member_client(client, vcs_member, organisation):
    client.force_login(vcs_member)
    return client


@pytest.fixture
def published(map_page, organisation, make_asset, officer):
    from assets_map.models import Service

    asset = make_asset("Trust hall", organisation=organisation, summary="Rooms to hire.")
    Service.objects.create(asset=asset, name="Room hire")
    return asset


def urls(organisation, asset):
    base = f"/organisations/{organisation.slug}/assets/{asset.pk}/"
    return base + "edit/", base + "preview/", base + "submit/"


def test_a_new_asset_is_previewed_before_it_is_submitted(map_page, member_client,
                                                        organisation):
    response = member_client.post(f"/organisations/{organisation.slug}/assets/new/",
                                  asset_form_data())
    asset = Asset.objects.get()
    assert response["Location"].endswith(f"/assets/{asset.pk}/preview/")
    html = member_client.get(response["Location"]).content.decode()
    assert NOT_SUBMITTED in html and "Submit for moderation" in html and ">Change<" in html
    assert 'class="preview-frame"' in html and "Food parcels" in html
    assert not Submission.objects.exists() and asset.status == Asset.DRAFT


def test_an_edit_is_previewed_then_submitted_while_the_live_page_stays(
        published, member_client, organisation, officer):
    edit, preview, submit = urls(organisation, published)
    response = member_client.post(edit, asset_form_data(
        name="Trust hall", summary="Rooms and a new cafe.", **{"services-0-name": "Cafe"}))
    assert response.status_code == 302 and response["Location"].endswith("/preview/")
    html = member_client.get(preview).content.decode()
    assert NOT_SUBMITTED in html and "Rooms and a new cafe." in html and "Cafe" in html
    assert "The published page stays as it is" in html
    # The public page, the asset row and the queue are untouched.
    live = member_client.get(f"/community-assets/{published.slug}/").content.decode()
    assert "Rooms to hire." in live and "Rooms and a new cafe." not in live
    published.refresh_from_db()
    assert published.summary == "Rooms to hire." and published.services.get().name == "Room hire"
    assert not Submission.objects.filter(status=Submission.PENDING).exists()
    # "Change": the form comes back with everything typed.
    form = member_client.get(edit).content.decode()
    assert 'value="Rooms and a new cafe."' in form and 'value="Cafe"' in form
    # Saving again replaces the draft rather than piling up versions.
    member_client.post(edit, asset_form_data(name="Trust hall", summary="Rooms and a cafe."))
    assert Submission.objects.filter(status=Submission.DRAFT).count() == 1
    # Submitting sends it to the queue; the live page still shows the old version.
    response = member_client.post(submit, follow=True)
    assert "waiting for an officer to check them" in response.content.decode()
    pending = Submission.objects.get(status=Submission.PENDING)
    assert not pending.is_new and pending.data["fields"]["summary"] == "Rooms and a cafe."
    assert not Submission.objects.filter(status=Submission.DRAFT).exists()
    live = member_client.get(f"/community-assets/{published.slug}/").content.decode()
    assert "Rooms to hire." in live
    html = member_client.get(preview).content.decode()
    assert "These changes are waiting for an officer" in html
    assert "Submit for moderation" not in html
    moderation.approve(pending, officer)
    live = member_client.get(f"/community-assets/{published.slug}/").content.decode()
    assert "Rooms and a cafe." in live


def test_the_organisation_page_shows_unsent_changes(published, member_client, organisation):
    edit, _preview, _submit = urls(organisation, published)
    member_client.post(edit, asset_form_data(name="Trust hall", summary="New"))
    html = member_client.get(f"/organisations/{organisation.slug}/").content.decode()
    assert "Published; changes not sent yet" in html and "Preview and submit" in html


def test_submitting_with_nothing_to_send_gets_a_message(published, member_client,
                                                        organisation):
    _edit, _preview, submit = urls(organisation, published)
    response = member_client.post(submit, follow=True)
    assert response.status_code == 200
    assert "There are no changes to send" in response.content.decode()
    assert not Submission.objects.exists()


def test_submitting_twice_gets_a_message(map_page, member_client, organisation, make_asset):
    asset = make_asset("Draft hall", organisation=organisation, status=Asset.DRAFT)
    _edit, _preview, submit = urls(organisation, asset)
    member_client.post(submit)
    response = member_client.post(submit, follow=True)
    assert "already waiting for moderation" in response.content.decode()
    assert Submission.objects.count() == 1


def test_only_members_see_a_preview(published, client, organisation, resident):
    _edit, preview, _submit = urls(organisation, published)
    assert client.get(preview).status_code == 302
    client.force_login(resident)
    assert client.get(preview).status_code == 403


def test_a_pending_edit_is_replaced_only_when_the_next_one_is_sent(
        published, member_client, organisation):
    edit, _preview, submit = urls(organisation, published)
    member_client.post(edit, asset_form_data(name="Trust hall", summary="First"))
    member_client.post(submit)
    member_client.post(edit, asset_form_data(name="Trust hall", summary="Second"))
    # The first stays in the queue while the second is only a draft.
    assert Submission.objects.get(status=Submission.PENDING).data["fields"]["summary"] == \
        "First"
    member_client.post(submit)
    assert Submission.objects.get(status=Submission.PENDING).data["fields"]["summary"] == \
        "Second"
    assert Submission.objects.get(status=Submission.WITHDRAWN).data["fields"]["summary"] == \
        "First"
