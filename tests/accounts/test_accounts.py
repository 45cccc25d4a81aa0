"""Accounts: sign-up with verification, personal data download and erasure, staff MFA."""

import json
import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_up_needs_email_verification_then_signs_in(client, demo_site):
    response = client.post("/accounts/signup/", {
        "email": "new.resident@example.org", "password1": DEMO_PASSWORD,
        "password2": DEMO_PASSWORD,
    })
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.resident@example.org"]
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    confirm = client.post(path)
    assert confirm.status_code == 302
    assert client.get("/account/").status_code == 200


def test_sign_up_errors_are_shown_next_to_the_fields(client, demo_site):
    response = client.post("/accounts/signup/", {
        "email": "not-an-email", "password1": "short", "password2": "other",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_email"' in html
    assert 'aria-describedby="id_email_error"' in html or "id_email_error" in html
    assert "Enter an email address in the correct format, like name@example.com" in html
    assert get_user_model().objects.filter(email="not-an-email").count() == 0


def test_download_my_data_holds_my_data_only(client, resident, officer):
    client.force_login(officer)
    response = client.get("/account/data/")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "officer@example.org"
    assert data["account"]["roles"] == ["Officers"]
    assert "resident@example.org" not in response.content.decode()


def test_delete_account_needs_the_email_retyped(client, resident):
    client.force_login(resident)
    wrong = client.post("/account/delete/", {"confirm_email": "someone@example.org"})
    assert wrong.status_code == 200
    assert "That is not the email address of this account" in wrong.content.decode()
    assert get_user_model().objects.filter(pk=resident.pk).exists()

    right = client.post("/account/delete/", {"confirm_email": "Resident@Example.org "})
    assert right.status_code == 302
    assert not get_user_model().objects.filter(pk=resident.pk).exists()
    assert client.get("/account/").status_code == 302  # signed out


def test_account_pages_need_sign_in(client):
    for path in ["/account/", "/account/data/", "/account/delete/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_staff_must_set_up_an_authenticator_before_using_the_admin(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    client.force_login(officer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"

    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get("/admin/").status_code == 200


def test_residents_are_not_asked_for_mfa(client, resident, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    client.force_login(resident)
    assert client.get("/account/").status_code == 200


def test_repeated_failed_sign_ins_are_slowed_down(client, resident, demo_site):
    for _ in range(6):
        response = client.post("/accounts/login/", {
            "login": "resident@example.org", "password": "wrong-password"})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    good = client.post("/accounts/login/", {"login": "resident@example.org",
                                            "password": DEMO_PASSWORD})
    assert good.status_code == 200  # still locked for this account, whatever the password


def test_rate_limited_requests_get_the_friendly_429_page(rf, demo_site):
    from allauth.core.ratelimit import respond_429
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/accounts/signup/")
    request.user = AnonymousUser()
    request.site = demo_site
    response = respond_429(request)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
