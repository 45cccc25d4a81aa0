"""The client's address: X-Forwarded-For only from trusted proxies, the same for allauth."""

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from portal.ratelimit import client_ip, requester

PROXY = "10.0.0.1"


def request(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_x_forwarded_for_is_ignored_when_no_proxy_is_trusted(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request("198.51.100.7")) == PROXY
    assert client_ip(request("198.51.100.7, 203.0.113.9")) == PROXY


def test_one_trusted_proxy_gives_the_address_it_saw(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request("198.51.100.7")) == "198.51.100.7"
    # What the client put in the header itself is further left, and never believed.
    assert client_ip(request("192.0.2.66, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(request("203.0.113.9")) != client_ip(request("198.51.100.7"))


def test_two_trusted_proxies_read_two_entries_from_the_right(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request("192.0.2.66, 198.51.100.7, 10.9.9.9")) == "198.51.100.7"
    # A request that passed through only one of them: the address that proxy wrote.
    assert client_ip(request("198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize("forwarded, expected", [
    ("", PROXY),  # the proxy sent no header: its own address, not an error
    ("unknown", PROXY),
    ("198.51.100.7:51234", "198.51.100.7"),
    ("[2001:db8::7]:443", "2001:db8::7"),
    (" 2001:DB8::7 ", "2001:db8::7"),
    ("1.2.3.4, <script>", PROXY),
])
def test_unusual_headers_from_a_trusted_proxy(settings, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded)) == expected


@pytest.mark.parametrize("count", [0, 1, 2])
@pytest.mark.parametrize("forwarded", [None, "198.51.100.7", "192.0.2.66, 198.51.100.7",
                                       "192.0.2.66, 198.51.100.7, 10.9.9.9", "garbage"])
def test_allauth_sees_the_same_address_as_the_portal(settings, count, forwarded):
    settings.PORTAL_TRUSTED_PROXY_COUNT = count
    req = request(forwarded)
    assert get_adapter(req).get_client_ip(req) == client_ip(req)


def test_people_signed_in_are_counted_per_account_and_others_per_address(
        settings, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    anonymous = request("198.51.100.7")
    anonymous.user = AnonymousUser()
    assert requester(anonymous) == "ip:198.51.100.7"
    signed_in = request("198.51.100.7")
    signed_in.user = django_user_model(pk=42, email="a@example.org")
    assert requester(signed_in) == "user:42"
    # One IPv6 /64 (a household, a phone) is one address for counting.
    first, second = request("2001:db8:1:2::1"), request("2001:db8:1:2:ffff::9")
    first.user = second.user = AnonymousUser()
    assert requester(first) == requester(second) == "ip:2001:db8:1:2::"
