"""The CSRF failure and rate-limit (429) pages are the portal's own: in its layout, under its
strict CSP with nothing inline for the CSP to block, with a clear message and a way back
(issue 16: the CSRF page was Django's default, whose inline style the CSP blocked)."""

import re

import pytest
from django.test import Client


def assert_branded_and_csp_clean(response):
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "portal/css/portal.css" in html  # the portal's layout, not Django's bare page
    assert not re.search(r"<style[\s>]", html, re.I), "an inline <style> block"
    assert not re.search(r"\sstyle\s*=", html, re.I), "an inline style= attribute"
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html, re.I), "an inline script"
    return html


@pytest.mark.django_db
def test_a_post_without_a_csrf_token_gets_the_branded_page(demo_site):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    html = assert_branded_and_csp_clean(response)
    assert "Your form could not be sent" in html
    assert "Nothing from that form has been saved" in html
    assert 'href="/accounts/login/"' in html  # back to the page
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_rate_limited_sign_in_gets_the_branded_429_page(demo_site, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    client = Client()
    client.post("/accounts/login/", {"login": "a@example.org", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": "a@example.org",
                                                "password": "wrong-password"})
    assert response.status_code == 429
    html = assert_branded_and_csp_clean(response)
    assert "Too many attempts" in html
