"""Issue 13's "Done when": axe-core reports zero violations on every public page type in
Arabic (right to left) and in Welsh.

One site with a page of every public type, translated through wagtail-localize
(tests/i18n/translated_site.py); one browser page visits each address in both languages. Every
address is checked before the test fails, and the failure lists each page's violations.
"""

import pytest
from django.urls import clear_url_caches
from playwright.sync_api import expect

from assets_map.models import Asset
from tests.i18n.translated_site import build_translated_site, in_language

from .conftest import assert_accessible
from .test_survey_languages import answer_steps

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Arabic on a 320 px phone (where a mirrored layout is likeliest to scroll sideways), Welsh on a
# desktop screen.
WIDTHS = {"ar": 320, "cy": 1280}


@pytest.fixture
def site_pages(demo_site, settings):
    settings.SURVEYS_MIN_SECONDS = 0
    yield build_translated_site(demo_site, settings)
    clear_url_caches()


def addresses(pages: dict, code: str) -> dict[str, str]:
    """Page type -> its address in `code`."""
    url = {name: in_language(page, code).url for name, page in pages.items()}
    asset = Asset.objects.published().order_by("name").first()
    return {
        "home": url["home"],
        "neighbourhood index": url["neighbourhood index"],
        "neighbourhood": url["neighbourhood"],
        "standard page": url["standard page"],
        "survey index": url["survey index"],
        "survey": url["survey"],
        "survey results": url["survey"] + "results/",
        "reference look-up": url["survey index"] + "what-happened/",
        "forum index": url["forum index"],
        "forum": url["forum"],
        "asset map": url["asset map"],
        "asset": f"{url['asset map']}{asset.slug}/",
        "priorities": url["priorities"],
        "neighbourhood priorities": url["priorities"] + "harlesden/",
        "priorities method": url["priorities"] + "how-we-worked-this-out/",
        "plan index": url["plan index"],
        "plan": url["plan"],
        "plan highlights": url["plan"] + "highlights/",
        "search": f"/{code}/search/?q=food",
        "not found": f"/{code}/no-such-page/",
    }


def violations(page) -> str:
    """axe-core's report of the page's violations, and whether it scrolls sideways ("" when
    neither). axe waits for the page to finish loading, so the width is measured after it."""
    try:
        assert_accessible(page)
        report = ""
    except AssertionError as error:
        report = str(error)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return (f"scrolls sideways by {overflow}px\n" if overflow > 0 else "") + report


def test_every_public_page_type_is_axe_clean_in_arabic_and_welsh(site_pages, page):
    """Every address in each language, then the forum form in error and the survey's steps."""
    found = {}
    for code, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        direction = "rtl" if code == "ar" else "ltr"
        for name, url in addresses(site_pages, code).items():
            page.goto(url)
            expect(page.locator("html")).to_have_attribute("lang", code)
            expect(page.locator("html")).to_have_attribute("dir", direction)
            found[f"{code} {name} ({url})"] = violations(page)
        # The forum's registration form sent empty: the error summary and fields in error.
        page.goto(in_language(site_pages["forum"], code).url)
        page.locator("form[action$='/register/'] button[type=submit]").first.click()
        expect(page.locator(".error-summary")).to_be_visible()
        found[f"{code} forum registration errors"] = violations(page)
        # The survey: its steps, on the way, and "check your answers".
        steps = []

        def check(page, steps=steps):
            report = violations(page)
            steps.append(f"{page.url}: {report}" if report else "")

        answer_steps(page, in_language(site_pages["survey"], code).url, code, check=check)
        found[f"{code} survey steps and check your answers"] = "".join(steps)
        page.context.clear_cookies()
    failed = {name: report for name, report in found.items() if report}
    assert not failed, "\n\n".join(f"{name}:\n{report}" for name, report in failed.items())
