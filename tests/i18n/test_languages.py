"""Languages by configuration (PORTAL_LANGUAGES), the language switcher, the first visit in the
browser's language, and addresses in a language the site does not offer."""

import re
import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import clear_url_caches
from django.utils import translation

from portal import languages
from tests.conftest import REPO

BASE = REPO / "portal" / "settings" / "base.py"


# -- PORTAL_LANGUAGES ---------------------------------------------------------------------
def test_the_default_offer_is_english_and_welsh(settings):
    assert languages.offered_languages(None) == [("en", "English"), ("cy", "Cymraeg")]
    assert languages.offered_languages("  ") == [("en", "English"), ("cy", "Cymraeg")]
    assert [code for code, _name in settings.LANGUAGES] == ["en", "cy"]
    assert settings.WAGTAIL_CONTENT_LANGUAGES == settings.LANGUAGES


def test_codes_are_tidied_and_english_comes_first_as_the_default():
    assert languages.offered_languages(" cy, PL ,ar,pl,, ") == [
        ("en", "English"), ("cy", "Cymraeg"), ("pl", "Polski"), ("ar", "العربية")]
    assert languages.offered_languages("ur,bn,en") == [
        ("en", "English"), ("ur", "اردو"), ("bn", "বাংলা")]


def test_an_unknown_code_names_itself_and_the_known_languages():
    with pytest.raises(ImproperlyConfigured) as error:
        languages.offered_languages("en,cy,xx")
    message = str(error.value)
    assert "'xx'" in message and "en, cy, pl, ar, ur, bn" in message
    assert "docs/languages.md" in message


@pytest.mark.parametrize("value", ["en,pt", "en,cy-gb", "en;cy", "english"])
def test_other_bad_values_are_refused(value):
    with pytest.raises(ImproperlyConfigured, match="does not know"):
        languages.offered_languages(value)


def test_a_very_long_bad_code_is_cut_short_in_the_message():
    with pytest.raises(ImproperlyConfigured) as error:
        languages.offered_languages("en," + "<x>" * 200)
    assert len(str(error.value)) < 300


def test_an_unknown_default_language_is_refused():
    with pytest.raises(ImproperlyConfigured, match="LANGUAGE_CODE 'de'"):
        languages.offered_languages("en,cy", default="de")


def test_the_settings_read_portal_languages(monkeypatch):
    monkeypatch.setenv("PORTAL_LANGUAGES", "cy,pl,ar")
    base = runpy.run_path(str(BASE))
    assert [code for code, _name in base["LANGUAGES"]] == ["en", "cy", "pl", "ar"]
    assert base["WAGTAIL_CONTENT_LANGUAGES"] == base["LANGUAGES"]
    assert base["LANGUAGE_CODE"] == "en"


def test_the_settings_refuse_an_unknown_language(monkeypatch):
    monkeypatch.setenv("PORTAL_LANGUAGES", "en,klingon")
    with pytest.raises(ImproperlyConfigured, match="'klingon'"):
        runpy.run_path(str(BASE))


def test_every_known_language_is_one_django_knows_with_the_same_direction():
    for code, language in languages.KNOWN.items():
        info = translation.get_language_info(code)
        assert info["bidi"] == language.bidi, code
    assert languages.is_bidi("ar") and languages.is_bidi("ur") and not languages.is_bidi("pl")


# -- the switcher ---------------------------------------------------------------------------
def switcher(html):
    match = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S)
    assert match, "no language switcher"
    return match.group(0)


def test_the_switcher_lists_only_the_offered_languages_in_their_own_names(client, demo_site):
    nav = switcher(client.get("/").content.decode())
    assert 'aria-current="true" lang="en">English</span>' in nav
    assert re.search(r'<a class="language-switcher__link" href="/cy/[^"]*" hreflang="cy" '
                     r'lang="cy">Cymraeg</a>', nav)
    for name in ("Polski", "العربية", "اردو", "বাংলা"):
        assert name not in nav


@pytest.fixture
def four_languages(settings):
    """The site offering English, Welsh, Polish and Arabic. The settings fixture's change
    signal clears Django's language caches; the URL resolvers (and the cached answer to "are
    i18n_patterns used?") are cleared before and after, so no test sees another's languages."""
    settings.LANGUAGES = languages.offered_languages("en,cy,pl,ar")
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    clear_url_caches()
    yield settings
    clear_url_caches()


def test_with_four_languages_the_switcher_offers_all_four(client, demo_site, four_languages):
    nav = switcher(client.get("/").content.decode())
    assert 'hreflang="pl" lang="pl">Polski</a>' in nav
    assert 'hreflang="ar" lang="ar">العربية</a>' in nav
    assert "اردو" not in nav


