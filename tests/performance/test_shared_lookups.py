"""What every page shares is looked up once: the menu and footer links (cached per site and
language, forgotten when they may change) and, within a request, locales, view restrictions
and site root paths (portal/request_memo.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_a_new_menu_page_appears_at_once(client, demo_site):
    from portal.pages.models import StandardPage

    assert "Community grants" not in client.get("/").content.decode()
    demo_site.root_page.add_child(instance=StandardPage(
        title="Community grants", slug="community-grants", show_in_menus=True))
    assert 'href="/community-grants/"' in client.get("/").content.decode()
    assert 'href="/cy/community-grants/"' in client.get("/cy/").content.decode()


def test_unpublishing_a_menu_page_takes_it_out_of_the_menu(client, demo_site):
    from portal.pages.models import StandardPage

    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    assert about.show_in_menus
    assert 'class="site-nav__link" href="/about/"' in client.get("/").content.decode()
    about.unpublish()
    assert 'class="site-nav__link" href="/about/"' not in client.get("/").content.decode()


def test_the_footer_follows_the_settings_and_a_renamed_statement_page(client, demo_site):
    from portal.pages.models import PortalSettings, StandardPage

    settings = PortalSettings.for_site(demo_site)
    statement = StandardPage.objects.get(pk=settings.accessibility_page_id)
    assert f'href="{statement.url}">Accessibility statement' in client.get("/").content.decode()
    statement.slug = "accessibility-statement"
    statement.save_revision().publish()
    html = client.get("/").content.decode()
    assert 'href="/accessibility-statement/">Accessibility statement' in html
    settings.accessibility_page = None
    settings.save()
    assert "Accessibility statement" not in client.get("/").content.decode()


def test_locales_and_view_restrictions_are_read_once_a_request(client, demo_site):
    client.get("/neighbourhoods/harlesden/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/neighbourhoods/harlesden/").status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum('FROM "wagtailcore_locale"' in statement for statement in sql) == 1, sql
    assert sum(statement.startswith('SELECT "wagtailcore_pageviewrestriction"') and
               "INNER JOIN" in statement for statement in sql) <= 1, sql


def test_a_private_section_stays_private_within_one_request(client, demo_site):
    from wagtail.models import PageViewRestriction

    from portal.pages.models import StandardPage

    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    PageViewRestriction.objects.create(page=about, restriction_type="login")
    response = client.get("/about/")
    assert response.status_code == 302  # to sign in
    search = client.get("/search/", {"q": about.title}).content.decode()
    assert 'href="/about/"' not in search.split('id="main-content"', 1)[1].split("</main>")[0]


def test_nothing_is_remembered_outside_a_request(demo_site):
    from wagtail.models import Locale

    with CaptureQueriesContext(connection) as queries:
        Locale.get_default()
        Locale.get_default()
    assert len(queries) == 2
