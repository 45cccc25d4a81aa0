"""Evidence rows, the officers' gaps table, personal data export, and the demo command."""

import io

import pytest
from django.core.management import call_command

from assets_map import evidence, services
from assets_map.models import Asset, Organisation, OrganisationMembership
from portal.accounts.services import export_personal_data
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

from .conftest import KILBURN

pytestmark = pytest.mark.django_db


def test_evidence_counts_published_assets_per_neighbourhood_and_theme(demo_site, make_asset):
    housing, mental = Theme.objects.get(slug="housing"), Theme.objects.get(slug="mental-health")
    for name in ("One", "Two"):
        make_asset(name).themes.add(housing)
    make_asset("Three", at=KILBURN).themes.add(housing, mental)
    make_asset("Draft", status=Asset.DRAFT).themes.add(mental)
    harlesden, kilburn = (Neighbourhood.objects.get(name=n) for n in ("Harlesden", "Kilburn"))
    rows = {(row.neighbourhood_id, row.theme_id): row.count for row in evidence.rows()}
    assert rows == {(harlesden.pk, housing.pk): 2, (kilburn.pk, housing.pk): 1,
                    (kilburn.pk, mental.pk): 1}
    row = next(evidence.rows(kilburn))
    assert row.source == "assets_map" and row.weight == 1.0
    assert isinstance(row, evidence.EvidenceRow) and row._fields == (
        "neighbourhood_id", "theme_id", "source", "weight", "count", "date")


def test_gaps_table_marks_zeros(demo_site, make_asset, client, officer, settings):
    make_asset("One").themes.add(Theme.objects.get(slug="housing"))
    table = services.gaps_table()
    column = table["themes"].index("Housing")
    counts = {row["neighbourhood"]: row["cells"][column] for row in table["rows"]}
    assert counts["Harlesden"] == 1 and counts["Kilburn"] == 0
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    html = client.get("/admin/assets-map/gaps/").content.decode()
    assert "<th scope=\"row\">Harlesden</th>" in html and "Housing" in html


def test_personal_data_export_lists_memberships(demo_site, vcs_member):
    org = Organisation.objects.create(name="Trust")
    OrganisationMembership.objects.create(organisation=org, user=vcs_member, role="owner")
    data = export_personal_data(vcs_member)["community_assets"]
    assert data["organisations"][0]["organisation"] == "Trust"


def test_demo_command_is_idempotent(demo_site, settings):
    settings.DEBUG = True
    call_command("load_demo_assets", "--users", stdout=io.StringIO())
    counts = (Asset.objects.count(), Organisation.objects.count())
    call_command("load_demo_assets", stdout=io.StringIO())
    assert (Asset.objects.count(), Organisation.objects.count()) == counts
    assert 140 <= counts[0] <= 160
    assert Asset.objects.filter(is_hub=True).count() == 3
    harlesden = Asset.objects.get(external_id="library:209")
    assert harlesden.is_hub and harlesden.colocated_organisations.count() == 3
    assert Asset.objects.filter(neighbourhood__isnull=True).count() == 0
    for neighbourhood in Neighbourhood.objects.all():
        assert neighbourhood.assets.count() >= 28


def test_demo_logins_need_debug(demo_site, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_assets", "--users", stdout=io.StringIO())
