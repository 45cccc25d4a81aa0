"""Population figures from CSV, through the service, the admin upload and the command: every
row is checked and reported, and with any problem nothing is saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from priorities.models import PopulationFigure
from priorities.population import import_population

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BIG_CSV = ("neighbourhood,characteristic,category,people\n"
           "Harlesden,age,16_24,900\n"
           f"Harlesden,age,25_34,{HUGE}\n"
           "Kilburn,age,25_34,10000001\n"
           "Kilburn,age,35_44,²\n")
MESSAGE = "People must be a whole number from 0 to 10,000,000, not “{}”."


@pytest.fixture
def officer_client(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    return client


def test_population_import_reports_each_bad_row_and_saves_nothing(areas):
    text = ("neighbourhood,characteristic,category,people\n"
            "Harlesden,population,all,71000\n"
            "Nowhere,age,16_24,10\n"
            "Kilburn,age,teen,10\n"
            "Kilburn,age,16_24,lots\n")
    report = import_population(text)
    assert [number for number, _message in report.errors] == [3, 4, 5]
    assert "Nowhere" in report.errors[0][1] and "teen" in report.errors[1][1]
    assert not PopulationFigure.objects.exists()
    good = "neighbourhood,characteristic,category,people\nBRENT-HARLESDEN,age,16_24,\"7,800\"\n"
    assert import_population(good, dry_run=True).created == 1
    assert not PopulationFigure.objects.exists()
    report = import_population(good)
    assert report.created == 1 and PopulationFigure.objects.get().people == 7800


def test_population_import_command_dry_run_and_errors(tmp_path, areas):
    path = tmp_path / "population.csv"
    path.write_text("neighbourhood,characteristic,category,people\nHarlesden,age,16_24,900\n"
                    "Atlantis,age,16_24,5\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_population", str(path), stdout=out)
    assert "Row 3: No neighbourhood has the name or code “Atlantis”." in out.getvalue()
    path.write_text("neighbourhood,characteristic,category,people\nHarlesden,age,16_24,900\n")
    call_command("import_population", str(path), "--dry-run", stdout=out)
    assert not PopulationFigure.objects.exists()
    call_command("import_population", str(path), stdout=out)
    assert PopulationFigure.objects.get().people == 900


# Population figures too big ----------------------------------------------------------------


@pytest.mark.parametrize("dry_run", [False, True])
def test_admin_upload_of_too_big_people_gives_row_errors(officer_client, areas, dry_run):
    data = {"file": SimpleUploadedFile("population.csv", BIG_CSV.encode())}
    if dry_run:
        data["dry_run"] = "on"
    response = officer_client.post(reverse("priorities_admin:import_population"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 rows have problems. Nothing was saved." in html
    for row, value in ((3, HUGE), (4, "10000001"), (5, "²")):
        assert f"Row {row}: {MESSAGE.format(value)}" in html
    assert not PopulationFigure.objects.exists()


@pytest.mark.parametrize("options", [[], ["--dry-run"]])
def test_command_with_too_big_people_lists_rows(tmp_path, areas, options):
    path = tmp_path / "population.csv"
    path.write_text(BIG_CSV, encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 rows have problems"):
        call_command("import_population", str(path), *options, stdout=out)
    assert f"Row 3: {MESSAGE.format(HUGE)}" in out.getvalue()
    assert f"Row 4: {MESSAGE.format('10000001')}" in out.getvalue()
    assert not PopulationFigure.objects.exists()
    path.write_text("neighbourhood,characteristic,category,people\nHarlesden,age,16_24,"
                    "10000000\n", encoding="utf-8")
    call_command("import_population", str(path), stdout=out)
    assert PopulationFigure.objects.get().people == 10_000_000
