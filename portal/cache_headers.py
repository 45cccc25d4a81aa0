"""Cache headers for the public site: what a browser or a shared cache in front may keep.

A page answered to someone anonymous, that depends on nothing of theirs, may be kept by any
cache for a short time (`PORTAL_PUBLIC_CACHE_SECONDS`, default 120):
`Cache-Control: public, max-age=120` with `Vary: Cookie, Accept-Language`. Anything else is
`private`. A page is never public when:

- the person is signed in, or sent a session or messages cookie (a survey draft, a message
  waiting: the page may show it);
- rendering it used a CSRF token (any POST form), a message, or wrote the session or a cookie;
- it is not a successful GET or HEAD, it is in the admin, or the view set `Cache-Control`
  itself (feeds, open data and Wagtail's private pages decide for themselves).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers

PRIVATE_PREFIXES = ("/admin/", "/django-admin/")
CACHEABLE_STATUSES = {200, 203, 300, 301, 404, 410}


def public_cache_seconds() -> int:
    """How long a shared cache may keep an anonymous page (0 turns public caching off)."""
    return max(0, int(getattr(settings, "PORTAL_PUBLIC_CACHE_SECONDS", 120)))


def _personal_request(request) -> bool:
    """Whether the request carries something of the person's that a page could show."""
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _used_personal_state(request, response) -> bool:
    """Whether answering used the CSRF token, a message, the session or set a cookie."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return True
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "used", False):
        return True
    session = getattr(request, "session", None)
    if session is not None and (session.modified or (session.accessed and not session.is_empty())):
        return True
    return bool(response.cookies)


def is_public(request, response) -> bool:
    """Whether `response` may be kept by a shared cache for everyone."""
    return (
        request.method in ("GET", "HEAD")
        and response.status_code in CACHEABLE_STATUSES
        and not request.path.startswith(PRIVATE_PREFIXES)
        and not _personal_request(request)
        and not _used_personal_state(request, response)
    )


class PublicCacheMiddleware:
    """Mark anonymous, impersonal answers public for a short time and everything else private.

    Listed before the session, CSRF and messages middleware, so it sees what they did."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        seconds = public_cache_seconds()
        if seconds and is_public(request, response):
            patch_cache_control(response, public=True, max_age=seconds)
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
        else:
            patch_cache_control(response, private=True)
        return response
