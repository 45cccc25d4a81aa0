"""Journey: a resident reads how deprived the parts of Harlesden are, on its neighbourhood page
(map, key and table) and on its priorities page, where Leaflet is loaded by the layer itself."""

import pytest
from playwright.sync_api import expect

from portal.neighbourhoods.models import Neighbourhood

from .conftest import ARTIFACTS, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def check_layer(page, areas: int):
    layer = page.locator("section.deprivation-layer")
    expect(layer.get_by_role("heading", name="Need: deprivation by area")).to_be_visible()
    expect(page.locator("#deprivation-map.map--ready")).to_be_visible()
    region = page.get_by_role("region", name="Map of deprivation by area in Harlesden")
    expect(region).to_be_visible()
    # One shaded shape per area; each carries its decile number as well as its colour.
    expect(page.locator("#deprivation-map path.leaflet-interactive")).to_have_count(areas)
    # Many areas: the table is folded away under its summary; open it from the keyboard.
    summary = layer.locator("details.deprivation-details > summary")
    if areas > 12:
        expect(layer.get_by_role("table")).to_be_hidden()
        summary.focus()
        page.keyboard.press("Enter")
    table = layer.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(areas)
    expect(table).to_contain_text("Decile")
    expect(layer.locator(".deprivation-legend__item")).to_have_count(10)
    expect(layer).to_contain_text("English Indices of Deprivation 2019, MHCLG")


def test_neighbourhood_and_priorities_pages_show_the_deprivation_layer(demo_site, page):
    from priorities.models import PrioritiesPage

    harlesden = Neighbourhood.objects.select_related("need").get(name="Harlesden")
    areas = len(harlesden.need.areas)
    home = demo_site.root_page.specific
    priorities = PrioritiesPage(title="Neighbourhood priorities", slug="priorities")
    home.add_child(instance=priorities)
    priorities.save_revision().publish()

    page.goto("/neighbourhoods/harlesden/")
    check_layer(page, areas)
    labels = page.locator("#deprivation-map .deprivation-label")
    if labels.count():  # numbers show once zoomed in far enough to hold them
        expect(labels.first).to_have_attribute("aria-hidden", "true")
    # The map is reachable from the keyboard (Leaflet pans with the arrow keys).
    expect(page.locator("#deprivation-map")).to_have_attribute("tabindex", "0")
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("section.deprivation-layer").screenshot(
        path=str(ARTIFACTS / "deprivation-neighbourhood.png"))

    page.goto("/priorities/harlesden/")
    check_layer(page, areas)
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/neighbourhoods/harlesden/")
    expect(page.locator("#deprivation-map.map--ready")).to_be_visible()
    overflow = page.evaluate("document.querySelector('section.deprivation-layer').scrollWidth"
                             " - document.querySelector('section.deprivation-layer').clientWidth")
    assert overflow <= 0
