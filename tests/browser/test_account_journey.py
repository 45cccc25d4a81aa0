"""Journey: a resident signs up, verifies their email, downloads their data and leaves."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "a-long-resident-password"


def test_sign_up_verify_download_and_delete(demo_site, page, live_server):
    page.goto("/accounts/signup/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign Up").click()  # empty form: errors, nothing saved
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter your email address")).to_be_visible()
    summary.get_by_role("link", name="Enter a password").click()
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Email").fill("amina@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify"))
    assert_accessible(page)

    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your data").click()
    data = json.loads(open(download_info.value.path()).read())
    assert data["account"]["email"] == "amina@example.org"

    page.get_by_role("link", name="Delete your account").click()
    page.get_by_label("Type your email address to confirm").fill("wrong@example.org")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_contain_text("That is not the email address")
    assert_accessible(page)
    page.get_by_label("Type your email address to confirm").fill("amina@example.org")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("status")).to_contain_text("have been deleted")
    assert not get_user_model().objects.filter(email="amina@example.org").exists()
