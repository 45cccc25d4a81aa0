"""A resident finds "Follow with a feed reader" on the home and neighbourhood pages, in English
and Welsh, on a phone: the link is visible, the page stays axe-clean and fits 320 px, and the
address it gives is a feed a reader can parse."""

import feedparser
import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = {
    "/": "/feeds/all.atom",
    "/neighbourhoods/harlesden/": "/feeds/neighbourhoods/harlesden.atom",
    "/cy/": "/cy/feeds/all.atom",
    "/cy/neighbourhoods/harlesden/": "/cy/feeds/neighbourhoods/harlesden.atom",
}


def test_feed_links_are_visible_accessible_and_lead_to_a_feed(demo_site, page):
    page.set_viewport_size({"width": 320, "height": 640})
    for path, feed in PAGES.items():
        page.goto(path)
        link = page.locator(f'main a[href="{feed}"]')
        expect(link).to_be_visible()
        assert page.locator(f'head link[rel="alternate"][href="{feed}"]').count() == 1
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{path} is {width[0]}px wide at 320px"
        assert_accessible(page)
        response = page.request.get(feed)
        assert response.ok
        parsed = feedparser.parse(response.body())
        assert not parsed.bozo and parsed.version == "atom10"
