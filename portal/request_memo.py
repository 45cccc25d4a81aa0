"""Look-ups remembered for the length of one request.

Wagtail asks the database for a `Locale` each time anything wants the active or default
language (`Locale.get_active()`, `page.localized`, routing, menus), and for every page view
restriction each time a queryset is narrowed to public pages (`.public()`, once for each
section of a neighbourhood page), and reads the sites' root paths from the shared cache for
every `page.url` asked without a request (feeds, trails, search hits): five to twenty
queries a page for the same rows. Inside a
request (`RequestMemoMiddleware`) each is fetched once; outside one (commands, tasks, the
shell) nothing is remembered, and a change to a locale or a restriction forgets them at once.
"""

from __future__ import annotations

from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("portal_request_memo", default=None)


def remembered(kind: str, key, compute):
    """`compute()`, or the value it gave earlier in this request for the same kind and key."""
    memo = _memo.get()
    if memo is None:
        return compute()
    slot = (kind, key)
    if slot not in memo:
        memo[slot] = compute()
    return memo[slot]


def forget() -> None:
    """Forget what this request remembered (after a change to what it holds)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    """Give each request its own memo, and drop it when the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def install() -> None:
    """Remember locales, view restrictions and site root paths within a request. Called once
    from `PortalConfig.ready`."""
    remember_locales()
    remember_view_restrictions()
    remember_site_root_paths()


def remember_locales() -> None:
    """Make `Locale.objects.get_for_language` remember its answer within a request. Called
    once from `PortalConfig.ready`."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models.i18n import Locale, LocaleManager

    original = LocaleManager.get_for_language
    if getattr(original, "portal_memo", False):
        return

    def get_for_language(self, language_code):
        return remembered("locale", language_code, lambda: original(self, language_code))

    get_for_language.portal_memo = True
    LocaleManager.get_for_language = get_for_language
    post_save.connect(_forget, sender=Locale, dispatch_uid="portal.forget_locales_saved")
    post_delete.connect(_forget, sender=Locale, dispatch_uid="portal.forget_locales_deleted")


def remember_view_restrictions() -> None:
    """Make `PageQuerySet.public()` (and `not_public()`, `private_q()`) read the page view
    restrictions once a request. Called once from `PortalConfig.ready`."""
    from django.db.models import Q
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction
    from wagtail.query import PageQuerySet

    if getattr(PageQuerySet.private_q, "portal_memo", False):
        return

    def every_restriction() -> list:
        return remembered("view_restrictions", None, lambda: list(
            PageViewRestriction.objects.select_related("page").all()))

    def private_q(self):
        q = Q()
        for restriction in every_restriction():
            q |= self.descendant_of_q(restriction.page, inclusive=True)
        return q if q else Q(pk__in=[])  # no private section: match no page

    private_q.portal_memo = True
    PageQuerySet.private_q = private_q
    original_page_restrictions = Page.get_view_restrictions

    def get_view_restrictions(self):
        """No query for the page's restrictions when the site has none at all (the list is
        read once a request); otherwise Wagtail's own look-up (aliases and all)."""
        if _memo.get() is not None and not every_restriction():
            return PageViewRestriction.objects.none()
        return original_page_restrictions(self)

    Page.get_view_restrictions = get_view_restrictions
    post_save.connect(_forget, sender=PageViewRestriction,
                      dispatch_uid="portal.forget_restrictions_saved")
    post_delete.connect(_forget, sender=PageViewRestriction,
                        dispatch_uid="portal.forget_restrictions_deleted")


def remember_site_root_paths() -> None:
    """Make `Site.get_site_root_paths()` read the shared cache once a request. Called once
    from `PortalConfig.ready`; a site or page saved during the request forgets it."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, Site

    original = Site.get_site_root_paths
    if getattr(original, "portal_memo", False):
        return

    def get_site_root_paths():
        return remembered("site_root_paths", None, original)

    get_site_root_paths.portal_memo = True
    Site.get_site_root_paths = staticmethod(get_site_root_paths)
    for model in (Site, Page):
        post_save.connect(_forget, sender=model, dispatch_uid=f"portal.forget_{model.__name__}")
        post_delete.connect(_forget, sender=model,
                            dispatch_uid=f"portal.forget_{model.__name__}_deleted")


def _forget(**kwargs) -> None:
    forget()
