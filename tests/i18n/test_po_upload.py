"""PO files for translators, through the admin over HTTP: download a page's translation from
wagtail-localize's editor, fill it in, upload it, publish, and read the Welsh page. The bad
input of issue 13: a PO file for another page, a PO file of an older version of the source, and
a file that is not a PO file: each gets a clear message and changes nothing it should not
(portal/content_translation_views.py replaces wagtail-localize's upload at its address)."""

import polib
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from portal import content_translation_views
from portal.pages.models import HomePage, StandardPage

NEXT = "/admin/pages/"
NOT_FROM_HERE = "not downloaded from the translation of “Recycling” into Welsh"


@pytest.fixture
def admin_client(client, superuser, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(superuser)
    return client


@pytest.fixture
def welsh(demo_site):
    return Locale.objects.get_or_create(language_code="cy")[0]


def make_page(title, introduction):
    home = HomePage.objects.get(locale=Locale.get_default())
    page = home.add_child(instance=StandardPage(
        title=title, slug=title.lower().replace(" ", "-"), introduction=introduction))
    page.save_revision().publish()
    return page


def start_translation(page, locale, capture):
    """What "Translate this page" does: a source, a Translation, and the Welsh page (still in
    English) saved from it."""
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.create(source=source, target_locale=locale)
    with capture(execute=True):
        translation.save_target(publish=True)
    return translation


def download(client, translation) -> polib.POFile:
    response = client.get(reverse("wagtail_localize:download_pofile", args=[translation.id]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return polib.pofile(response.content.decode())


def upload(client, translation, content: bytes, name="page-cy.po"):
    response = client.post(reverse("wagtail_localize:upload_pofile", args=[translation.id]),
                           {"file": SimpleUploadedFile(name, content), "next": NEXT})
    assert response.status_code == 302 and response["Location"] == NEXT
    messages = [(message.level_tag, str(message))
                for message in get_messages(response.wsgi_request)]
    client.cookies.pop("messages", None)  # read: the next request starts without them
    return messages


def saved(translation):
    return dict(StringTranslation.objects.filter(
        locale=translation.target_locale, context__object_id=translation.source.object_id)
        .values_list("translation_of__data", "data"))


WELSH = {"Recycling": "Ailgylchu", "recycling": "ailgylchu",
         "Which bin for what.": "Pa fin ar gyfer beth."}


def fill(po, texts):
    for entry in po:
        entry.msgstr = texts.get(entry.msgid, entry.msgstr)
    return str(po).encode()


@pytest.fixture
def recycling(welsh, django_capture_on_commit_callbacks):
    page = make_page("Recycling", "Which bin for what.")
    return page, start_translation(page, welsh, django_capture_on_commit_callbacks)


def test_the_upload_address_is_ours():
    match = resolve(reverse("wagtail_localize:upload_pofile", args=[1]))
    assert match.url_name == "content_translation_upload_po"
    assert match._func_path == "portal.content_translation_views.upload_po_file"


def test_download_fill_upload_publish_and_read_the_welsh_page(
        admin_client, recycling, welsh, django_capture_on_commit_callbacks):
    page, translation = recycling
    po = download(admin_client, translation)
    assert po.metadata["X-WagtailLocalize-TranslationID"] == str(translation.uuid)
    assert {entry.msgid for entry in po} == set(WELSH)
    messages = upload(admin_client, translation, fill(po, WELSH))
    assert messages == [("success", "3 translated strings imported from the PO file.")]
    assert saved(translation) == WELSH
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    welsh_page = page.get_translation(welsh)
    assert welsh_page.live and welsh_page.url.startswith("/cy/")
    html = admin_client.get(welsh_page.url).content.decode()
    assert "Ailgylchu" in html and "Pa fin ar gyfer beth." in html
    assert "Which bin for what." not in html


def test_a_po_file_for_another_page_is_refused_and_changes_nothing(
        admin_client, recycling, welsh, django_capture_on_commit_callbacks):
    page, translation = recycling
    upload(admin_client, translation, fill(download(admin_client, translation),
                                           {"Recycling": "Ailgylchu"}))
    other_page = make_page("Parking", "Permits and bays.")
    other = start_translation(other_page, welsh, django_capture_on_commit_callbacks)
    before = saved(translation), saved(other)
    content = fill(download(admin_client, other), {"Parking": "Parcio", "Recycling": "Anghywir"})
    messages = upload(admin_client, translation, content)
    assert messages == [("error", "This PO file is for “Parking” in Welsh, not “Recycling” in "
                                  "Welsh, so nothing was imported. Upload it from that "
                                  "translation's editor.")]
    assert (saved(translation), saved(other)) == before
    assert saved(translation) == {"Recycling": "Ailgylchu"}


def test_a_po_file_of_an_older_source_version_imports_only_what_still_matches(
        admin_client, recycling, welsh):
    page, translation = recycling
    upload(admin_client, translation, fill(download(admin_client, translation),
                                           {"Recycling": "Ailgylchu"}))
    old = download(admin_client, translation)
    page.introduction = "Which bin for what, and when."
    page.save_revision().publish()
    translation.source.update_from_db()
    content = fill(old, {"Recycling": "Ailgylchu", "recycling": "ailgylchu",
                         "Which bin for what.": "Pa fin ar gyfer beth."})
    messages = upload(admin_client, translation, content)
    assert messages == [
        ("error", "This PO file was made from an older version of “Recycling”: 1 translated "
                  "string is no longer in the page and was not imported. Nothing already saved "
                  "was changed by it. Download the file again to translate the new text."),
        ("success", "2 translated strings imported from the PO file."),
    ]
    # What was saved stays; the strings that still exist are imported; the old introduction's
    # translation is not stored against the new text, nor as a leftover of the old one.
    assert saved(translation) == {"Recycling": "Ailgylchu", "recycling": "ailgylchu"}
    assert translation.export_po().find("Which bin for what, and when.").msgstr == ""


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not a PO file"),
    ("notes.po", b"msgid \"unterminated\nmsgstr", "not a PO file"),
    ("empty.po", b"", NOT_FROM_HERE),
    ("plain.po", b'msgid "Recycling"\nmsgstr "Ailgylchu"\n', NOT_FROM_HERE),
    ("forged.po", b'msgid ""\nmsgstr ""\n"X-WagtailLocalize-TranslationID: nonsense\\n"\n\n'
                  b'msgid "Recycling"\nmsgstr "Ailgylchu"\n', NOT_FROM_HERE),
])
def test_a_file_that_is_not_this_translations_po_file(admin_client, recycling, name, content,
                                                      expected):
    _page, translation = recycling
    messages = upload(admin_client, translation, content, name)
    assert len(messages) == 1 and messages[0][0] == "error"
    assert expected in messages[0][1] and "nothing was imported" in messages[0][1]
    assert saved(translation) == {}


def test_no_file_and_a_file_too_large(admin_client, recycling, settings, monkeypatch):
    _page, translation = recycling
    url = reverse("wagtail_localize:upload_pofile", args=[translation.id])
    response = admin_client.post(url, {"next": NEXT})
    assert response.status_code == 302
    assert "not a PO file" in str(list(get_messages(response.wsgi_request))[0])
    monkeypatch.setattr(content_translation_views, "MAX_PO_BYTES", 10)
    po = download(admin_client, translation)
    messages = upload(admin_client, translation, fill(po, WELSH))
    assert "larger than 2 MB" in messages[0][1]
    assert saved(translation) == {}


def test_a_po_file_with_an_empty_translation(admin_client, recycling):
    _page, translation = recycling
    messages = upload(admin_client, translation, str(download(admin_client, translation)).encode())
    assert messages == [("warning", "The PO file has no translated strings: nothing was "
                                    "imported.")]


@pytest.mark.parametrize("role", ["councillor", "resident"])
def test_people_who_may_not_edit_the_page_cannot_upload(client, people, recycling, settings,
                                                         role):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    _page, translation = recycling
    client.force_login(people[role])
    url = reverse("wagtail_localize:upload_pofile", args=[translation.id])
    response = client.post(url, {"file": SimpleUploadedFile("x.po", b""), "next": NEXT})
    assert response.status_code in (302, 403)
    assert response.get("Location", "") != NEXT
    assert saved(translation) == {}


def test_an_unknown_translation_is_a_404(admin_client, demo_site):
    url = reverse("wagtail_localize:upload_pofile", args=[999999])
    assert admin_client.post(url, {"next": NEXT}).status_code == 404
