"""Coding comments: officers tag them with themes and flag safeguarding; councillors only read."""

import pytest
from django.urls import reverse

from portal.themes.models import Theme
from surveys import evidence
from surveys.coding import comments
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_officer_codes_a_comment_and_flags_safeguarding(answered, client, settings, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    settings.SURVEYS_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    client.force_login(make_user("o4@example.org", "Officers"))
    url = reverse("surveys_admin:comments", args=[answered.pk])
    listing = client.get(url, {"q": "buses"})
    assert listing.status_code == 200 and listing.content.count(b"More buses") == 3
    comment = comments(answered).first()
    housing = Theme.objects.get(slug="housing")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"answer": comment.pk, "themes": [housing.pk, "999999"],
                              "safeguarding": "on"})
    assert r.status_code == 302
    comment.refresh_from_db()
    assert list(comment.coding.themes.all()) == [housing] and comment.coding.safeguarding
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["safeguarding@example.org"]
    assert "More buses" not in mailoutbox[0].body  # the comment stays in the admin
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"answer": comment.pk, "themes": [housing.pk], "safeguarding": "on"})
    assert len(mailoutbox) == 1  # only a new flag notifies
    rows = [r for r in evidence.rows() if r.source == "survey_comment"]
    assert rows and rows[0].theme_id == housing.pk and rows[0].count == 1
    other_survey_answer = client.post(url, {"answer": 999999})
    assert other_survey_answer.status_code == 404


def test_councillor_reads_comments_but_cannot_code(answered, client, settings, councillor):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(councillor)
    url = reverse("surveys_admin:comments", args=[answered.pk])
    assert client.get(url).status_code == 200
    comment = comments(answered).first()
    assert client.post(url, {"answer": comment.pk}).status_code in (302, 403)  # admin: refused
    assert not hasattr(comments(answered).first(), "coding")
