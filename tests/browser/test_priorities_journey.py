"""Journey: a resident compares neighbourhoods' priorities, opens one, reads the evidence,
the adopted decision with its reason, who took part, and how the ranking was worked out."""

import pytest
from playwright.sync_api import expect

from portal.neighbourhoods.models import Neighbourhood
from portal.roles import OFFICERS
from portal.themes.models import Theme
from priorities.models import SnapshotPriority
from priorities.snapshots import decide, take_snapshot
from tests.conftest import make_user
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
    expect(page.locator("svg.priorities-heatmap")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Harlesden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priorities for Harlesden")
    expect(page.get_by_text("Families are falling behind on rent and bills.")).to_be_visible()
    expect(page.get_by_text("8 items of community feedback.").first).to_be_visible()
    expect(page.get_by_role("heading", name="Who took part")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="How we worked this out").click()
    expect(page.get_by_role("heading", name="2. Share of attention")).to_be_visible()
    assert_accessible(page)
