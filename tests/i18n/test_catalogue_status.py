"""The community-language catalogues (drafts marked fuzzy, compiled so residents see them) and
the admin's "Interface translations" report: counts, plain words, downloads, permissions."""

import polib
import pytest
from django.utils import translation

from portal import translation_status
from portal.translation_status import CatalogueCounts, LanguageStatus, count_entries, describe
from tests.conftest import REPO

COMMUNITY = ("pl", "ar", "ur", "bn")
PLURALS = {"pl": 3, "ar": 6, "ur": 2, "bn": 2}


def catalogue(code):
    return REPO / "locale" / code / "LC_MESSAGES" / "django.po"


# -- the catalogues -------------------------------------------------------------------------
@pytest.mark.parametrize("code", COMMUNITY)
def test_each_community_catalogue_is_drafted_marked_fuzzy_with_the_right_plurals(code):
    po = polib.pofile(str(catalogue(code)))
    assert po.metadata["Language"] == code
    assert po.metadata["Plural-Forms"].startswith(f"nplurals={PLURALS[code]};")
    assert not po.metadata_is_fuzzy
    drafted = [entry for entry in po if entry.translated() or (entry.fuzzy and entry.msgstr)]
    assert len(drafted) >= 200
    # No fluent translator has checked any of them yet: every one is a fuzzy draft.
    assert all(entry.fuzzy for entry in po if not entry.obsolete and (
        entry.msgstr or any(entry.msgstr_plural.values())))
    for entry in po:
        if entry.msgid_plural and any(entry.msgstr_plural.values()):
            assert len(entry.msgstr_plural) == PLURALS[code], entry.msgid


@pytest.mark.parametrize(("code", "skip", "submit"), [
    ("pl", "Przejdź do treści głównej", "Wyślij odpowiedzi"),
    ("ar", "انتقل إلى المحتوى الرئيسي", "أرسل إجاباتك"),
    ("ur", "مرکزی مواد پر جائیں", "اپنے جوابات جمع کروائیں"),
    ("bn", "মূল বিষয়বস্তুতে যান", "আপনার উত্তর জমা দিন"),
])
def test_the_compiled_catalogues_include_the_fuzzy_drafts(code, skip, submit):
    mo = catalogue(code).with_suffix(".mo")
    assert mo.exists()
    # Compiled from the current .po (fuzzy drafts included): the same translations, whatever
    # the files' times (a fresh clone sets those in any order).
    drafted = {(entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
               for entry in polib.pofile(str(catalogue(code))) if not entry.obsolete
               and (entry.msgstr or any(entry.msgstr_plural.values()))}
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
                for entry in polib.mofile(str(mo)) if entry.msgid}
    assert compiled == drafted, "run `make compilemessages` after changing the catalogue"
    with translation.override(code):
        assert translation.gettext("Skip to main content") == skip
        assert translation.gettext("Submit your answers") == submit
        # Not drafted yet: English.
        assert translation.gettext("Reason (needed to reject; emailed to the submitter)") == (
            "Reason (needed to reject; emailed to the submitter)")


def test_plural_drafts_pick_the_right_form():
    text = "%(n)s person answered."
    plural = "%(n)s people answered."
    with translation.override("pl"):
        assert translation.ngettext(text, plural, 1) % {"n": 1} == "Odpowiedziała 1 osoba."
        assert translation.ngettext(text, plural, 3) % {"n": 3} == "Odpowiedziały 3 osoby."
        assert translation.ngettext(text, plural, 12) % {"n": 12} == "Odpowiedziało 12 osób."
        assert translation.ngettext(text, plural, 22) % {"n": 22} == "Odpowiedziały 22 osoby."
    with translation.override("ar"):
        assert translation.ngettext(text, plural, 2) % {"n": 2} == "أجاب شخصان (2)."
        assert translation.ngettext(text, plural, 5) % {"n": 5} == "أجاب 5 أشخاص."
        assert translation.ngettext(text, plural, 11) % {"n": 11} == "أجاب 11 شخصًا."


# -- counting -------------------------------------------------------------------------------
PO = '''msgid ""
msgstr ""
"Language: pl\\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && "
"(n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "Checked"
msgstr "Sprawdzone"

#, fuzzy
msgid "Drafted"
msgstr "Szkic"

#, fuzzy
msgid "Fuzzy but empty"
msgstr ""

msgid "Missing"
msgstr ""

#, fuzzy
msgid "%(n)s thing"
msgid_plural "%(n)s things"
msgstr[0] "%(n)s rzecz"
msgstr[1] "%(n)s rzeczy"
msgstr[2] "%(n)s rzeczy"

msgid "%(n)s half"
msgid_plural "%(n)s halves"
msgstr[0] "%(n)s połowa"
msgstr[1] ""
msgstr[2] ""

#~ msgid "Obsolete"
#~ msgstr "Przestarzałe"
'''


