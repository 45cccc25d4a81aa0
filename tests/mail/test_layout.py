"""Every email looks like the council's: one layout (portal/templates/email/) with the site's
name, a footer with the organisation, the contact address and the privacy notice, a text and
an HTML part, and links on the configured address (PORTAL_SITE_URL), never the request's host."""

import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from portal.checks import check_site_url
from portal.mail import send_email_later
from portal.pages.models import PortalSettings
from tests.conftest import make_user
from tests.mail.paths import PATHS

pytestmark = pytest.mark.django_db

PUBLIC = "https://portal.example.gov.uk"
SITE_NAME = "Brent neighbourhoods"  # the demo's PortalSettings.site_name
LOCAL_HOSTS = ("testserver", "127.0.0.1", "localhost", "10.0.0.5")


@pytest.fixture
def public_address(settings, demo_site):
    """Production's setting: the portal's public address, different from every request host."""
    settings.PORTAL_SITE_URL = settings.WAGTAILADMIN_BASE_URL = PUBLIC
    return demo_site


def privacy_url(site, language="en") -> str:
    with translation.override(language):
        page = PortalSettings.for_site(site).privacy_page.localized
        return PUBLIC + page.get_url_parts()[2]


def parts(message) -> tuple[str, str]:
    (html, mimetype), = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


def assert_in_layout(message, site):
    text, html = parts(message)
    for part in (text, html):
        assert SITE_NAME in part
        assert privacy_url(site) in part
        assert "Brent Council with NHS North West London" in part  # the organisation
        assert "neighbourhoods@example.org" in part  # the contact address
        assert "Hello from" not in part and "Thank you for using" not in part
        for host in LOCAL_HOSTS:
            assert f"//{host}" not in part, (host, part)
    assert text.startswith(SITE_NAME + "\n")
    assert '<html lang="en"' in html and f"<title>{escape(message.subject)}" in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(href.startswith(("https://", "mailto:")) for href in hrefs), hrefs


@pytest.mark.parametrize("path", PATHS, ids=[path.__name__ for path in PATHS])
def test_every_email_has_both_parts_the_site_name_and_the_footer(path, context,
                                                                 public_address):
    mail.outbox.clear()
    to = path(**context)
    (message,) = mail.outbox
    assert message.to == [to]
    assert_in_layout(message, public_address)


def test_links_built_from_the_request_host_point_at_the_configured_address(
        client, make_event, public_address):
    event = make_event()
    response = client.post(f"/forum-event/{event.pk}/register/",
                           {"name": "Amina", "email": "amina@example.org"},
                           HTTP_HOST="10.0.0.5:8000")  # an internal name the proxy passed on
    assert response.status_code == 302
    (message,) = mail.outbox
    assert_in_layout(message, public_address)
    text, html = parts(message)
    assert re.search(rf"{PUBLIC}/forum-registration/\S+/confirm/", text)
    assert f'href="{PUBLIC}/forum-registration/' in html


def test_allauth_emails_name_the_site_and_link_the_configured_address(client, public_address):
    client.post("/accounts/signup/", {"email": "new@example.org",
                                      "password1": "a-long-new-password-1",
                                      "password2": "a-long-new-password-1"})
    make_user("forgetful@example.org")
    client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    confirm, reset = mail.outbox
    assert_in_layout(confirm, public_address)
    assert_in_layout(reset, public_address)
    assert f"an account on {SITE_NAME}." in confirm.body
    assert re.search(rf"{PUBLIC}/accounts/confirm-email/\S+/", confirm.body)
    assert re.search(rf"{PUBLIC}/accounts/password/reset/key/\S+/", reset.body)


def test_the_html_part_escapes_the_text_and_links_its_addresses(public_address):
    send_email_later("Changes needed", "Reason: <script>alert(1)</script>\n\n"
                     f"Edit it here: {PUBLIC}/organisations/a/?x=1&y=2", "vcs@example.org")
    text, html = parts(mail.outbox[0])
    assert "Reason: <script>alert(1)</script>" in text  # plain text stays as written
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'<a href="{PUBLIC}/organisations/a/?x=1&amp;y=2"' in html