def test_the_polish_home_page_has_polish_chrome(client, demo_site, four_languages):
    response = client.get("/pl/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="pl"' in html
    assert "Przejdź do treści głównej" in html  # the skip link
    assert 'aria-label="Wybierz język"' in html  # the switcher
    assert "Informacja o prywatności" in html  # the footer
    assert 'aria-current="true" lang="pl">Polski</span>' in switcher(html)


def test_the_arabic_home_page_has_arabic_chrome(client, demo_site, four_languages):
    response = client.get("/ar/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar"' in html
    assert "انتقل إلى المحتوى الرئيسي" in html
    assert 'aria-label="اختر لغة"' in html
    assert "إشعار الخصوصية" in html


@pytest.mark.parametrize(("code", "skip_link", "search"), [
    ("ur", "مرکزی مواد پر جائیں", "تلاش"), ("bn", "মূল বিষয়বস্তুতে যান", "খুঁজুন")])
def test_with_every_language_offered_each_home_page_renders_in_it(client, demo_site, settings,
                                                                  code, skip_link, search):
    settings.LANGUAGES = languages.offered_languages("en,cy,pl,ar,ur,bn")
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    clear_url_caches()
    try:
        for url in (f"/{code}/", f"/{code}/search/?q=park", f"/{code}/no-such-page/"):
            response = client.get(url)
            assert response.status_code in (200, 404), url
            html = response.content.decode()
            assert f'<html lang="{code}"' in html and skip_link in html, url
        assert search in client.get(f"/{code}/").content.decode()
    finally:
        clear_url_caches()


# -- addresses in a language the site does not offer -----------------------------------------
@pytest.mark.parametrize("url", ["/pl/", "/xx/", "/ar/surveys/", "/zz-yy/page/"])
def test_a_language_the_site_does_not_offer_is_a_404_in_english(client, demo_site, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html and "Page not found" in html


def test_a_404_in_an_offered_language_is_in_that_language(client, demo_site, four_languages):
    response = client.get("/pl/no-such-page/")
    assert response.status_code == 404
    assert "Nie znaleziono strony" in response.content.decode()


# -- the first visit ------------------------------------------------------------------------
def welsh_home_url():
    from wagtail.models import Locale, Page

    english = Page.objects.get(depth=2, locale__language_code="en")
    return english.get_translation(Locale.objects.get(language_code="cy")).url


def test_a_welsh_browser_is_sent_to_the_welsh_home_page_on_its_first_visit(client, demo_site):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="cy,en;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == welsh_home_url() and response["Location"].startswith("/cy/")
    assert response.cookies["django_language"].value == "cy"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert client.get(response["Location"]).status_code == 200


def test_after_the_first_visit_the_english_page_stays_english(client, demo_site):
    client.get("/", HTTP_ACCEPT_LANGUAGE="cy")  # sets the language cookie
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


@pytest.mark.parametrize("accept", ["", "en-GB,en;q=0.9", "fr,de;q=0.5", "pl,en;q=0.5", "*"])
def test_other_browsers_and_search_engines_get_the_page_they_asked_for(client, demo_site, accept):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert "Accept-Language" in response["Vary"]


def test_an_offered_language_without_the_page_in_it_stays_put(client, demo_site,
                                                              four_languages):
    """Polish is offered but the demo has no Polish pages: no redirect to a page that is not
    there."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    assert "Set-Cookie" not in response


def test_a_prefixed_address_is_never_redirected(client, demo_site):
    response = client.get(welsh_home_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="cy"' in response.content.decode()


def test_a_post_or_a_missing_page_is_not_redirected(client, demo_site):
    assert client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="cy").status_code == 404
    assert client.head("/", HTTP_ACCEPT_LANGUAGE="cy").status_code == 302


def test_a_sub_route_of_a_page_is_not_redirected(rf, demo_site):
    """A page's own address follows the browser; a route under it (a survey's steps, a "what
    happened" look-up: the visit's state) is answered where it is."""
    from django.http import HttpResponse
    from wagtail.models import Page

    home = Page.objects.get(depth=2, locale__language_code="en").specific

    def answer(path):
        request = rf.get(path, HTTP_ACCEPT_LANGUAGE="cy")
        response = HttpResponse()
        response.context_data = {"page": home}
        return languages.first_visit_redirect(request, response)

    assert answer(home.url) == welsh_home_url()
    assert answer(home.url + "step/2/") is None
