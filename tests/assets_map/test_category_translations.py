"""Asset categories translated through wagtail-localize (issue 13, item 1).

The default-locale row is the category every asset points at; a translation only gives its
name in another language. `AssetCategory.objects` sees one row per category, `all_locales`
every row; residents reading in Welsh see Welsh names on the asset map, asset pages, the
asset form and search; open data keeps the English names.
"""

import io
import uuid

import polib
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import (
    Translation,
    TranslationSource,
)

from assets_map.category_names import category_name, localized_names
from assets_map.category_translations import CategoryTranslationError, translate_category
from assets_map.forms import AssetFilterForm, AssetForm
from assets_map.management.commands.load_demo_category_translations import WELSH
from assets_map.models import AssetCategory, Service
from tests.translating import translate

pytestmark = pytest.mark.django_db

SEEDED = 14  # assets_map.0002_categories_and_permissions


@pytest.fixture
def welsh(db):
    return Locale.objects.get_or_create(language_code="cy")[0]


@pytest.fixture
def welsh_library(library, welsh):
    library.description = "Borrow books and use computers."
    library.save()
    return translate_category(library, welsh, "Llyfrgell",
                              "Benthyg llyfrau a defnyddio cyfrifiaduron.")


def translate_page(page, locale):
    """Publish `page` in `locale` through wagtail-localize, every string marked, slug kept."""
    return translate(page, locale.language_code, keep={page.slug})


@pytest.fixture
def welsh_map(map_page, welsh):
    return translate_page(map_page, welsh)


def test_a_translation_is_made_through_wagtail_localize(library, welsh, welsh_library):
    assert welsh_library.pk != library.pk
    assert welsh_library.locale_id == welsh.pk
    assert welsh_library.translation_key == library.translation_key
    assert welsh_library.name == "Llyfrgell"
    assert welsh_library.description == "Benthyg llyfrau a defnyddio cyfrifiaduron."
    # Slug and sort order are kept in step with the category, not translated.
    assert (welsh_library.slug, welsh_library.sort_order) == (library.slug, library.sort_order)
    assert library.get_translation(welsh) == welsh_library
    assert list(library.get_translations()) == [welsh_library]
    assert TranslationSource.objects.get_for_instance(library).translations.filter(
        target_locale=welsh).exists()


def test_objects_sees_one_row_per_category(library, welsh_library):
    assert AssetCategory.objects.count() == SEEDED
    assert AssetCategory.all_locales.count() == SEEDED + 1
    assert AssetCategory.objects.get(slug="library") == library
    assert not AssetCategory.objects.filter(name="Llyfrgell").exists()
    assert AssetCategory._default_manager is AssetCategory.all_locales


def test_existing_categories_have_the_default_locale_and_their_own_keys():
    rows = list(AssetCategory.all_locales.values_list("locale__language_code",
                                                      "translation_key"))
    assert len(rows) == SEEDED
    assert {code for code, _key in rows} == {"en"}
    assert len({key for _code, key in rows}) == SEEDED


def test_names_and_slugs_are_unique_per_locale(library, welsh, welsh_library):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssetCategory.objects.create(name="Library", slug="library-2")
    with pytest.raises(IntegrityError), transaction.atomic():
        AssetCategory.objects.create(name="Libraries", slug="library")
    with pytest.raises(IntegrityError), transaction.atomic():
        AssetCategory.all_locales.create(name="Llyfrgell", slug="llyfrgell", locale=welsh,
                                         translation_key=uuid.uuid4())
    # An English name may be used again in Welsh.
    same = AssetCategory.all_locales.create(name="Library", slug="school", locale=welsh,
                                           translation_key=uuid.uuid4())
    assert same.pk and AssetCategory.objects.get(name="Library") == library


def test_translating_again_updates_the_translation(library, welsh, welsh_library):
    again = translate_category(library, welsh, "Llyfrgelloedd")
    assert again.pk == welsh_library.pk and again.name == "Llyfrgelloedd"
    assert again.description == "Benthyg llyfrau a defnyddio cyfrifiaduron."
    assert AssetCategory.all_locales.filter(translation_key=library.translation_key).count() == 2


def test_bad_translation_requests_are_refused(library, welsh, welsh_library):
    english = Locale.get_default()
    with pytest.raises(CategoryTranslationError, match="its own language"):
        translate_category(library, english, "Library")
    with pytest.raises(CategoryTranslationError, match="not a translation"):
        translate_category(welsh_library, english, "Library")
    with pytest.raises(CategoryTranslationError, match="name in the other language"):
        translate_category(library, welsh, "  ")


