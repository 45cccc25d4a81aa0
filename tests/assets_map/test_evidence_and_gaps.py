"""Evidence rows for priorities and the officers' gaps table: published assets per
neighbourhood and theme."""

import pytest

from assets_map import evidence
from assets_map.models import Asset
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
    table = evidence.gaps_table()
    column = table["themes"].index("Housing")
    counts = {row["neighbourhood"]: row["cells"][column] for row in table["rows"]}
    assert counts["Harlesden"] == 1 and counts["Kilburn"] == 0
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    html = client.get("/admin/assets-map/gaps/").content.decode()
    assert "<th scope=\"row\">Harlesden</th>" in html and "Housing" in html
