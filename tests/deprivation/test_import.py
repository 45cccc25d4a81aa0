"""The real IoD2019 files and LSOA boundaries: Brent's 173 LSOAs, what is skipped, re-imports."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.deprivation.importer import import_deprivation
from portal.deprivation.models import NeighbourhoodNeed, StatisticalArea
from portal.neighbourhoods.boundary_import import import_boundaries, load_feature_collection
from portal.neighbourhoods.models import Neighbourhood

from .conftest import BRENT_WARDS, GATESHEAD_LSOAS, IMD_FILE, POPULATION_FILE, both_authorities

pytestmark = pytest.mark.django_db


def test_real_brent_import_reports_the_gateshead_codes_it_skipped(real_files):
    report = import_deprivation(**real_files)
    assert report.ok, report.messages
    assert len(report.created) == 173 and not report.updated
    assert StatisticalArea.objects.count() == 173
    [skipped] = report.skipped
    assert len(skipped.codes) == 126 and skipped.codes[0] == "E01008162"
    assert "126 areas skipped: not in the boundary file (E01008162" in skipped.message
    assert "and 121 more" in skipped.message
    notes = "\n".join(report.notes())
    assert "Local Authority District code (2019)" in notes  # extra columns: ignored, named
    worst = StatisticalArea.objects.get(code="E01000601")
    assert (worst.name, worst.imd_rank, worst.imd_decile) == ("Brent 021B", 1192, 1)
    first = StatisticalArea.objects.get(code="E01000471")
    assert (first.imd_rank, first.population) == (13163, 1586)  # "13,163", "1,586"
    assert first.domains["income"] == {"rank": 16697, "decile": 6}
    assert first.domains["living_environment"]["decile"] in range(1, 11)
    deciles = sorted(StatisticalArea.objects.values_list("imd_decile", flat=True))
    assert [deciles.count(d) for d in range(1, 9)] == [10, 23, 30, 38, 34, 22, 8, 8]


def test_every_real_brent_ward_gets_a_decile(real_files):
    collection = load_feature_collection(BRENT_WARDS)
    assert import_boundaries(collection, "WD13CD", "WD13NM").ok
    report = import_deprivation(**real_files)
    assert report.neighbourhoods == 21
    needs = {need.neighbourhood.name: need
             for need in NeighbourhoodNeed.objects.select_related("neighbourhood")}
    assert len(needs) == Neighbourhood.objects.count() == 21
    assert all(1 <= need.imd_decile <= 10 for need in needs.values())
    # Every Brent LSOA lies in one 2013 ward: the wards' people add up to Brent's.
    total = sum(StatisticalArea.objects.values_list("population", flat=True))
    assert abs(sum(need.population for need in needs.values()) - total) < 0.01 * total
    harlesden, kenton = needs["Harlesden"], needs["Kenton"]
    assert harlesden.imd_decile < kenton.imd_decile
    assert sum(harlesden.quintile_population.values()) == pytest.approx(
        harlesden.population, abs=5)
    assert set(harlesden.domains) >= {"income", "crime", "living_environment"}


def test_demo_neighbourhoods_all_have_a_decile(demo_site):
    needs = NeighbourhoodNeed.objects.select_related("neighbourhood")
    assert {need.neighbourhood.name for need in needs} == set(
        Neighbourhood.objects.values_list("name", flat=True))
    assert StatisticalArea.objects.count() == 173
    decile = {need.neighbourhood.name: need.imd_decile for need in needs}
    assert decile["Harlesden"] <= 2 and decile["Harlesden"] < decile["Wembley"]


def test_reimport_updates_and_dry_run_writes_nothing(real_files):
    import_deprivation(**real_files)
    StatisticalArea.objects.filter(code="E01000471").update(imd_rank=1, imd_decile=1)
    dry = import_deprivation(**real_files, dry_run=True)
    assert dry.ok and len(dry.updated) == 173 and not dry.created
    assert "Dry run" in dry.summary()
    assert StatisticalArea.objects.get(code="E01000471").imd_rank == 1
    again = import_deprivation(**real_files)
    assert len(again.updated) == 173 and StatisticalArea.objects.count() == 173
    assert StatisticalArea.objects.get(code="E01000471").imd_rank == 13163


def test_gateshead_boundaries_under_the_old_district_code_match_the_imd_rows(data):
    report = import_deprivation(boundaries=GATESHEAD_LSOAS, imd=IMD_FILE,
                                population=POPULATION_FILE)
    assert report.ok and len(report.created) == 126
    assert [len(item.codes) for item in report.skipped] == [173]  # Brent's rows
    assert StatisticalArea.objects.get(code="E01008214").imd_rank == 375


def test_both_authorities_at_once(data):
    report = import_deprivation(boundaries=both_authorities(), imd=IMD_FILE,
                                population=POPULATION_FILE)
    assert report.ok and len(report.created) == 299 and not report.skipped


def test_command_prints_the_report_and_fails_cleanly(real_files, capsys, tmp_path):
    call_command("import_deprivation", "--boundaries", str(real_files["boundaries"]),
                 "--imd", str(IMD_FILE), "--population", str(POPULATION_FILE), "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run" in out and "126 areas skipped" in out
    assert not StatisticalArea.objects.exists()
    bad = tmp_path / "imd.csv"
    bad.write_text("LSOA code (2011),Index of Multiple Deprivation (IMD) Rank\r\nE01000471,5\r\n")
    with pytest.raises(CommandError, match="Index of Multiple Deprivation \\(IMD\\) Decile"):
        call_command("import_deprivation", "--boundaries", str(real_files["boundaries"]),
                     "--imd", str(bad), "--population", str(POPULATION_FILE))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_deprivation", "--boundaries", str(tmp_path / "none.geojson"),
                     "--imd", str(IMD_FILE), "--population", str(POPULATION_FILE))
