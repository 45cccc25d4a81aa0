"""What the asset map adds to a person's "download your data"."""

import pytest

from assets_map.models import Organisation, OrganisationMembership
from portal.accounts.services import export_personal_data

pytestmark = pytest.mark.django_db


def test_personal_data_export_lists_memberships(demo_site, vcs_member):
    org = Organisation.objects.create(name="Trust")
    OrganisationMembership.objects.create(organisation=org, user=vcs_member, role="owner")
    data = export_personal_data(vcs_member)["community_assets"]
    assert data["organisations"][0]["organisation"] == "Trust"
