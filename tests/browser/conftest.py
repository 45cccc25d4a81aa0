"""Browser tests: Playwright drives Debian's Chromium against Django's live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("PORTAL_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright runs an asyncio loop in this thread, and Django keeps database connections per
    # async context, so tests after this point get fresh connection objects. Hand them the
    # snapshot that serialized_rollback restores between transactional tests.
    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", None)
                 for alias in connections}
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request, settings):
    # Links in emails use the configured address (portal.mail): here, the live server's.
    settings.PORTAL_SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors or CSP violations: {errors}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def assert_accessible(page, upstream: tuple[str, ...] = ()):
    """Zero axe-core violations (WCAG 2.2 A and AA rules) on the page as it stands.

    `upstream` names rules left out because the violation is in Wagtail's own admin markup,
    not ours (each use says which and why); never for the portal's pages."""
    from axe_playwright_python.sync_playwright import Axe

    # A URL assertion passes as soon as navigation commits; axe must wait for the document to
    # finish loading, or a run can overlap one the page is still starting ("Axe is already
    # running"), which made the officer journey flaky.
    page.wait_for_load_state("load")
    # A colour caught mid-transition (a message fading in) is not the colour people read.
    # Wait at most 3 s: some of Wagtail's admin animations run far longer (a page's finite
    # animations once made each check wait 25 s) and what axe checks has settled by then.
    page.evaluate("""Promise.race([
        Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
            .map(a => a.finished.catch(() => null))),
        new Promise(resolve => setTimeout(resolve, 3000))])""")
    options = {"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}
    if upstream:
        options["rules"] = {rule: {"enabled": False} for rule in upstream}
    results = Axe().run(page, options=options)
    assert results.violations_count == 0, results.generate_report()
