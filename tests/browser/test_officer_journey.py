"""Journey: an officer signs in, sets up two-step verification and imports ward boundaries."""

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from playwright.sync_api import expect

from portal.neighbourhoods.models import Neighbourhood
from tests.conftest import DEMO_PASSWORD, make_user

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_officer_sets_up_mfa_and_imports_boundaries(demo_site, page, shared_data, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    make_user("officer@example.org", "Officers")

    page.goto("/admin/")
    expect(page).to_have_url(re.compile("/accounts/login/"))
    page.get_by_label("Email").fill("officer@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    # allauth asks for the password once more before a security change.
    expect(page).to_have_url(re.compile("/accounts/reauthenticate/"))
    assert_accessible(page)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile("/accounts/2fa/totp/activate/"))
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    code = format_hotp_value(hotp_value(secret, next(counters())))
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Activate").click()

    page.goto("/admin/snippets/neighbourhoods/neighbourhood/")
    page.get_by_role("link", name="Import boundaries").first.click()
    page.get_by_label("Boundary file").set_input_files(
        str(shared_data / "wards" / "brent_E09000005_wards.geojson"))
    page.get_by_role("button", name=re.compile("Import")).click()
    expect(page.get_by_text(re.compile("21 neighbourhoods? created"))).to_be_visible()
    assert Neighbourhood.objects.filter(code__startswith="E050").count() == 21
