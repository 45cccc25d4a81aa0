"""The languages the portal knows, and which of them a site offers (`PORTAL_LANGUAGES`).

`KNOWN` lists every language with an interface catalogue in locale/ (or ready for one): its
code, its name in English, its name in itself (what the language switcher shows) and whether it
is written right to left. A site offers some of them: `PORTAL_LANGUAGES` is a comma-separated
list of codes ("en,cy" by default), and settings.LANGUAGES and WAGTAIL_CONTENT_LANGUAGES are
built from it by `offered_languages()`.

The default language (LANGUAGE_CODE, English) is always offered and always first: it is the
language of unprefixed addresses ("/" rather than "/en/"), of Wagtail's default locale and of
every string a catalogue has not translated yet. Listing it in PORTAL_LANGUAGES is optional.

To add a language, see docs/languages.md ("Adding a language").

This module also holds `FirstVisitLanguageMiddleware`: a resident whose browser asks for an
offered language other than the default, arriving at an unprefixed page for the first time, is
sent to that page's translation when one exists (see `first_visit_redirect`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Language:
    code: str
    english_name: str
    own_name: str
    bidi: bool = False


# Every language the portal knows. Keep Django's code for each (django.conf.locale.LANG_INFO):
# LocaleMiddleware, Wagtail locales and the catalogues under locale/<code>/ all use it.
KNOWN: dict[str, Language] = {language.code: language for language in (
    Language("en", "English", "English"),
    Language("cy", "Welsh", "Cymraeg"),
    Language("pl", "Polish", "Polski"),
    Language("ar", "Arabic", "العربية", bidi=True),
    Language("ur", "Urdu", "اردو", bidi=True),
    Language("bn", "Bengali", "বাংলা"),
)}

DEFAULT_OFFER = "en,cy"
_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")


def parse_codes(value: str | None) -> list[str]:
    """The codes in a PORTAL_LANGUAGES value, lower-cased, in order, without repeats. A blank
    value means the default offer."""
    if value is None or not value.strip():
        value = DEFAULT_OFFER
    codes: list[str] = []
    for item in value.split(","):
        code = item.strip().lower().replace("_", "-")
        if code and code not in codes:
            codes.append(code)
    return codes


def offered_languages(value: str | None, default: str = "en") -> list[tuple[str, str]]:
    """settings.LANGUAGES for a PORTAL_LANGUAGES value: (code, name in itself) pairs, the
    default language first, then the others in the order given.

    Raises ImproperlyConfigured naming any code the portal does not know, and the known ones."""
    if default not in KNOWN:
        raise ImproperlyConfigured(
            f"LANGUAGE_CODE {default!r} is not a language the portal knows "
            f"(portal/languages.py): {', '.join(KNOWN)}.")
    codes = parse_codes(value)
    unknown = [code for code in codes if code not in KNOWN]
    if unknown:
        shown = ", ".join(repr(code) if _CODE.match(code) else repr(code[:20]) for code in unknown)
        raise ImproperlyConfigured(
            f"PORTAL_LANGUAGES names {shown}, which the portal does not know. Known languages: "
            f"{', '.join(KNOWN)}. To add one, see docs/languages.md.")
    ordered = [default] + [code for code in codes if code != default]
    return [(code, KNOWN[code].own_name) for code in ordered]


def own_name(code: str) -> str:
    """A language's name in itself ("Polski"), or the code when the portal does not know it."""
    language = KNOWN.get(code) or KNOWN.get(code.split("-")[0])
    return language.own_name if language else code


def is_bidi(code: str) -> bool:
    language = KNOWN.get(code) or KNOWN.get(code.split("-")[0])
    return bool(language and language.bidi)


# -- first visit: follow the browser's language --------------------------------------------
def browser_language(request) -> str | None:
    """The offered language the browser's Accept-Language header prefers, or None."""
    from django.conf import settings
    from django.utils.translation import get_supported_language_variant
    from django.utils.translation.trans_real import parse_accept_lang_header

    offered = {code for code, _name in settings.LANGUAGES}
    for accept, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if accept == "*":
            break
        try:
            code = get_supported_language_variant(accept)
        except LookupError:
            continue
        if code in offered:
            return code
    return None


def first_visit_redirect(request, response) -> str | None:
    """Where to send a first-time visitor instead of this response, or None.

    Only for a successful GET of a Wagtail page at an unprefixed (default-language) address,
    when the request carries no language cookie (so: a first visit, or one who never chose),
    the browser prefers another offered language, and the page has a live translation in it.
    Search engines send no Accept-Language, so they always get the page they asked for; every
    unprefixed page already varies on Accept-Language and Cookie (portal/cache_headers.py)."""
    from django.conf import settings
    from django.utils.translation import get_language_from_path
    from wagtail.models import Locale, Page

    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return None
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return None
    if get_language_from_path(request.path_info):
        return None
    page = (getattr(response, "context_data", None) or {}).get("page")
    if not isinstance(page, Page):
        return None
    # The page itself, not one of its sub-routes (a survey's steps, a plan's PDF): those carry
    # state of the visit and have no address of their own in the other language.
    if urlsplit(page.get_url(request) or "").path != request.path:
        return None
    wanted = browser_language(request)
    if wanted is None or wanted == settings.LANGUAGE_CODE:
        return None
    try:
        locale = Locale.objects.get_for_language(wanted)
    except (Locale.DoesNotExist, LookupError):
        return None
    translation = page.get_translation_or_none(locale)
    if translation is None or not translation.live:
        return None
    url = translation.get_url(request)
    if not url:
        return None
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


class FirstVisitLanguageMiddleware:
    """Sends a first-time visitor to the page in their browser's language (see above), and
    remembers the choice in the language cookie so it happens once: the switcher's link back
    to the default language then stays put."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        target = first_visit_redirect(request, response)
        if target is None:
            return response
        from django.conf import settings
        from django.http import HttpResponseRedirect
        from django.utils.cache import add_never_cache_headers, patch_vary_headers
        from django.utils.translation import get_language_from_path

        redirect = HttpResponseRedirect(target)
        redirect.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, get_language_from_path(target) or "",
            max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
        add_never_cache_headers(redirect)
        return redirect
