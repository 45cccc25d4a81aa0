"""CSV import: the real libraries file with its quirks, idempotence, dry run, row-by-row errors."""

import io

import pytest
from django.core.management import call_command

from assets_map.importers import import_assets_csv
from assets_map.models import Asset

pytestmark = pytest.mark.django_db

HEADER = "external_id,name,category,postcode,latitude,longitude,themes,status\n"


def test_real_library_file_imports(demo_site, shared_data):
    data = (shared_data / "assets" / "libraries_brent_gateshead.csv").read_bytes()
    report = import_assets_csv(data)
    assert (report.created, report.updated, report.errors) == (29, 0, [])
    harlesden = Asset.objects.get(external_id="library:209")
    assert harlesden.name == "Harlesden Library" and harlesden.postcode == "NW10 8SE"
    assert harlesden.neighbourhood.name == "Harlesden" and harlesden.status == Asset.PUBLISHED
    closed = Asset.objects.filter(status=Asset.ARCHIVED)
    assert sorted(closed.values_list("name", flat=True)) == [
        "Kensal Rise Library", "Neasden Library", "Tokyngton Library", "Town Hall Library"]
    # The demo borough is Brent: Gateshead's 16 are kept without a neighbourhood, as warnings.
    outside = [message for _line, message in report.warnings if "outside every" in message]
    assert len(outside) == 16
    # Gateshead's websites have no scheme ("www.gatesheadlibraries.com"): kept, and reported.
    completed = [message for _line, message in report.warnings if "no http://" in message]
    assert len(completed) == 16 and len(report.warnings) == 32
    assert Asset.objects.get(external_id="library:1005").website.startswith("http://www.")
    assert Asset.objects.filter(neighbourhood__isnull=True).count() == 16
    assert not Asset.objects.exclude(public_email="").exists()  # emails are never imported
    again = import_assets_csv(data)
    assert (again.created, again.updated) == (0, 29)
    assert Asset.objects.count() == 29


def test_dry_run_reports_and_saves_nothing(demo_site, shared_data):
    out = io.StringIO()
    call_command("import_assets", str(shared_data / "assets" / "libraries_brent_gateshead.csv"),
                 "--dry-run", stdout=out)
    assert "Dry run: nothing was saved. 29 created, 0 updated, 0 skipped." in out.getvalue()
    assert not Asset.objects.exists()


def test_bad_rows_are_reported_and_skipped_good_rows_imported(demo_site):
    rows = [
        "good-1,Harlesden Hall,community-centre,NW10 8SE,,,housing,published",
        "good-2,Kilburn Hall,Community centre,,51.5351,-0.2054,,",
        "bad-1,,library,NW10 8SE,,,,",
        "bad-2,No category,,NW10 8SE,,,,",
        "bad-3,Paris,library,,48.85,2.35,,",
        "bad-4,Swapped,library,,-0.25,51.54,,",
        "bad-5,Unknown postcode,library,ZZ1 1ZZ,,,,",
        "bad-6,Not a number,library,,fifty-one,-0.2,,",
        "bad-7,Bad theme,library,NW10 8SE,,,no-such-theme,",
        "bad-8,Bad status,library,NW10 8SE,,,,deleted",
        ",No id,library,NW10 8SE,,,,",
        "bad-9,Unknown category,castle,NW10 8SE,,,,",
    ]
    report = import_assets_csv((HEADER + "\n".join(rows)).encode())
    assert report.created == 2
    messages = dict(report.errors)
    assert len(messages) == 10
    assert "name is missing" in messages[4]
    assert "category is missing" in messages[5]
    assert "outside the United Kingdom" in messages[6]
    assert "look swapped" in messages[7]
    assert "ZZ1 1ZZ is not in our area" in messages[8]
    assert "“fifty-one” is not a number" in messages[9]
    assert "Unknown themes: no-such-theme" in messages[10]
    assert "Unknown status" in messages[11]
    assert "external_id is missing" in messages[12]
    assert "no asset category “castle”" in messages[13]
    assert report.lines()[0] == "2 created, 0 updated, 10 skipped."
    assert Asset.objects.get(external_id="good-1").themes.get().slug == "housing"


def test_wrong_header_is_refused_with_the_expected_columns(demo_site):
    report = import_assets_csv(b"title,place\nA,B\n")
    assert report.created == 0
    assert "The header is not one this importer knows" in report.errors[0][1]
    assert "category, external_id, name" in report.errors[0][1]


def test_bad_encoding_is_refused_with_advice(demo_site):
    report = import_assets_csv((HEADER + "x,Caf\xe9,library,NW10 8SE,,,,\n").encode("latin-1"))
    assert "not UTF-8" in report.errors[0][1] and not Asset.objects.exists()


def test_export_reimports_idempotently(map_page, make_asset, client):
    make_asset("Harlesden Library", external_id="library:209", is_hub=True)
    exported = client.get("/api/assets.csv").content
    report = import_assets_csv(exported)
    assert (report.created, report.updated, report.errors) == (0, 1, [])
    assert Asset.objects.get().is_hub
