"""Anonymous, impersonal pages may be kept by shared caches; anything personal stays private
(portal/cache_headers.py)."""

import pytest
from django.utils.cache import get_max_age

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part}


@pytest.mark.parametrize("url", ["/", "/neighbourhoods/", "/neighbourhoods/harlesden/",
                                 "/about/", "/cy/", "/search/?q=library"])
def test_anonymous_pages_are_public_for_a_short_time_and_vary_by_cookie_and_language(
        client, demo_site, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in cache_control(response)
    assert get_max_age(response) == 120
    assert {"cookie", "accept-language"} <= vary(response)
    assert not response.cookies  # nothing personal was set either
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_language_switcher_is_links_not_a_form(client, demo_site):
    html = client.get("/neighbourhoods/harlesden/").content.decode()
    assert 'href="/cy/neighbourhoods/harlesden/" hreflang="cy" lang="cy">Cymraeg</a>' in html
    welsh = client.get("/cy/neighbourhoods/harlesden/?x=1").content.decode()
    assert 'href="/neighbourhoods/harlesden/?x=1" hreflang="en" lang="en">English</a>' in welsh


def test_the_cache_time_is_a_setting_and_zero_makes_every_page_private(
        client, demo_site, settings):
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 300
    assert get_max_age(client.get("/")) == 300
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 0
    response = client.get("/")
    assert "private" in cache_control(response) and "public" not in cache_control(response)


def test_a_page_with_a_form_is_never_public(client, demo_site):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "private" in cache_control(response)
    assert "public" not in cache_control(response)


def test_signed_in_people_get_private_pages(client, demo_site, resident):
    client.force_login(resident)
    for url in ("/", "/neighbourhoods/harlesden/", "/about/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "private" in cache_control(response), url
        assert "public" not in cache_control(response), url


def test_an_anonymous_visitor_with_a_session_gets_private_pages(client, demo_site):
    session = client.session
    session["anything"] = "kept for this visitor"
    session.save()
    response = client.get("/")
    assert "private" in cache_control(response)


def test_a_page_showing_a_message_is_private(client, demo_site, rf):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.http import HttpResponse

    from portal.cache_headers import PublicCacheMiddleware

    def view(request):
        list(request._messages)  # the template showed the messages
        return HttpResponse("page")

    request = rf.get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    response = PublicCacheMiddleware(view)(request)
    assert "private" in cache_control(response)


def test_errors_posts_and_the_admin_are_not_public(client, demo_site):
    assert "public" in cache_control(client.get("/no-such-page/"))  # the same for everyone
    admin = client.get("/admin/")
    assert "public" not in cache_control(admin)
    post = client.post("/search/", {"q": "x"})
    assert "public" not in cache_control(post)


def test_views_that_set_their_own_cache_headers_keep_them(client, demo_site):
    from portal.feeds import FEED_MAX_AGE

    response = client.get("/feeds/all.atom")
    assert response.status_code == 200
    assert get_max_age(response) == FEED_MAX_AGE != 120
