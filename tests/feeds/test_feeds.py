"""The Atom feeds, read as a feed reader reads them (feedparser) and checked element by element
against the Atom format (RFC 4287): the whole site's, each neighbourhood's, in Welsh, with
cache headers; linked from the pages residents read."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import feedparser
import pytest
from wagtail import hooks

from portal.extension_points import HAPPENINGS

ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    return response


def check_atom(content: bytes) -> ET.Element:
    """The elements RFC 4287 requires: the feed's id, title, updated, author (here or in every
    entry) and self link; each entry's id, title, updated and link."""
    root = ET.fromstring(content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), name
    assert root.find(f"{ATOM}author/{ATOM}name").text.strip()
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    assert root.findtext(f"{ATOM}id").startswith("tag:")
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert entry.findtext(f"{ATOM}id").startswith("tag:")
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
    return root


def test_the_site_feed_is_valid_atom_with_every_kind(world, client):
    response = fetch(client, "/feeds/all.atom")
    check_atom(response.content)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title.startswith("What's new")
    assert parsed.feed.author
    assert any(link.rel == "self" and link.href.endswith("/feeds/all.atom")
               for link in parsed.feed.links)
    titles = [entry.title for entry in parsed.entries]
    assert len(titles) == len(set(entry.id for entry in parsed.entries)) >= 10
    for expected in ("Survey open: Harlesden parks survey",
                     "Results published: Borough budget survey",
                     "You said, we did: Borough budget survey",
                     "Forum announced: Harlesden forum", "Forum changed: Harlesden forum",
                     "Plan published: Harlesden neighbourhood plan",
                     "Plan updated: Harlesden neighbourhood plan"):
        assert expected in titles
    assert any(title.startswith("Highlight report: Harlesden neighbourhood plan")
               for title in titles)
    assert not any("Secret draft" in title or "Private staff" in title for title in titles)
    budget = next(entry for entry in parsed.entries
                  if entry.title == "You said, we did: Borough budget survey")
    assert budget.summary == "We kept the libraries open."
    assert all(entry.updated_parsed for entry in parsed.entries)


def test_entry_ids_do_not_change_between_requests(world, client):
    first = feedparser.parse(fetch(client, "/feeds/all.atom").content)
    again = feedparser.parse(fetch(client, "/feeds/all.atom").content)
    assert [entry.id for entry in first.entries] == [entry.id for entry in again.entries]


def test_a_neighbourhood_feed_has_its_own_and_the_whole_areas(world, client):
    response = fetch(client, f"/feeds/neighbourhoods/{world.harlesden.slug}.atom")
    root = check_atom(response.content)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert "Harlesden" in parsed.feed.title
    assert parsed.feed.link.endswith("/harlesden/")  # the neighbourhood's page
    titles = {entry.title for entry in parsed.entries}
    assert "Survey open: Harlesden parks survey" in titles
    assert "Results published: Borough budget survey" in titles  # the whole area's
    assert not any("Kilburn" in title for title in titles)
    kilburn = feedparser.parse(fetch(client, f"/feeds/neighbourhoods/{world.kilburn.slug}.atom")
                               .content)
    assert {entry.title for entry in kilburn.entries} >= {"Survey open: Kilburn streets survey"}
    assert not any("Harlesden" in entry.title for entry in kilburn.entries)
    assert kilburn.feed.id != root.findtext(f"{ATOM}id")


@pytest.mark.parametrize("slug", ["atlantis", "harlesden-", "a" * 300, "..%2F..%2Fetc",
                                  "harlesden%00", "%3Cscript%3E"])
def test_an_unknown_neighbourhood_is_not_found(demo_site, client, slug):
    assert client.get(f"/feeds/neighbourhoods/{slug}.atom").status_code == 404


def test_an_empty_site_still_has_a_valid_feed(demo_site, client):
    response = fetch(client, "/feeds/all.atom")
    check_atom(response.content)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and parsed.entries == []


def test_feeds_can_be_cached_and_answer_conditional_requests(world, client):
    response = fetch(client, "/feeds/all.atom")
    assert "public" in response["Cache-Control"] and "max-age=900" in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]
    again = client.get("/feeds/all.atom", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_failing_provider_leaves_the_feed_answering(world, client, caplog):
    def broken(*, since=None):
        raise RuntimeError("plans are on fire")

    with caplog.at_level(logging.ERROR, logger="portal.happenings"), \
            hooks.register_temporarily(HAPPENINGS, broken):
        response = fetch(client, "/feeds/all.atom")
    assert len(feedparser.parse(response.content).entries) >= 10
    assert "plans are on fire" in caplog.text


def test_the_welsh_feed_is_in_welsh_with_english_only_items_kept(world, client):
    response = fetch(client, "/cy/feeds/all.atom")
    root = check_atom(response.content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "cy"
    parsed = feedparser.parse(response.content)
    assert any("Harlesden parks survey" in entry.title for entry in parsed.entries)
    assert any(link.href.endswith("/cy/feeds/all.atom") for link in parsed.feed.links)


def test_pages_link_to_their_feeds(world, client):
    home = client.get("/").content.decode()
    assert ('<link rel="alternate" type="application/atom+xml" href="/feeds/all.atom"'
            in home)
    assert "Follow with a feed reader" in home
    page = client.get(f"/neighbourhoods/{world.harlesden.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    feed_url = f"/feeds/neighbourhoods/{world.harlesden.slug}.atom"
    assert f'type="application/atom+xml" href="{feed_url}"' in html
    assert f'<a href="{feed_url}" type="application/atom+xml">Follow with a feed reader' in html
