"""Journey: a resident compares neighbourhoods' priorities, opens one, reads the evidence
and the scores (a share of people with its 95% interval, "too close to call"), the adopted
decision with its reason, who took part, and how the ranking was worked out; an officer sees
whether the top three would change before freezing a snapshot."""

import re

import pytest
from playwright.sync_api import expect

from portal.neighbourhoods.models import Neighbourhood
from portal.roles import OFFICERS
from portal.themes.models import Theme
from priorities.models import SnapshotPriority
from priorities.snapshots import decide, take_snapshot
from tests.conftest import DEMO_PASSWORD, make_user
from tests.priorities.conftest import add_feedback

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_compare_and_read_a_neighbourhoods_priorities(demo_site, page):
    from priorities.models import PrioritiesPage

    home = demo_site.root_page.specific
    priorities = PrioritiesPage(title="Neighbourhood priorities", slug="priorities")
    home.add_child(instance=priorities)
    priorities.save_revision().publish()
    themes = {t.slug: t for t in Theme.objects.all()}
    areas = {n.name: n for n in Neighbourhood.objects.all()}
    for _n in range(8):
        add_feedback(areas["Harlesden"], [themes["financial-hardship"]], people=6)
    for _n in range(6):
        add_feedback(areas["Harlesden"], [themes["school-readiness"]], people=6)
    for _n in range(7):
        add_feedback(areas["Kilburn"], [themes["mental-health"]], people=6)
    officer = make_user("officer-journey@example.org", OFFICERS)
    snapshot = take_snapshot(areas["Harlesden"], officer)
    decide(snapshot.priorities.get(rank=1), SnapshotPriority.ADOPTED,
           "Families are falling behind on rent and bills.", officer)

    page.goto("/priorities/")
    expect(page.get_by_role("heading", name="Comparing neighbourhoods")).to_be_visible()
    expect(page.get_by_role("cell", name="57% (rank 1)")).to_be_visible()
    expect(page.locator("svg.priorities-heatmap")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Harlesden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priorities for Harlesden")
    expect(page.get_by_text("Families are falling behind on rent and bills.")).to_be_visible()
    expect(page.get_by_text("8 items of community feedback.").first).to_be_visible()
    expect(page.get_by_role("heading", name="Who took part")).to_be_visible()
    # 48 of 84 people and 36 of 84: their 95% intervals overlap.
    first = page.locator("#live-financial-hardship")
    expect(first.get_by_text(re.compile(r"57% of people \(95% interval \d+% to \d+%\)"))) \
        .to_be_visible()
    expect(first.get_by_text("too close to call", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^The top three (stay|would change)"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Method: share of people, version 2").first.click()
    expect(page.get_by_role("heading", name="2. Share of people")).to_be_visible()
    expect(page.get_by_role("table", name="Multipliers and need weighting in effect now")) \
        .to_be_visible()
    assert_accessible(page)


def test_officer_sees_the_sensitivity_before_freezing(demo_site, page, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    themes = {t.slug: t for t in Theme.objects.all()}
    kilburn = Neighbourhood.objects.get(name="Kilburn")
    for _n in range(7):
        add_feedback(kilburn, [themes["mental-health"]], people=6)
    for _n in range(6):
        add_feedback(kilburn, [themes["housing"]], people=6)
    make_user("officer-freeze@example.org", OFFICERS)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("officer-freeze@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"/admin/priorities/neighbourhood/{kilburn.pk}/")
    expect(page.get_by_role("heading", name="Would the top three change?")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("^Would the top three change?"))
    halved = "If the multiplier for community feedback were halved"
    expect(table.get_by_role("rowheader", name=halved)).to_be_visible()
    expect(page.get_by_role("button", name="Take a snapshot")).to_be_visible()
    assert_accessible(page)