def test_a_bare_site_path_or_a_relative_html_link_becomes_absolute(public_address):
    send_email_later("Flagged", "Read it here (sign-in needed): /admin/feedback/1/\n\n"
                     "Open 24/7, and/or by appointment.", "safeguarding@example.org")
    send_email_later("Fragment", "Text", "someone@example.org",
                     html='<p><a href="/have-your-say/">Have your say</a></p>')
    (text, html), (_, fragment) = parts(mail.outbox[0]), parts(mail.outbox[1])
    assert f"needed): {PUBLIC}/admin/feedback/1/" in text
    assert f'<a href="{PUBLIC}/admin/feedback/1/">' in html
    assert "Open 24/7, and/or by appointment." in text  # prose is left alone
    assert f'<a href="{PUBLIC}/have-your-say/">Have your say</a>' in fragment


def test_the_layout_follows_the_portal_settings(public_address):
    portal_settings = PortalSettings.for_site(public_address)
    portal_settings.site_name, portal_settings.organisation_name = "Our Brent", ""
    portal_settings.contact_email, portal_settings.privacy_page = "", None
    portal_settings.brand_colour = "#0b3d20"
    portal_settings.save()
    send_email_later("Subject", "Body", "someone@example.org")
    text, html = parts(mail.outbox[0])
    assert text.startswith("Our Brent\n") and "Our Brent" in html
    assert "background-color:#0b3d20" in html
    assert "Privacy notice" not in text and "Contact us" not in text  # nothing to link


def test_a_welsh_email_links_the_welsh_privacy_notice(public_address):
    with translation.override("cy"):
        send_email_later("Pwnc", "Corff", "someone@example.org")
    text, html = parts(mail.outbox[0])
    assert '<html lang="cy"' in html
    assert privacy_url(public_address, "cy") in text and "/cy/" in privacy_url(
        public_address, "cy")


def test_the_console_backend_prints_both_parts(settings, capsys, public_address):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    send_email_later("Your answers", "Your reference number is HYS-ABCDEFGH.",
                     "someone@example.org")
    printed = capsys.readouterr().out
    assert "Content-Type: text/plain" in printed and "Content-Type: text/html" in printed
    assert "HYS-ABCDEFGH" in printed and SITE_NAME in printed


def test_wagtail_workflow_notifications_carry_the_branding(public_address):
    user = make_user("councillor@example.org", "Councillors", first_name="Ada")
    text = render_to_string("wagtailadmin/notifications/base.txt", {"user": user})
    html = render_to_string("wagtailadmin/notifications/base.html", {"user": user})
    for part in (text, html):
        assert SITE_NAME in part and privacy_url(public_address) in part
        assert "Ada" in part  # Wagtail's own greeting is kept
        assert f"{PUBLIC}/admin/account/" in part  # and its notification preferences


# --- the setting ----------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "problem"), [
    ("", "portal.E004"), ("http://127.0.0.1:8000", "portal.E004"),
    ("http://localhost:8000", "portal.E004"), ("portal.example.gov.uk", "portal.E004"),
    ("http://portal.example.gov.uk", "portal.W002"), (PUBLIC, None)])
def test_the_deploy_check_wants_a_public_https_address(settings, url, problem):
    settings.PORTAL_SITE_URL = url
    assert [found.id for found in check_site_url()] == ([problem] if problem else [])


def test_production_without_the_site_address_fails_the_deploy_check(tmp_path):
    from tests.settings.test_production import PRODUCTION_ENV, run_manage

    database = tmp_path / "db.sqlite3"
    database.touch()
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "PORTAL_BASE_URL"}
    result = run_manage("check", "--deploy", **env, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode != 0
    assert "portal.E004" in result.stderr and "PORTAL_BASE_URL" in result.stderr


def test_the_sender_is_named_after_the_site_unless_a_name_is_configured(settings):
    from portal.mail import branded_sender

    settings.DEFAULT_FROM_EMAIL = "Neighbourhood portal <noreply@brent.example>"
    assert branded_sender("Brent neighbourhoods") == "Brent neighbourhoods <noreply@brent.example>"
    settings.DEFAULT_FROM_EMAIL = "noreply@brent.example"
    assert branded_sender("Brent, neighbourhoods") == (
        '"Brent, neighbourhoods" <noreply@brent.example>')
    settings.DEFAULT_FROM_EMAIL = "Brent Council <noreply@brent.example>"
    assert branded_sender("Brent neighbourhoods") == "Brent Council <noreply@brent.example>"
