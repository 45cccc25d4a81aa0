"""The HTML part of the portal's emails (portal/templates/email/base.html) passes axe-core's
WCAG 2.2 A and AA rules and fits a 320 px screen. An email is not a page, so the best-practice
rules about landmarks and a page's h1 are not asked of it."""

import pytest
from django.core import mail

from portal.mail import send_email_later

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_html_email_is_accessible_and_fits_a_small_screen(page, demo_site):
    send_email_later("You are registered: Harlesden neighbourhood forum",
                     "Dear Amina,\n\nYou are registered for Harlesden neighbourhood forum.\n\n"
                     "Your registration: http://127.0.0.1:8000/forum-registration/"
                     "a-very-long-token-that-must-wrap-on-a-small-screen-0123456789/\n",
                     "amina@example.org")
    (html, _mimetype), = mail.outbox[-1].alternatives
    page.set_viewport_size({"width": 320, "height": 640})
    page.set_content(html)
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.get_by_role("link", name="Brent neighbourhoods").first.is_visible()
    assert page.get_by_role("link", name="Privacy notice").is_visible()
