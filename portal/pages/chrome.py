"""The links around every page's content: the main menu and the footer's statement links.

They take five or six queries to work out (the home page's children in the reader's language,
the page addresses, the statement pages in the settings) and are the same on every page of a
site in one language. So they are kept in the shared cache per site and language, and
forgotten when a page is published, unpublished, moved, deleted or saved near the top of the
tree, or when the portal's settings change.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from wagtail.models import Page, Site

KEY = "portal:chrome:{site}:{language}"
TIMEOUT = 60 * 60
MENU_DEPTH = 3  # the home page's children; the home page itself is 2


def _key(site_id: int, language: str) -> str:
    return KEY.format(site=site_id, language=language)


def chrome_links(request) -> dict:
    """`navigation` (title, url and tree path of each menu page), `accessibility_url` and
    `privacy_url` for the request's site in the active language."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"navigation": [], "accessibility_url": "", "privacy_url": ""}
    key = _key(site.pk, translation.get_language() or settings.LANGUAGE_CODE)
    seen = request.__dict__.setdefault("_portal_chrome", {})  # header and footer: one look-up
    if key not in seen:
        links = cache.get(key)
        if links is None:
            links = {"navigation": _navigation(site, request), **_statement_urls(site, request)}
            cache.set(key, links, TIMEOUT)
        seen[key] = links
    return seen[key]


def _navigation(site, request) -> list[dict]:
    """Top-level pages shown in menus. In another language, each page's translation is listed
    where it exists; a page not yet translated is still listed, at its address in that
    language (the home page serves it from the default language's tree)."""
    root = site.root_page
    localized_root = root.localized
    pages = list(localized_root.get_children().live().in_menu())
    if localized_root.pk != root.pk:
        by_key = {page.translation_key: page for page in pages}
        language = translation.get_language()
        merged = []
        for page in root.get_children().live().in_menu():
            translated = by_key.pop(page.translation_key, None)
            merged.append((translated, None) if translated else
                          (page, _url_in_language(page.get_url(request), language)))
        merged.extend((page, None) for page in by_key.values())
    elif translation.get_language() != localized_root.locale.language_code:
        # A language with no pages of its own yet (only its interface is translated): keep
        # the reader in it, at each page's address under the language's prefix.
        language = translation.get_language()
        merged = [(page, _url_in_language(page.get_url(request), language)) for page in pages]
    else:
        merged = [(page, None) for page in pages]
    return [{"title": page.title, "url": url or page.get_url(request), "path": page.path}
            for page, url in merged]


def _statement_urls(site, request) -> dict:
    from portal.pages.models import PortalSettings

    portal_settings = PortalSettings.for_request(request)
    urls = {}
    for name in ("accessibility", "privacy"):
        page = getattr(portal_settings, f"{name}_page")
        url = (page.localized.get_url(request) or "") if page else ""
        if page and page.localized.locale_id == page.locale_id:  # not translated: keep the prefix
            url = _url_in_language(url, translation.get_language())
        urls[f"{name}_url"] = url
    return urls


def forget(**kwargs) -> None:
    """Drop every site's and language's cached links (a signal receiver)."""
    keys = [_key(site_id, code) for site_id in Site.objects.values_list("pk", flat=True)
            for code, _name in settings.LANGUAGES]
    if keys:
        cache.delete_many(keys)


def connect_signals() -> None:
    """Forget the links whenever what they show may have changed."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from portal.pages.models import PortalSettings

    for signal in (page_published, page_unpublished):
        signal.connect(_forget_page, dispatch_uid=f"portal.chrome.{id(signal)}")
    post_page_move.connect(forget, dispatch_uid="portal.chrome.page_moved")
    post_delete.connect(_forget_page, dispatch_uid="portal.chrome.page_deleted")
    post_save.connect(_forget_page, dispatch_uid="portal.chrome.page_saved")
    post_save.connect(forget, sender=PortalSettings, dispatch_uid="portal.chrome.settings")
    post_save.connect(forget, sender=Site, dispatch_uid="portal.chrome.site")


def _forget_page(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page) and _shown_in_chrome(instance):
        forget()


def _shown_in_chrome(page) -> bool:
    """Whether a change to `page` can change the links: a menu page (or the home page), or a
    statement page the settings name, or one of its ancestors (its address)."""
    if (page.depth or 0) <= MENU_DEPTH:
        return True
    from portal.pages.models import PortalSettings

    paths = PortalSettings.objects.values_list("accessibility_page__path", "privacy_page__path")
    return any(path and path.startswith(page.path) for pair in paths for path in pair)


def _url_in_language(url: str, language: str) -> str:
    """A default-language URL's address under another language's prefix (/about/ ->
    /cy/about/); Django's translate_url resolves in the active language, so cannot do this."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            match = resolve(url)
        with translation.override(language):
            return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except (Resolver404, NoReverseMatch):
        return url