def test_counts_split_checked_drafted_and_missing(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(PO, encoding="utf-8")
    assert count_entries(path) == CatalogueCounts(total=6, checked=1, drafted=2, missing=3)


def test_counts_follow_the_file_when_it_changes(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(PO, encoding="utf-8")
    count_entries(path)
    path.write_text(PO.replace('msgid "Missing"\nmsgstr ""', 'msgid "Missing"\nmsgstr "Jest"'),
                    encoding="utf-8")
    assert count_entries(path).missing == 2


def test_the_real_catalogues_are_counted_as_drafted_not_checked():
    counts = count_entries(catalogue("pl"))
    po = polib.pofile(str(catalogue("pl")))
    live = [entry for entry in po if not entry.obsolete]
    assert counts.total == len(live)
    assert counts.checked == 0
    assert counts.drafted >= 200
    assert counts.drafted + counts.missing == counts.total


def status(code="pl", counts=None, **extra):
    values = {"code": code, "name": "Polish", "own_name": "Polski", "offered": True,
              "is_default": False, "counts": counts, "po_path": None} | extra
    return LanguageStatus(**values)


@pytest.mark.parametrize(("counts", "expected"), [
    (CatalogueCounts(2640, 0, 310, 2330),
     "Polish: 310 of 2,640 strings drafted, none checked by a fluent translator; the rest "
     "show in English."),
    (CatalogueCounts(2640, 2640, 0, 0),
     "Polish: all 2,640 strings checked by a fluent translator."),
    (CatalogueCounts(2640, 0, 0, 2640),
     "Polish: none of 2,640 strings translated yet; they show in English."),
    (CatalogueCounts(2640, 100, 0, 2540),
     "Polish: 100 of 2,640 strings checked by a fluent translator; the rest show in English."),
    (CatalogueCounts(2640, 100, 2540, 0),
     "Polish: 100 of 2,640 strings checked by a fluent translator and 2,540 drafted but not "
     "checked."),
])
def test_the_plain_words(counts, expected):
    assert describe(status(counts=counts)) == expected


def test_the_default_language_and_a_language_without_a_catalogue():
    assert "the language the interface is written in" in describe(
        status("en", name="English", is_default=True))
    assert describe(status("bn", name="Bengali")) == (
        "Bengali: no catalogue yet, so everything shows in English.")


def test_the_report_lists_offered_languages_first_then_the_other_known_ones(settings):
    statuses = translation_status.language_statuses()
    assert [s.code for s in statuses] == ["en", "cy", "pl", "ar", "ur", "bn"]
    assert [s.offered for s in statuses] == [True, True, False, False, False, False]
    english, welsh = statuses[0], statuses[1]
    assert english.counts is None and english.is_default
    assert welsh.counts.checked > 1000 and welsh.counts.drafted == 0
    assert all(s.counts.drafted >= 200 and s.counts.checked == 0 for s in statuses[2:])


# -- the admin page -------------------------------------------------------------------------
URL = "/admin/translations/"


@pytest.mark.parametrize(("role", "allowed"), [
    ("anonymous", False), ("resident", False), ("vcs_owner", False), ("councillor", False),
    ("officer", True), ("superuser", True)])
def test_who_may_see_the_report_and_download_catalogues(client, people, settings, role,
                                                        allowed):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    if role != "anonymous":
        client.force_login(people[role])
    for url in (URL, "/admin/translations/pl.po"):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert response.status_code in (302, 403), (url, response.status_code)
            assert b"msgid" not in b"".join(getattr(response, "streaming_content", [])
                                            or [response.content])


def test_the_report_says_in_plain_words_what_is_drafted(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "Interface translations" in html
    counts = count_entries(catalogue("pl"))
    drafted = f"{counts.drafted:,}"
    total = f"{counts.total:,}"
    assert (f"Polish: {drafted} of {total} strings drafted, none checked by a fluent "
            "translator; the rest show in English.") in html
    assert 'href="/admin/translations/ar.po"' in html
    assert '<span lang="ar" dir="rtl">العربية</span>' in html
    assert "Yes, the default" in html


def test_the_download_is_the_po_file(client, superuser, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(superuser)
    response = client.get("/admin/translations/ar.po")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "neighbourhood-portal-ar.po" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == catalogue("ar").read_bytes()


@pytest.mark.parametrize("code", ["en", "xx", "..", "de", "pl.po"])
def test_no_download_for_other_codes(client, superuser, settings, code):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(superuser)
    assert client.get(f"/admin/translations/{code}.po").status_code == 404


def test_the_menu_item_shows_for_officers_only(client, officer, councillor, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    assert URL in client.get("/admin/reports/").content.decode() or URL in client.get(
        "/admin/").content.decode()
    client.force_login(councillor)
    assert URL not in client.get("/admin/").content.decode()


# -- updating the catalogues ----------------------------------------------------------------
def test_community_catalogues_are_updated_without_guesses(tmp_path):
    """makemessages guesses a new string from a similar old one and marks it fuzzy; as fuzzy
    drafts are compiled for residents, the community languages' update must not guess."""
    import subprocess

    from portal.management.commands.makemessages_community import Command

    assert "--no-fuzzy-matching" in Command.msgmerge_options
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (tmp_path / "old.po").write_text(
        header + '#, fuzzy\nmsgid "Search this site"\nmsgstr "Przeszukaj tę stronę"\n',
        encoding="utf-8")
    (tmp_path / "new.pot").write_text(
        header + 'msgid "Search this site"\nmsgstr ""\n\nmsgid "Offered on this site"\n'
        'msgstr ""\n', encoding="utf-8")
    for options, guessed in ((Command.msgmerge_options, False),
                             (Command.__mro__[1].msgmerge_options, True)):
        merged = tmp_path / "merged.po"
        merged.write_bytes((tmp_path / "old.po").read_bytes())
        subprocess.run(["msgmerge", *options, str(merged), str(tmp_path / "new.pot")],
                       check=True, capture_output=True)
        entry = polib.pofile(str(merged)).find("Offered on this site")
        assert bool(entry.msgstr) == guessed
        assert polib.pofile(str(merged)).find("Search this site").msgstr == (
            "Przeszukaj tę stronę")
