"""The admin's "Content translations" report (portal/content_translations.py): the state of
each page in each offered language, worked out from wagtail-localize's own records, in a fixed
number of queries; who may see it; its filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from portal import content_translations as report
from portal.pages.models import StandardPage
from portal.themes.models import Theme

URL = "/admin/content-translations/"


@pytest.fixture
def welsh(db):
    return Locale.objects.get_or_create(language_code="cy")[0]


@pytest.fixture
def top(db):
    root = Page.get_first_root_node()
    return root.add_child(instance=StandardPage(title="Borough pages", slug="borough-pages",
                                                introduction="Everything about the borough."))


def add_page(parent, title, introduction="An introduction."):
    page = parent.add_child(instance=StandardPage(title=title, slug=title.lower().replace(" ", "-"),
                                                  introduction=introduction))
    page.save_revision().publish()
    return page


def translate(page, locale, capture, fill=None, kind="manual", save=True):
    """Translate a page with wagtail-localize: `fill` says which source strings get a Welsh
    text (all by default)."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        if fill is None or entry.msgid in fill:
            entry.msgstr = f"CY {entry.msgid}"
    translation.import_po(po, translation_type=kind)
    if save:
        with capture(execute=True):
            translation.save_target(publish=True)
    return translation


def states(language="cy", pages=True, snippet_type="Theme"):
    return {row.item.title: row for row in report.collect()
            if row.language == language and row.item.is_page == pages
            and (pages or row.item.type_name == snippet_type)}


@pytest.fixture
def family(top, welsh, django_capture_on_commit_callbacks):
    """One page in each state."""
    capture = django_capture_on_commit_callbacks
    translate(top, welsh, capture)
    pages = {"untranslated": add_page(top, "Untranslated"), "copy": add_page(top, "Copied")}
    pages["copy"].copy_for_translation(welsh)
    pages["partly"] = add_page(top, "Partly", "First part.")
    translate(pages["partly"], welsh, capture, fill={"Partly", "partly"})
    pages["full"] = add_page(top, "Full")
    translate(pages["full"], welsh, capture)
    pages["machine"] = add_page(top, "Machine")
    translate(pages["machine"], welsh, capture, fill={"Machine"}, kind="machine")
    translate(pages["machine"], welsh, capture)  # the rest by hand
    pages["changed"] = add_page(top, "Changed")
    translate(pages["changed"], welsh, capture)
    return pages


def test_each_state_from_wagtail_localize_records(family):
    rows = states()
    assert rows["Untranslated"].state == report.NOT_TRANSLATED
    assert rows["Untranslated"].label == "Not translated"
    assert rows["Copied"].state == report.COPY
    assert rows["Copied"].label == "Copy, not translated"
    partly = rows["Partly"]
    assert (partly.state, partly.translated, partly.total) == (report.PARTLY, 2, 3)
    assert partly.label == "Partly translated: 2 of 3 strings"
    assert rows["Full"].state == report.TRANSLATED and rows["Full"].label == "Translated"
    machine = rows["Machine"]
    assert (machine.state, machine.machine) == (report.MACHINE, 1)
    assert machine.label == "Machine-drafted: 1 string"
    assert rows["Borough pages"].state == report.TRANSLATED


def test_partly_counts_the_slug_as_a_string(family):
    """wagtail-localize sends the title, the slug and the introduction: the slug was filled
    in as the title's ("partly" is both), so 2 of 3."""
    source = TranslationSource.objects.get(object_id=family["partly"].translation_key)
    assert sorted(source.stringsegment_set.values_list("string__data", flat=True)) == [
        "First part.", "Partly", "partly"]


def test_a_source_changed_but_not_synced_is_out_of_date_then_partly_then_translated(
        family, welsh, django_capture_on_commit_callbacks):
    page = family["changed"]
    assert states()["Changed"].state == report.TRANSLATED
    page.introduction = "A new introduction."
    revision = page.save_revision()
    # A draft is not what a sync would take (it takes the published page): still translated.
    assert states()["Changed"].state == report.TRANSLATED
    revision.publish()
    row = states()["Changed"]
    # Every string of the snapshot is translated (wagtail-localize says "Up to date"), but the
    # page changed after the snapshot: the translators have not seen the new text.
    assert row.state == report.OUT_OF_DATE and row.label == "Out of date"
    assert "sync" in row.reason
    source = TranslationSource.objects.get(object_id=page.translation_key)
    source.update_from_db()
    # Synced: the changed string is waiting for a translation (wagtail-localize's "Waiting for
    # translations").
    row = states()["Changed"]
    assert (row.state, row.translated, row.total) == (report.PARTLY, 2, 3)
    translation = Translation.objects.get(source=source, target_locale=welsh)
    po = translation.export_po()
    for entry in po:
        entry.msgstr = entry.msgstr or "Cyflwyniad newydd."
    translation.import_po(po)
    # Translated but not yet published from the new text.
    row = states()["Changed"]
    assert row.state == report.OUT_OF_DATE and "not published" in row.reason
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    assert states()["Changed"].state == report.TRANSLATED
    assert page.get_translation(welsh).specific.introduction == "Cyflwyniad newydd."


def test_a_translation_with_an_error_does_not_count(family, welsh):
    source = TranslationSource.objects.get(object_id=family["full"].translation_key)
    StringTranslation.objects.filter(locale=welsh, context__object_id=source.object_id,
                                     translation_of__data="Full").update(has_error=True)
    row = states()["Full"]
    assert (row.state, row.translated, row.total) == (report.PARTLY, 2, 3)


