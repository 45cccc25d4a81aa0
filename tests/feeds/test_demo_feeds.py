"""The feeds over the whole demo (`make run`'s data): every feed parses, in both languages."""

from __future__ import annotations

import feedparser

from portal import happenings
from portal.neighbourhoods.models import Neighbourhood

from .test_feeds import check_atom


def test_the_demo_feeds_parse_in_both_languages(full_demo, client):
    kinds = {item.kind for item in happenings.happenings(limit=None)}
    assert {happenings.SURVEY_OPENED, happenings.FORUM_ANNOUNCED,
            happenings.PLAN_PUBLISHED} <= kinds
    urls = ["/feeds/all.atom", "/cy/feeds/all.atom"] + [
        f"/feeds/neighbourhoods/{slug}.atom"
        for slug in Neighbourhood.objects.values_list("slug", flat=True)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        check_atom(response.content)
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.entries, url
        assert len({entry.id for entry in parsed.entries}) == len(parsed.entries)
    welsh = feedparser.parse(client.get("/cy/feeds/all.atom").content)
    assert any("/cy/" in entry.link for entry in welsh.entries)  # the Welsh forum pages
