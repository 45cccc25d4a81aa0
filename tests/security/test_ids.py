"""Database ids in URLs: a number no database column can hold is a 404, never a server error.

Every URL of the portal's own apps that takes a database id uses the `id` converter
(portal/converters.py: 1 to 18 digits), not Django's `int`, which passes 20 digits on to
the database (OverflowError on SQLite, "out of range" on PostgreSQL)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from portal.converters import IdConverter

OUR_APPS = ("portal", "surveys", "forums", "assets_map", "priorities", "plans")
# Not a database id: the step of a survey is compared with the number of steps.
NOT_IDS = {("surveys", "number")}
# Wagtail builds its snippet viewsets' URLs with <int:pk>; the pk is the snippet's own
# AutoField, whose lookups Django (5.0+) answers "no match" when the number is out of range.
WAGTAIL_VIEWSETS = "admin/snippets/"
HUGE = "99999999999999999999"  # 20 digits, beyond 64 bits


def our_patterns(resolver=None, prefix=""):
    """(route, pattern) for every URL pattern whose view comes from the portal's own apps."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from our_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "") or ""
            if module.split(".")[0] in OUR_APPS:
                yield route, entry


def test_every_id_in_our_urls_uses_the_id_converter():
    converters = {}
    for route, entry in our_patterns():
        if route.startswith(WAGTAIL_VIEWSETS):
            continue
        for name, converter in entry.pattern.converters.items():
            converters.setdefault(type(converter), []).append(route)
            module = entry.callback.__module__.split(".")[0]
            assert not isinstance(converter, IntConverter) or (module, name) in NOT_IDS, (
                f"{route} takes <int:{name}>: use <id:{name}> for a database id")
    assert len(converters.get(IdConverter, [])) >= 20


def test_the_id_converter_takes_at_most_eighteen_digits():
    import re

    pattern = re.compile(f"^{IdConverter.regex}$")
    assert pattern.match("1") and pattern.match("9" * 18)
    assert not pattern.match("9" * 19) and not pattern.match("-1") and not pattern.match("1e3")
    assert 9 * 10**17 < 2**63  # every 18-digit number fits a signed 64-bit column


@pytest.mark.parametrize("path", [
    f"/forum-event/{HUGE}/calendar.ics",
    f"/forum-event/{HUGE}/register/",
    f"/forum-event/{HUGE}/vote/",
    f"/cy/forum-event/{HUGE}/calendar.ics",
    f"/survey-paper/{HUGE}/",
    f"/organisations/any/assets/{HUGE}/edit/",
    f"/organisations/any/requests/{HUGE}/",
])
def test_public_urls_with_a_huge_id_are_not_found(client, demo_site, superuser, path):
    assert client.get(path).status_code == 404
    client.force_login(superuser)
    assert client.get(path).status_code == 404


def test_an_eighteen_digit_id_reaches_the_view_and_is_not_found(client, demo_site):
    assert client.get(f"/forum-event/{'9' * 18}/calendar.ics").status_code == 404


def test_admin_urls_with_a_huge_id_are_not_found(client, demo_site, superuser, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(superuser)
    routes = [route for route, entry in our_patterns()
              if route.startswith("admin/") and "<id:" in route]
    assert routes
    for route in routes:
        path = "/" + route.replace("<id:pk>", HUGE).replace("<id:page_id>", HUGE).replace(
            "<id:priority>", HUGE)
        # a path ending in ".csv" first gets the slash appended (301), then the 404
        assert client.get(path, follow=True).status_code == 404, path
    edit = f"/admin/snippets/priorities/feedbackitem/edit/{HUGE}/"
    assert client.get(edit).status_code == 404
