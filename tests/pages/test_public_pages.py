"""The public pages through Django's test client: content, postcode finder, search, errors."""

import json

import pytest
from django.urls import reverse

from portal.neighbourhoods.models import Neighbourhood, Postcode
from portal.pages.models import NeighbourhoodPage

pytestmark = pytest.mark.django_db


def test_home_page_lists_every_neighbourhood_with_map_data(client, demo_site):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ["Harlesden", "Kilburn", "Willesden", "Wembley", "Kingsbury and Kenton"]:
        assert f">{name}</a>" in html
    assert 'id="home-map-data"' in html
    assert "There are no open surveys or upcoming forums right now" in html
    map_data = response.context["map_data"]
    assert len(map_data["features"]) == 5
    assert {f["properties"]["url"] for f in map_data["features"]} >= {"/neighbourhoods/harlesden/"}


def test_home_page_query_count_does_not_grow_with_neighbourhoods(
    client, demo_site, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        client.get("/")
    index = NeighbourhoodPage.objects.first().get_parent()
    square = {"type": "Polygon", "coordinates": [[[-1.6, 54.9], [-1.59, 54.9], [-1.59, 54.91],
                                                  [-1.6, 54.91], [-1.6, 54.9]]]}
    for number in range(5):
        shifted = json.loads(json.dumps(square).replace("54.9", f"54.{90 + number}"))
        neighbourhood = Neighbourhood.objects.create(
            name=f"Extra {number}", code=f"EXTRA{number}", boundary=shifted)
        index.add_child(instance=NeighbourhoodPage(
            title=f"Extra {number}", slug=f"extra-{number}", neighbourhood=neighbourhood))
    with django_assert_max_num_queries(len(five.captured_queries)):
        response = client.get("/")
    assert len(response.context["neighbourhood_pages"]) == 10


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter a postcode"),
        ("xx", "“xx” is not a postcode"),
        ("1234567", "“1234567” is not a postcode"),
        ("SW1A 1AA", "SW1A 1AA is not in our area"),
        ("NW10 9ZZ", "could not find the postcode NW10 9ZZ"),
        ("NE8 4LN", "NE8 4LN is not in our area"),
    ],
)
def test_postcode_finder_errors_are_specific(client, demo_site, typed, message):
    Postcode.objects.create(postcode="NE8 4LN", latitude=54.9527, longitude=-1.6034)
    response = client.get("/neighbourhoods/", {"postcode": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert response.context["postcode_lookup"].error_code


@pytest.mark.parametrize("typed", ["NW10 8SE", "nw108se", "  Nw10  8sE "])
def test_postcode_finder_redirects_to_the_neighbourhood(client, demo_site, typed):
    response = client.get("/neighbourhoods/", {"postcode": typed})
    assert response.status_code == 302
    assert response["Location"] == "/neighbourhoods/harlesden/"


def test_neighbourhood_page_shows_facts_and_boundary(client, demo_site):
    response = client.get("/neighbourhoods/harlesden/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "50,523" in html and "19 of 26" in html
    feature = response.context["map_data"]["features"][0]
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert 'aria-current="page">Harlesden</li>' in html.replace("\n", "")


def test_footer_links_to_accessibility_statement_and_privacy_notice(client, demo_site):
    html = client.get("/").content.decode()
    assert 'href="/accessibility/"' in html
    assert 'href="/privacy/"' in html
    assert client.get("/accessibility/").status_code == 200
    assert "Enforcement procedure" in client.get("/accessibility/").content.decode()


def test_search_finds_pages_and_paginates_safely(client, demo_site):
    response = client.get(reverse("search"), {"q": "Harlesden"})
    assert response.status_code == 200
    titles = [result.title for result in response.context["results"]]
    assert "Harlesden" in titles
    assert client.get(reverse("search"), {"q": "Harlesden", "page": "999"}).status_code == 200
    assert client.get(reverse("search"), {"q": "Harlesden", "page": "abc"}).status_code == 200
    empty = client.get(reverse("search"), {"q": "zzzqqq"})
    assert "Nothing matched" in empty.content.decode()
    assert client.get(reverse("search"), {"q": "x" * 5000}).status_code == 200


def test_unknown_page_gets_the_portal_404(client, demo_site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_public_pages_send_a_strict_content_security_policy(client, demo_site):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_plumbing_endpoints(client, demo_site):
    assert client.get("/healthz").json()["status"] == "ok"
    assert "Disallow: /admin/" in client.get("/robots.txt").content.decode()
    assert b"/neighbourhoods/harlesden/" in client.get("/sitemap.xml").content
    assert client.get("/favicon.ico").status_code == 301
    css = client.get("/brand.css").content.decode()
    assert "--brand: #1d4f7c" in css


def test_welsh_interface_keeps_its_language_while_browsing(client, demo_site):
    response = client.get("/cy/")
    html = response.content.decode()
    assert '<html lang="cy" dir="ltr">' in html
    assert 'href="/cy/neighbourhoods/"' in html
    assert client.get("/cy/neighbourhoods/harlesden/").status_code == 200
    redirect = client.get("/cy/neighbourhoods/", {"postcode": "NW10 8SE"})
    assert redirect["Location"] == "/cy/neighbourhoods/harlesden/"


def test_a_page_not_yet_translated_is_served_in_its_own_language_under_the_welsh_address(
        client, demo_site):
    from portal.pages.models import StandardPage

    home = demo_site.root_page
    home.add_child(instance=StandardPage(title="Community grants", slug="community-grants",
                                         introduction="How to apply for a small grant.",
                                         show_in_menus=True))
    response = client.get("/cy/community-grants/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="cy" dir="ltr">' in html
    # The English content is marked as English, and the reader is told why.
    assert '<main id="main-content" class="main" tabindex="-1" lang="en">' in html
    assert "How to apply for a small grant." in html
    assert 'class="notification-banner" role="note" lang="cy"' in html
    # The Welsh menu lists it at its Welsh address, after the translated pages.
    menu = client.get("/cy/").content.decode()
    assert 'href="/cy/community-grants/"' in menu
    assert 'href="/cy/about/"' in menu
    # A translated page has no notice; an address that exists in no language is still a 404.
    about = client.get("/cy/about/").content.decode()
    assert "notification-banner\" role=\"note\"" not in about
    assert client.get("/cy/no-such-page/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404
    # English pages are unaffected.
    english = client.get("/community-grants/").content.decode()
    assert 'lang="en">' not in english.split("<main", 1)[1][:80]