def test_names_in_the_active_language_fall_back_to_english(library, welsh_library):
    centre = AssetCategory.objects.get(slug="community-centre")
    with translation.override("cy"):
        names = localized_names()
        assert names[library.pk] == "Llyfrgell"
        assert names[centre.pk] == "Community centre"  # not translated: English
        assert welsh_library.pk not in names
        assert category_name(library) == category_name(library.pk) == "Llyfrgell"
    with translation.override("en"):
        assert category_name(library) == "Library"
    assert category_name(None) == "" and category_name("nothing") == "nothing"


def test_an_asset_keeps_pointing_at_the_category_itself(make_asset, library, welsh_library):
    asset = make_asset()
    assert asset.category_id == library.pk
    assert not welsh_library.assets.exists()
    # Nothing may point an asset at a translation (the admin's form validates this way).
    asset.category = welsh_library
    with pytest.raises(ValidationError) as error:
        asset.full_clean()
    assert "category" in error.value.message_dict


def test_residents_forms_offer_categories_in_their_language(library, welsh_library):
    with translation.override("cy"):
        form = AssetForm()
        choices = {str(value): label for value, label in form.fields["category"].choices}
        filters = dict(AssetFilterForm().fields["category"].choices)
    assert choices[str(library.pk)] == "Llyfrgell"
    assert str(welsh_library.pk) not in choices  # only the categories themselves
    assert len(choices) == SEEDED + 1  # and "Choose one"
    assert filters["library"] == "Llyfrgell"
    assert filters["community-centre"] == "Community centre"
    refused = AssetForm({"name": "Llyfrgell Harlesden", "category": str(welsh_library.pk)})
    assert not refused.is_valid() and "category" in refused.errors
    with translation.override("en"):
        labels = [label for _value, label in AssetFilterForm().fields["category"].choices]
    assert "Library" in labels and "Llyfrgell" not in labels


def test_the_welsh_asset_map_and_asset_page_name_categories_in_welsh(
        client, map_page, welsh_map, make_asset, welsh_library):
    make_asset()
    make_asset("Harlesden Community Centre",
               category=AssetCategory.objects.get(slug="community-centre"))
    welsh_url = welsh_map.url
    assert welsh_url.startswith("/cy/")
    page = client.get(welsh_url).content.decode()
    assert "Llyfrgell" in page
    assert "Community centre" in page  # untranslated: the English name
    assert 'data-category-field="id_category"' in page  # the map's labels
    assert '<option value="library">Llyfrgell</option>' in page
    detail = client.get(f"{welsh_url}harlesden-library/")
    assert detail.status_code == 200 and "Llyfrgell" in detail.content.decode()

    english = client.get(map_page.url).content.decode()
    assert "Library" in english and "Llyfrgell" not in english
    english_detail = client.get(f"{map_page.url}harlesden-library/").content.decode()
    assert "Library" in english_detail and "Llyfrgell" not in english_detail


