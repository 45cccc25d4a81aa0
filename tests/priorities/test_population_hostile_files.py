"""Population figures from hostile files: a field beyond the csv module's limit, a NUL byte,
a very long source, a file too big to read, and 100,000 bad rows: a clear, bounded report,
never a server error, and nothing saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.csv_input import MAX_LISTED
from priorities.forms import MAX_POPULATION_FILE_BYTES
from priorities.models import PopulationFigure
from priorities.population import import_population

pytestmark = pytest.mark.django_db

HEADER = "neighbourhood,characteristic,category,people,source\n"


@pytest.fixture
def officer_client(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    return client


def upload(client, text: str | bytes, **data):
    body = text.encode() if isinstance(text, str) else text
    return client.post(reverse("priorities_admin:import_population"),
                       {"file": SimpleUploadedFile("population.csv", body), **data})


def test_a_field_over_the_csv_limit_is_a_row_problem(officer_client, areas):
    text = (HEADER + "Harlesden,population,all,71000,census\n"
            + "Kilburn,population,all,5," + "x" * 200_000 + "\n"
            + "Wembley,population,all,9000,census\n")
    response = upload(officer_client, text)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 row has a problem. Nothing was saved." in html
    assert "Row 3: A field is longer than 131,072 characters" in html
    assert not PopulationFigure.objects.exists()


def test_a_header_over_the_csv_limit_is_refused(areas):
    report = import_population("neighbourhood," + "x" * 200_000 + "\n")
    assert report.errors[0][0] == 1 and "longer than 131,072" in report.errors[0][1]


def test_a_long_source_and_a_nul_byte_are_refused_not_cut_or_stored(areas):
    report = import_population(HEADER + "Harlesden,population,all,71000," + "s" * 201 + "\n"
                               + "Kilburn,population,all,500,Census\x002021\n")
    messages = dict(report.errors)
    assert "The source is 201 characters long; it may have at most 200." in messages[2]
    assert "null character" in messages[3]
    assert not PopulationFigure.objects.exists()


def test_a_hundred_thousand_bad_rows_list_the_first_hundred_and_count_the_rest(
        officer_client, areas):
    text = HEADER + "Atlantis,population,all,1,x\n" * 100_000
    response = upload(officer_client, text)
    html = response.content.decode()
    assert response.status_code == 200
    assert "100000 rows have problems. Nothing was saved." in html
    assert html.count("No neighbourhood has the name or code") == MAX_LISTED
    assert "… and 99,900 more problems, not listed." in html
    assert len(response.content) < 100_000
    assert not PopulationFigure.objects.exists()


def test_the_command_also_lists_a_bounded_number_of_rows(tmp_path, areas):
    path = tmp_path / "population.csv"
    path.write_text(HEADER + "Atlantis,population,all,1,x\n" * 1000, encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1000 rows have problems"):
        call_command("import_population", str(path), stdout=out)
    assert out.getvalue().count("Row ") == MAX_LISTED
    assert "… and 900 more problems, not listed." in out.getvalue()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(officer_client, areas):
    body = (HEADER + "Harlesden,population,all,71000,census\n").encode()
    body += b"#" * (MAX_POPULATION_FILE_BYTES + 1 - len(body))
    response = upload(officer_client, body)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file is too big" in html and "Choose a CSV file of 5.0" in html
    assert not PopulationFigure.objects.exists()
