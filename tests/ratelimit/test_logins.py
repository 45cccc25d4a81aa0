"""Sign-in limits per account and per address: nobody can lock another person out."""

import pytest

from tests.conftest import DEMO_PASSWORD, make_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
ATTACKER, NEIGHBOUR = "198.51.100.66", "198.51.100.7"


@pytest.fixture
def accounts(demo_site):
    return make_user("target@example.org"), make_user("bystander@example.org")


def sign_in(client, email, password, address, proxy=True):
    extra = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address} if proxy else {
        "REMOTE_ADDR": address}
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_for_one_account_do_not_lock_out_another_behind_the_proxy(
        client, accounts, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    for attempt in range(54):
        sign_in(client, "target@example.org", f"guess-{attempt}", ATTACKER)
    response = sign_in(client, "bystander@example.org", DEMO_PASSWORD, NEIGHBOUR)
    assert response.status_code == 302 and signed_in(client)


def test_wrong_passwords_for_one_account_do_not_lock_out_another_on_the_same_wifi(
        client, accounts):
    for attempt in range(54):
        sign_in(client, "target@example.org", f"guess-{attempt}", NEIGHBOUR, proxy=False)
    response = sign_in(client, "bystander@example.org", DEMO_PASSWORD, NEIGHBOUR, proxy=False)
    assert response.status_code == 302 and signed_in(client)
    # The guessed account itself is held back for a while, whatever the password.
    client.logout()
    response = sign_in(client, "target@example.org", DEMO_PASSWORD, NEIGHBOUR, proxy=False)
    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)


def test_a_password_spray_from_one_address_is_stopped(client, accounts, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    refused = 0
    for number in range(40):  # one guess each at many accounts
        response = sign_in(client, f"person{number}@example.org", "Password123", ATTACKER)
        refused += "Too many failed login attempts" in response.content.decode()
    assert refused == 10  # 30 failures in 15 minutes from one address, then no more
    # Others behind the same proxy are untouched.
    response = sign_in(client, "bystander@example.org", DEMO_PASSWORD, NEIGHBOUR)
    assert response.status_code == 302 and signed_in(client)
