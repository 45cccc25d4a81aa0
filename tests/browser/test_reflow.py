"""Every public page type fits a phone: at 320 CSS px wide nothing makes the page scroll
sideways (WCAG 2.2 1.4.10 Reflow), and each page is still axe-clean at that width.

Wide tables either become stacked rows ("table-stack") or scroll inside a labelled, focusable
region ("table-scroll"); see portal/static/portal/css/portal.css."""

import os

import pytest
from django.core.management import call_command
from django.db.models.functions import Length
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 320, "height": 640}

# Pages whose address the demo fixes. The rest are looked up in `demo_pages`.
FIXED_PAGES = [
    "/",
    "/neighbourhoods/",
    "/neighbourhoods/harlesden/",
    "/community-assets/",
    "/have-your-say/",
    "/forums/",
    "/forums/harlesden-forum-previous/",  # past forum: dot-vote tables
    "/priorities/",
    "/priorities/kilburn/",
    "/priorities/how-we-worked-this-out/",
    "/plans/",
    "/search/?q=library",
    "/accounts/login/",
    "/privacy/",
    "/accessibility/",
    # Welsh runs longer than English: the pages with the widest tables, in Welsh.
    "/cy/priorities/kilburn/",
    "/cy/plans/harlesden-plan/",
]

# The widest elements, to name in a failure: which element pushed the page out, and how far.
WIDEST_ELEMENTS = """() => {
  const limit = window.innerWidth;
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const right = Math.round(element.getBoundingClientRect().right);
    if (right > limit) {
      const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + [...element.classList].map((c) => "." + c).join("");
      wide.push([right, name]);
    }
  }
  wide.sort((a, b) => b[0] - a[0]);
  return wide.slice(0, 3).map(([right, name]) => `${name} to ${right}px`);
}"""


@pytest.fixture
def full_demo(demo_site):
    """What `make run` loads: the borough, then every app's demo."""
    quiet = open(os.devnull, "w")
    for command, *args in (("load_demo_assets",), ("load_demo_forums",),
                           ("load_demo_surveys", "--responses", "120"),
                           ("load_demo_priorities",), ("load_demo_plans",),
                           ("load_demo_translations",)):
        call_command(command, *args, stdout=quiet)
    return demo_site


def demo_pages() -> list[str]:
    """Every public page type: the fixed addresses, plus an asset, a survey, its published
    results, a plan and its latest highlight report, found in the demo's data."""
    from assets_map.models import Asset
    from plans.models import LocalityPlanPage
    from surveys.models import SurveyPage

    # The asset with the longest web address: long words and links must wrap.
    asset = (Asset.objects.filter(status=Asset.PUBLISHED)
             .order_by(Length("website").desc(), "slug").first())
    survey = SurveyPage.objects.live().filter(results_published=True).first()
    plan = LocalityPlanPage.objects.live().first()
    assert asset and survey and plan, "the demo lacks an asset, published results or a plan"
    return [*FIXED_PAGES, f"/community-assets/{asset.slug}/", survey.url,
            f"{survey.url}results/", plan.url, f"{plan.url}highlights/"]


def latest_highlight_report(page, plan_highlights: str) -> str:
    page.goto(plan_highlights)
    link = page.locator(f'a[href^="{plan_highlights}"]').first
    expect(link).to_be_visible()
    return link.get_attribute("href")


def overflow(page) -> str | None:
    """How far the page is wider than the viewport, and what makes it so; None if it fits."""
    scroll_width, viewport = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width <= viewport:
        return None
    return f"{scroll_width}px wide ({', '.join(page.evaluate(WIDEST_ELEMENTS))})"


UNLABELLED_SCROLL_REGIONS = """() => [...document.querySelectorAll(".table-scroll")]
  .filter((region) => region.getAttribute("role") !== "region"
    || region.getAttribute("tabindex") !== "0"
    || !document.getElementById(region.getAttribute("aria-labelledby") || "")?.textContent.trim())
  .map((region) => region.outerHTML.slice(0, 120))"""


def check_page(page, path: str) -> list[str]:
    """What is wrong with one page at phone width: too wide, a scroll region without a name
    or out of reach of the keyboard, axe-core violations."""
    problems = []
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    expect(page.locator("h1")).to_have_count(1)
    if too_wide := overflow(page):
        problems.append(f"{path}: {too_wide}")
    for region in page.evaluate(UNLABELLED_SCROLL_REGIONS):
        problems.append(f"{path}: a table-scroll region needs role, tabindex and a caption: "
                        f"{region}")
    try:
        assert_accessible(page)
    except AssertionError as error:
        problems.append(f"{path}: {error}")
    return problems


def check_scroll_region(page) -> None:
    """The neighbourhoods' comparison table scrolls inside its region with the keyboard."""
    page.goto("/priorities/")
    region = page.locator(".table-scroll").first
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    region.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # Chromium scrolls smoothly: wait for the scroll to move rather than read it at once.
    region.evaluate_handle("""element => new Promise(resolve => {
        const started = performance.now();
        (function look() {
            if (element.scrollLeft > 0 || performance.now() - started > 5000) resolve();
            else requestAnimationFrame(look);
        })();
    })""")
    assert region.evaluate("element => element.scrollLeft") > 0
    assert overflow(page) is None


def check_stacked_rows(page, plan_url: str) -> None:
    """A plan's actions are stacked: each cell under its column's name, all on screen."""
    page.goto(plan_url)
    status = page.locator("table.table-stack td[data-label='Status']").first
    label = status.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "Status" in label
    # The status is in view, not off to the right as when the table was 674px wide.
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # On a wide screen it is an ordinary table again, its column headers showing.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("table.table-stack thead").first).to_be_visible()
    assert status.evaluate("cell => getComputedStyle(cell).display") == "table-cell"


def test_every_public_page_type_fits_a_320px_screen(full_demo, page):
    """One test, so the full demo loads once."""
    page.set_viewport_size(PHONE)
    paths = demo_pages()
    paths.append(latest_highlight_report(page, paths[-1]))
    problems = [problem for path in paths for problem in check_page(page, path)]
    assert problems == [], f"{len(problems)} problems at 320px:\n" + "\n".join(problems)
    check_scroll_region(page)
    check_stacked_rows(page, paths[-2].removesuffix("highlights/"))
