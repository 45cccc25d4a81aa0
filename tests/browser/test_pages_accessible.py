"""Every public page type and account page passes axe-core, in English and in Welsh."""

import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD, make_user

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PUBLIC_PAGES = [
    "/about/",
    "/accessibility/",
    "/privacy/",
    "/search/",
    "/search/?q=Harlesden",
    "/search/?q=zzzqqq",
    "/no-such-page/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/cy/neighbourhoods/",
    "/cy/neighbourhoods/harlesden/",
]
SIGNED_IN_PAGES = ["/account/", "/account/delete/", "/accounts/email/",
                   "/accounts/password/change/", "/accounts/2fa/"]


def test_public_pages_are_accessible(demo_site, page):
    for path in PUBLIC_PAGES:
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)


def test_account_pages_are_accessible(demo_site, page):
    make_user("rita@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("rita@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    for path in SIGNED_IN_PAGES:
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
