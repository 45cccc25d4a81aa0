"""Journey (issue 15, done when): an officer codes ten survey comments on the insight coding
screen with the keyboard only (j, number keys, s), on a page that passes axe and fits 320 px;
the database then holds the ten coded with the right themes, ten coding events, and the
themes written back to each comment's coding."""

import re

import pytest
from playwright.sync_api import expect

from insight.models import CodingEvent, InsightItem
from portal.themes.models import Theme
from surveys.models import CommentCoding, SurveyIndexPage
from tests.conftest import make_user
from tests.surveys.conftest import make_survey, respond

from .conftest import assert_accessible
from .test_paper_entry import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The theme keys pressed for each comment, in the order the screen lists them (newest first).
KEYS = [["1"], ["2"], ["1", "3"], ["4"], ["5"], ["2", "6"], ["7"], ["8"], ["9"], ["1", "9"]]


def test_an_officer_codes_ten_comments_with_the_keyboard(browser, live_server, demo_site,
                                                         settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    officer = make_user("coder.browser@example.org", "Officers")
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    survey = make_survey(index, title="Family hubs")
    for n in range(10):
        respond(survey, text=f"Comment number {n}: the family hub is too far away.")
    assert InsightItem.objects.filter(origin=InsightItem.COMMENT, coded_at=None).count() == 10
    themes = list(Theme.objects.active().order_by("name"))[:9]

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "coder.browser@example.org")
    page.goto("/admin/insight/?origin=comment")
    expect(page.get_by_role("heading", name="10 items match")).to_be_visible()
    expect(page.get_by_role("heading", name="Keyboard shortcuts")).to_be_visible()
    assert_accessible(page)
    order = [int(pk) for pk in page.locator("article.insight-item").evaluate_all(
        "items => items.map(item => item.id.replace('item-', ''))")]

    for _tab in range(40):  # Tab to "Skip to the items", then into the list
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Skip to the items":
            break
    page.keyboard.press("Enter")
    page.keyboard.press("j")
    for n, keys in enumerate(KEYS):
        expect(page.locator(f"#item-{order[n]}")).to_be_focused()
        for key in keys:
            page.keyboard.press(key)
        with page.expect_navigation():
            page.keyboard.press("s")
        page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="0 items match")).to_be_visible()

    coded = {item.pk: item for item in InsightItem.objects.filter(origin=InsightItem.COMMENT)}
    for pk, keys in zip(order, KEYS, strict=True):
        item = coded[pk]
        want = {themes[int(key) - 1].slug for key in keys}
        assert item.coded_by == officer and {t.slug for t in item.themes.all()} == want
        tags = CommentCoding.objects.get(answer_id=item.origin_id)
        assert {t.slug for t in tags.themes.all()} == want  # written back to the survey
    events = CodingEvent.objects.filter(item__origin=InsightItem.COMMENT)
    assert events.count() == 10 and set(events.values_list("action", flat=True)) == {"coded"}

    page.goto("/admin/insight/?status=coded")
    page.get_by_text(re.compile(r"History \(1 change\)")).first.click()
    expect(page.get_by_text(re.compile("coder.browser@example.org · Coded")).first).to_be_visible()
    assert_accessible(page)
    page.goto("/admin/insight/?date_from=2026-13-45")  # a filter that cannot be read
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("as a real date, like 2026-10-31")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})  # fits a small screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
    assert not errors, errors