def test_a_stopped_translation_is_a_copy(family, welsh):
    Translation.objects.filter(source__object_id=family["full"].translation_key).update(
        enabled=False)
    assert states()["Full"].state == report.COPY


def test_links_to_the_source_and_to_the_translation(family, welsh):
    rows = states()
    full = family["full"]
    assert rows["Full"].item.edit_url == f"/admin/pages/{full.pk}/edit/"
    welsh_full = full.get_translation(welsh)
    assert rows["Full"].translation_edit_url == f"/admin/pages/{welsh_full.pk}/edit/"
    untranslated = rows["Untranslated"]
    assert untranslated.translation_edit_url is None
    assert untranslated.item.submit_url == (
        f"/admin/localize/submit/page/{family['untranslated'].pk}/")


def test_counts_per_language_and_state(family):
    counts = report.count_states([row for row in report.collect() if row.item.is_page])
    assert [entry["code"] for entry in counts] == ["cy"]
    by_state = {state: number for state, _label, number in counts[0]["states"]}
    # Wagtail's own welcome page is live in the test database, and not translated.
    assert by_state == {report.NOT_TRANSLATED: 2, report.COPY: 1, report.PARTLY: 1,
                        report.OUT_OF_DATE: 0, report.MACHINE: 1, report.TRANSLATED: 3}


def test_only_offered_languages_and_a_language_without_a_locale(family, settings):
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [
        ("en", "English"), ("cy", "Cymraeg"), ("ar", "العربية")]
    arabic = {row.item.title: row for row in report.collect() if row.language == "ar"}
    assert {row.state for row in arabic.values()} == {report.NOT_TRANSLATED}
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [("en", "English")]
    assert report.collect() == []


def test_the_number_of_queries_does_not_grow_with_the_pages(
        family, top, welsh, django_capture_on_commit_callbacks):
    report.collect()  # content types cached
    with CaptureQueriesContext(connection) as before:
        report.collect()
    for number in range(6):
        page = add_page(top, f"More {number}")
        translate(page, welsh, django_capture_on_commit_callbacks, fill={f"More {number}"})
    with CaptureQueriesContext(connection) as after:
        rows = report.collect()
    snippets = sum(model._default_manager.filter(locale__language_code="en").count()
                   for model in report.translatable_snippet_models())  # themes, categories
    assert len(rows) == len(Page.objects.filter(locale__language_code="en", live=True,
                                                depth__gt=1)) + snippets
    # Nine, and two for each translatable snippet model (its objects, its translations).
    snippet_models = len(report.translatable_snippet_models())
    assert len(after.captured_queries) == len(before.captured_queries) <= 9 + 2 * snippet_models


def test_translatable_snippets_are_listed_too(welsh, django_capture_on_commit_callbacks):
    """Themes are translatable snippets: each one, in each language, like a page."""
    housing = Theme.objects.get(slug="housing")
    themes = states(pages=False)
    assert set(themes) == set(Theme.objects.values_list("name", flat=True))
    row = themes[housing.name]
    assert (row.state, row.item.type_name) == (report.NOT_TRANSLATED, "Theme")
    assert row.item.edit_url == f"/admin/snippets/themes/theme/edit/{housing.pk}/"
    assert row.item.submit_url == f"/admin/localize/submit/snippet/themes/theme/{housing.pk}/"
    translate(housing, welsh, django_capture_on_commit_callbacks, kind="machine")
    row = states(pages=False)[housing.name]
    assert (row.state, row.machine) == (report.MACHINE, row.total)
    welsh_housing = Theme.all_locales.get(translation_key=housing.translation_key, locale=welsh)
    assert row.translation_edit_url == f"/admin/snippets/themes/theme/edit/{welsh_housing.pk}/"


# -- the admin page -------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "allowed"), [
    ("anonymous", False), ("resident", False), ("vcs_owner", False), ("councillor", False),
    ("officer", True), ("superuser", True)])
def test_who_may_see_the_report(client, people, settings, role, allowed):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get(URL)
    if allowed:
        assert response.status_code == 200
        assert "Content translations" in response.content.decode()
    else:
        assert response.status_code in (302, 403)
        assert b"Not translated" not in response.content


def test_the_report_page_lists_states_and_filters(client, superuser, family, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(superuser)
    html = client.get(URL).content.decode()
    assert "Partly translated: 2 of 3 strings" in html
    assert "Machine-drafted: 1 string" in html
    assert "Copy, not translated" in html
    assert f'href="/admin/pages/{family["full"].pk}/edit/"' in html
    assert 'href="?language=cy&amp;state=copy"' in html
    html = client.get(URL, {"language": "cy", "state": "copy"}).content.decode()
    assert 'data-state="copy"' in html
    assert 'data-state="translated"' not in html and "Untranslated" not in html
    assert "1 row" in html


@pytest.mark.parametrize("query", [{"language": "xx"}, {"state": "lost"}, {"p": "abc"},
                                   {"p": "999"}, {"language": "<b>"}])
def test_bad_filters_get_a_clear_message_not_an_error(client, superuser, family, settings,
                                                      query):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(superuser)
    response = client.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<b>" not in html.split("<main", 1)[-1]
    if "p" not in query:
        assert "this report knows; showing all." in html
        assert 'data-state="copy"' in html and 'data-state="translated"' in html


def test_the_menu_item_shows_for_officers_only(client, officer, councillor, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    assert URL in client.get("/admin/reports/").content.decode() or URL in client.get(
        "/admin/").content.decode()
    client.force_login(councillor)
    assert URL not in client.get("/admin/").content.decode()
