"""Organisation and asset names are one line of readable text (portal.validators): refused
with a clear message next to the field, nothing saved, never a server error."""

import pytest
from django.core.exceptions import ValidationError

from assets_map.models import Asset, Organisation
from tests.conftest import post_as_bytes

from .conftest import asset_form_data

pytestmark = pytest.mark.django_db

BAD_NAMES = [
    ("Evil Trust\r\nBcc: everyone@example.org", "Enter the name on one line"),
    ("Evil\x00Trust", "null character"),
    ("\ud800", "could not be read"),
    ("Trust \ud800\udfff\ud800", "could not be read"),
]


@pytest.mark.parametrize(("name", "message"), BAD_NAMES)
def test_an_organisation_name_that_is_not_one_line_of_text_is_refused(client, resident, name,
                                                                      message):
    client.force_login(resident)
    response = post_as_bytes(client, "/organisations/new/", {"name": name})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'href="#id_name"' in html
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(("name", "message"), BAD_NAMES)
def test_an_asset_name_that_is_not_one_line_of_text_is_refused(demo_site, client, organisation,
                                                               vcs_member, name, message):
    client.force_login(vcs_member)
    response = post_as_bytes(client, f"/organisations/{organisation.slug}/assets/new/",
                             asset_form_data(name=name))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Asset.objects.exists()


def test_the_models_refuse_them_too(library):
    with pytest.raises(ValidationError) as caught:
        Organisation(name="A\nB", slug="a-b").full_clean()
    assert "name" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        Asset(name="\ud800", slug="x", category=library, latitude=51.5, longitude=-0.2
              ).full_clean()
    assert "name" in caught.value.message_dict


def test_the_admin_snippet_form_refuses_a_line_break(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    response = client.post("/admin/snippets/assets_map/organisation/add/",
                           {"name": "Council\r\nTrust", "slug": "council-trust"})
    assert response.status_code == 200
    assert "Enter the name on one line" in response.content.decode()
    assert not Organisation.objects.exists()