def test_the_welsh_asset_map_costs_no_query_per_category(client, welsh_map, make_asset,
                                                         welsh, welsh_library,
                                                         django_assert_max_num_queries):
    make_asset()
    client.get(welsh_map.url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(welsh_map.url).status_code == 200
    for number, slug in enumerate(["community-centre", "health", "school", "advice",
                                   "youth", "older-people"]):
        category = AssetCategory.objects.get(slug=slug)
        translate_category(category, welsh, WELSH[slug])
        make_asset(f"Place {number}", category=category)
    with django_assert_max_num_queries(len(few) + 1):
        page = client.get(welsh_map.url).content.decode()
    assert "Pobl hŷn" in page and "Canolfan gymunedol" in page


def test_open_data_keeps_the_english_names(client, make_asset, library, welsh_library):
    asset = make_asset()
    Service.objects.create(asset=asset, name="Homework club")
    client.cookies["django_language"] = "cy"
    welsh_reader = {"HTTP_ACCEPT_LANGUAGE": "cy"}
    geojson = client.get("/api/assets.geojson", **welsh_reader).json()
    properties = geojson["features"][0]["properties"]
    assert (properties["category"], properties["category_slug"]) == ("Library", "library")
    csv = client.get("/api/assets.csv", **welsh_reader).content.decode()
    assert "library" in csv and "Llyfrgell" not in csv
    services = client.get("/api/openreferral/services", **welsh_reader).content.decode()
    assert "Homework club" in services and "Llyfrgell" not in services


def test_site_search_names_the_category_in_welsh(make_asset, welsh_library):
    from assets_map.search_provider import AssetSearchProvider

    asset = make_asset()
    with translation.override("cy"):
        assert AssetSearchProvider().hit(asset, "/cy/asedau/").meta.startswith("Llyfrgell")
    with translation.override("en"):
        assert AssetSearchProvider().hit(asset, "/assets/").meta.startswith("Library")


def test_site_search_finds_assets_by_their_category_or_theme_in_welsh(
        make_asset, welsh, welsh_library):
    from assets_map.search_provider import AssetSearchProvider
    from portal.search.hits import SearchQuery
    from portal.themes.models import Theme

    housing = Theme.objects.get(slug="housing")
    translate(housing, "cy", {"Housing": "Tai a chartrefi"})
    library = make_asset(name="Harlesden Library")
    advice = make_asset(name="Harlesden Advice Centre", category=AssetCategory.objects.get(
        slug="community-centre"))
    advice.themes.add(housing)

    def found(term):
        query = SearchQuery(text=term, terms=(term,))
        return {hit.title for hit in AssetSearchProvider().search(query)}

    assert found("llyfrgell") == {library.name}
    assert found("chartrefi") == {advice.name}
    assert found("cyfrifiaduron") == set()  # a translated description is not a category name


def test_demo_category_translations_leave_one_welsh_row_per_category(welsh):
    call_command("load_demo_category_translations", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo_category_translations", stdout=out)
    assert "translated into Welsh: 14" in out.getvalue()
    assert AssetCategory.objects.count() == SEEDED
    assert AssetCategory.all_locales.filter(locale=welsh).count() == SEEDED
    assert set(WELSH) == set(AssetCategory.objects.values_list("slug", flat=True))
    with translation.override("cy"):
        names = localized_names()
    assert names[AssetCategory.objects.get(slug="food-support").pk] == "Cymorth bwyd"
    assert names[AssetCategory.objects.get(slug="library").pk] == "Llyfrgell"


@pytest.fixture
def admin_client(client, superuser, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False  # staff MFA is tested with the accounts
    client.force_login(superuser)
    return client


def test_the_snippet_admin_offers_translate(admin_client, library, welsh_library):
    listing = admin_client.get("/admin/snippets/assets_map/assetcategory/").content.decode()
    school = AssetCategory.objects.get(slug="school")
    assert f"/admin/localize/submit/snippet/assets_map/assetcategory/{school.pk}/" in listing
    assert f"/admin/localize/submit/snippet/assets_map/assetcategory/{library.pk}/" not in listing
    edit = admin_client.get(f"/admin/snippets/assets_map/assetcategory/edit/{welsh_library.pk}/")
    assert edit.status_code == 200 and "Llyfrgell" in edit.content.decode()
    # The asset admin still works, on the categories themselves.
    assert admin_client.get("/admin/snippets/assets_map/asset/add/").status_code == 200
    filtered = admin_client.get(f"/admin/snippets/assets_map/asset/?category={library.pk}")
    assert filtered.status_code == 200


def test_a_translator_works_from_a_po_file(admin_client, library, welsh, welsh_library):
    record = Translation.objects.get(source__object_id=library.translation_key,
                                     target_locale=welsh)
    response = admin_client.get(reverse("wagtail_localize:download_pofile", args=[record.id]))
    po = polib.pofile(response.content.decode())
    assert {entry.msgid: entry.msgstr for entry in po}["Library"] == "Llyfrgell"
    for entry in po:
        if entry.msgid == "Library":
            entry.msgstr = "Llyfrgelloedd"
    upload = admin_client.post(
        reverse("wagtail_localize:upload_pofile", args=[record.id]),
        {"file": SimpleUploadedFile("library-cy.po", str(po).encode())})
    assert upload.status_code == 302
    record.save_target(publish=True)
    assert library.get_translation(welsh).name == "Llyfrgelloedd"
    # A PO file that is not this translation's is refused, and nothing changes.
    other = polib.POFile()
    other.metadata = {"X-WagtailLocalize-TranslationID": str(uuid.uuid4())}
    admin_client.post(reverse("wagtail_localize:upload_pofile", args=[record.id]),
                      {"file": SimpleUploadedFile("other.po", str(other).encode())})
    record.save_target(publish=True)
    assert library.get_translation(welsh).name == "Llyfrgelloedd"


def test_the_content_translations_report_lists_categories(library, welsh_library):
    from portal.content_translations import NOT_TRANSLATED, TRANSLATED, collect

    rows = {(row.item.title, row.language): row for row in collect()
            if row.item.type_name == "Asset category"}
    assert {title for title, _code in rows} == set(
        AssetCategory.objects.values_list("name", flat=True))
    assert rows[("Library", "cy")].state == TRANSLATED
    assert rows[("School", "cy")].state == NOT_TRANSLATED
    assert "/admin/localize/submit/snippet/assets_map/assetcategory/" in (
        rows[("School", "cy")].item.submit_url)
