"""Public pages: comparison, per-neighbourhood priorities, method, section; query counts."""

import pytest
from django.core.cache import cache

from priorities.models import SnapshotPriority
from priorities.snapshots import decide, take_snapshot

from .conftest import add_feedback

pytestmark = pytest.mark.django_db


def fill(areas, themes, items):
    names = list(themes)
    for index in range(items):
        area = list(areas.values())[index % len(areas)]
        add_feedback(area, [themes[names[index % len(names)]], themes[names[(index * 7) % 5]]],
                     people=3)


def test_public_pages_show_adopted_and_live_priorities(client, priorities_page, areas, themes,
                                                       officer):
    harlesden = areas["Harlesden"]
    for _n in range(6):
        add_feedback(harlesden, [themes["financial-hardship"]], people=10)
    add_feedback(harlesden, [themes["homelessness"]], people=2)
    snapshot = take_snapshot(harlesden, officer)
    first = snapshot.priorities.get(rank=1)
    decide(first, SnapshotPriority.ADOPTED, "Rents and bills outpace incomes.", officer)
    html = client.get("/priorities/harlesden/").content.decode()
    assert "Priorities for Harlesden" in html
    assert "Rents and bills outpace incomes." in html and "Adopted" in html
    # Homelessness has 1 item of 7: showing hardship's 6 would give it away, so neither shows.
    assert "6 items of community feedback." not in html
    assert html.count("The number of community feedback items is not shown, to protect "
                      "people&#x27;s privacy.") >= 2
    assert "Live ranking" in html and "<svg" in html and "<table" in html
    index = client.get("/priorities/").content.decode()
    assert "Financial hardship" in index and "Comparing neighbourhoods" in index
    assert 'href="/priorities/harlesden/"' in index
    method = client.get("/priorities/how-we-worked-this-out/").content.decode()
    assert "Share of attention" in method and "share-of-attention/1" in method
    assert client.get("/priorities/atlantis/").status_code == 404


def test_empty_neighbourhood_page_says_so(client, priorities_page):
    html = client.get("/priorities/wembley/").content.decode()
    assert "There is no evidence for this neighbourhood yet" in html
    assert "No priorities have been adopted for this neighbourhood yet." in html


def test_neighbourhood_page_section_links_to_priorities(client, priorities_page, areas, themes):
    add_feedback(areas["Kilburn"], [themes["mental-health"]])
    html = client.get("/neighbourhoods/kilburn/").content.decode()
    assert "Mental health" in html and 'href="/priorities/kilburn/"' in html


@pytest.mark.parametrize("path", ["/priorities/", "/priorities/harlesden/"])
def test_query_counts_do_not_grow_with_rows(client, priorities_page, areas, themes, officer,
                                            path, django_assert_max_num_queries):
    fill(areas, themes, 10)
    for area in areas.values():
        snapshot = take_snapshot(area, officer)
        for priority in snapshot.priorities.all()[:2]:
            decide(priority, SnapshotPriority.ADOPTED, "Evidence.", officer)
    cache.clear()
    # The cache is a database table here (as in production): its reads and writes count too.
    with django_assert_max_num_queries(80) as small:
        assert client.get(path).status_code == 200
    fill(areas, themes, 200)
    for area in areas.values():
        snapshot = take_snapshot(area, officer)
        for priority in snapshot.priorities.all():
            decide(priority, SnapshotPriority.SET_ASIDE, "Later.", officer)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries) - 5):
        client.get(path)  # the ranking is cached now
