"""Accounts and languages: signing out keeps the language, officers translate (issue 13)."""

import pytest


@pytest.mark.parametrize(("prefix", "home"), [("/cy", "/cy/"), ("", "/")])
def test_signing_out_lands_on_the_home_page_in_the_same_language(client, resident, prefix, home):
    client.force_login(resident)
    reply = client.post(f"{prefix}/accounts/logout/")
    assert reply.status_code == 302 and reply["Location"] == home


def test_officers_can_submit_translations_and_councillors_cannot(officer, councillor):
    assert officer.has_perm("wagtail_localize.submit_translation")
    assert not councillor.has_perm("wagtail_localize.submit_translation")
