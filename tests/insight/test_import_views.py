"""The importer's admin pages: permissions, upload refusals, mapping, dry run, the task."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from insight.models import ImportRun, ImportSource, InsightItem
from priorities.models import FeedbackItem
from tests.insight import test_import as base
from tests.insight.test_import import HEAD, MAPPING, csv_file, row, xlsx_file

# The importer tests' fixtures, shared.
place, themes, source = base.place, base.themes, base.source
uploads_elsewhere = base.uploads_elsewhere

pytestmark = pytest.mark.django_db

UPLOAD = reverse("insight:import_upload")


@pytest.fixture(autouse=True)
def no_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False


def upload(client, content, name="feedback.csv", **fields):
    data = {"source": "", "new_name": "Healthwatch", "new_channel": FeedbackItem.HEALTHWATCH,
            "file": SimpleUploadedFile(name, content), **fields}
    return client.post(UPLOAD, data)


XHR = {"x-requested-with": "XMLHttpRequest"}


def test_officers_import(client, officer, superuser):
    for user in (officer, superuser):
        client.force_login(user)
        assert client.get(reverse("insight:imports")).status_code == 200
        assert client.get(UPLOAD).status_code == 200


@pytest.mark.parametrize("who", ["councillor", "resident"])
def test_councillors_and_residents_are_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    # Wagtail turns PermissionDenied into "Sorry, you do not have permission" on the
    # dashboard for a page, and a plain 403 for a script.
    for url in (reverse("insight:imports"), UPLOAD):
        assert client.get(url).status_code in (302, 403)
        assert client.get(url, headers=XHR).status_code == 403
    assert upload(client, csv_file([row("1")])).status_code in (302, 403)
    assert not ImportRun.objects.exists()


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(reverse("insight:imports"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert upload(client, csv_file([row("1")])).status_code == 302
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("name, content, words", [
    ("report.csv", b"%PDF-1.4 fake", "not a CSV or XLSX file"),
    ("report.xlsx", b"Ref,Date\n", "is not an Excel workbook"),
    ("report.csv", b"", "The file is empty"),
])
def test_bad_files_get_an_error_summary_and_store_nothing(client, officer, name, content, words):
    client.force_login(officer)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert words in response.content.decode()
    assert not ImportRun.objects.exists() and not ImportSource.objects.exists()


def test_a_file_over_the_import_limit_is_refused_before_it_is_read(client, officer, settings):
    settings.INSIGHT_IMPORT_MAX_MB = 1
    client.force_login(officer)
    response = upload(client, b"Ref,Date\n" + b"x" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "The file is too big (2.0\xa0MB). Files of up to 1.0\xa0MB" in \
        response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_50_mb_file_gets_the_message_not_a_server_error(client, officer, settings):
    settings.PORTAL_MAX_REQUEST_BYTES = 64 * 1024 * 1024  # past the proxy's limit: our view
    client.force_login(officer)
    response = upload(client, b"Ref,Date\n" + b"x" * (50 * 1024 * 1024))
    assert response.status_code == 413
    assert "The file is too big (50.0\xa0MB). Files of up to 20.0\xa0MB" in \
        response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_50_mb_body_at_the_portal_limit_gets_the_too_big_page(client, officer):
    client.force_login(officer)
    response = client.generic("POST", UPLOAD, b"x", content_type="multipart/form-data; b=1",
                              CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413
    assert "The file you sent is too big" in response.content.decode()


def test_new_source_needs_a_name_and_channel(client, officer):
    client.force_login(officer)
    response = upload(client, csv_file([row("1")]), new_name="", new_channel="")
    text = response.content.decode()
    assert "Choose a source, or enter the name of a new one." in text
    assert "Choose the channel of the new source." in text


def _mapping_data(mapping):
    return {key.replace(":", "__"): heading for key, heading in mapping.items()}


def test_upload_map_dry_run_import_done(client, officer, place, themes,
                                        django_capture_on_commit_callbacks):
    client.force_login(officer)
    content = csv_file([row("1"), row("2", area="Nowhere"), row("3", text="x £")],
                       encoding="cp1252")
    response = upload(client, content)
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("insight:import_mapping", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "read as Windows-1252 text" in page
    assert '<option value="Ref" selected>Ref</option>' in page  # matched by heading
    # A required column left unmapped: error summary, and the upload stays.
    data = _mapping_data({**MAPPING, "neighbourhood": ""})
    response = client.post(reverse("insight:import_mapping", args=[run.pk]), data)
    assert response.status_code == 200
    assert "Choose the column that holds the neighbourhood" in response.content.decode()
    assert ImportRun.objects.filter(pk=run.pk, state=ImportRun.UPLOADED).exists()
    response = client.post(reverse("insight:import_mapping", args=[run.pk]),
                           _mapping_data(MAPPING))
    assert response["Location"] == reverse("insight:import_run", args=[run.pk])
    run.refresh_from_db()
    assert run.source.mapping == MAPPING and run.state == ImportRun.CHECKED
    page = client.get(response["Location"]).content.decode()
    assert "Would create" in page and "Import 2 rows" in page
    assert "Row 3, Neighbourhood: “Nowhere” is not a neighbourhood" in page
    assert not FeedbackItem.objects.exists()  # a dry run saves nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("insight:import_run", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportRun.DONE and run.processed_rows == 3
    assert (run.created_count, run.total_rows) == (2, 3)
    assert FeedbackItem.objects.filter(text="x £").exists()
    page = client.get(reverse("insight:import_run", args=[run.pk])).content.decode()
    assert "What the import did" in page
    assert reverse("insight:import_run", args=[run.pk]) in client.get(
        reverse("insight:imports")).content.decode()


def test_the_next_file_of_a_source_maps_itself(client, officer, source):
    source.mapping = {**MAPPING, "text": "Comment"}
    source.save()
    head = ["Record", "Date", "Comment", "Area"]
    run = ImportRun.objects.create(
        source=source, file=SimpleUploadedFile("f.xlsx", xlsx_file([["1"]], head=head)),
        original_name="f.xlsx")
    client.force_login(officer)
    page = client.get(reverse("insight:import_mapping", args=[run.pk])).content.decode()
    assert '<option value="Comment" selected>Comment</option>' in page
    assert "read as an Excel workbook" in page


def test_the_progress_page_refreshes_while_importing(client, officer, source):
    run = ImportRun.objects.create(source=source, file=SimpleUploadedFile("f.csv", b"a"),
                                   original_name="f.csv", state=ImportRun.RUNNING,
                                   total_rows=1000, processed_rows=500)
    client.force_login(officer)
    response = client.get(reverse("insight:import_run", args=[run.pk]))
    assert response["Refresh"] == "3"
    page = response.content.decode()
    assert '<progress id="import-progress" max="1000" value="500">' in page
    assert "Imported 500 of 1000 rows" in page
    run.state = ImportRun.DONE
    run.save()
    assert "Refresh" not in client.get(reverse("insight:import_run", args=[run.pk]))


def test_personal_columns_are_pointed_out(client, officer, source):
    head = [*HEAD, "Email", "Full name"]
    run = ImportRun.objects.create(
        source=source, file=SimpleUploadedFile("f.csv", csv_file([row("1") + ["a", "b"]],
                                                                 head=head)),
        original_name="f.csv")
    client.force_login(officer)
    page = client.get(reverse("insight:import_mapping", args=[run.pk])).content.decode()
    assert "not imported: Email, Full name" in page
    assert not InsightItem.objects.exists()
