"""The deprivation layer on the demo borough's pages: the neighbourhood page, its priorities
page, and the plan's web page and PDF; and no layer where there is no need data."""

import xml.etree.ElementTree as ET

import pytest

from portal.deprivation.display import neighbourhood_layer
from portal.deprivation.models import NeighbourhoodNeed
from portal.deprivation.svg import deprivation_svg
from portal.neighbourhoods.models import Neighbourhood
from tests.conftest import clear_cache


@pytest.fixture(autouse=True)
def fresh_cache(request):
    clear_cache(request)
    yield
    clear_cache(request)


@pytest.fixture
def harlesden(demo_site):
    return Neighbourhood.objects.get(name="Harlesden")


def test_every_demo_neighbourhood_has_a_layer_that_draws(demo_site):
    for neighbourhood in Neighbourhood.objects.select_related("need"):
        layer = neighbourhood_layer(neighbourhood)
        assert layer is not None, neighbourhood.name
        features = layer["geojson"]["features"]
        assert len(features) == len(layer["table"]) > 5, neighbourhood.name
        assert 95 <= sum(row["share"] for row in layer["table"]) <= 105, neighbourhood.name
        ET.fromstring(deprivation_svg(layer))


def test_harlesden_page_shows_the_layer_and_its_table(client, harlesden):
    need = harlesden.need
    html = client.get("/neighbourhoods/harlesden/").content.decode()
    assert "Need: deprivation by area" in html
    assert 'id="deprivation-map-data"' in html
    assert "deprivation-map.js" in html
    area = need.areas[0]
    assert f"{area['name']} <span class=\"deprivation-table__code\">{area['code']}</span>" in html
    assert "English Indices of Deprivation 2019, MHCLG" in html


def test_neighbourhood_without_need_data_shows_no_layer(client, harlesden):
    NeighbourhoodNeed.objects.filter(neighbourhood=harlesden).delete()
    html = client.get("/neighbourhoods/harlesden/").content.decode()
    assert "Need: deprivation by area" not in html
    assert "deprivation-map" not in html


def test_neighbourhood_page_queries_do_not_grow_with_areas(client, harlesden,
                                                          django_assert_max_num_queries):
    client.get("/neighbourhoods/harlesden/")  # warm anything cached
    with django_assert_max_num_queries(60):
        client.get("/neighbourhoods/harlesden/")
    before = _query_count(client, "/neighbourhoods/harlesden/")
    need = harlesden.need
    need.areas = need.areas[:2]
    need.save()
    client.get("/neighbourhoods/harlesden/")  # a save moves the cached parts' version on
    assert _query_count(client, "/neighbourhoods/harlesden/") == before


def _query_count(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_priorities_page_shows_the_layer(client, harlesden):
    from priorities.models import PrioritiesPage

    home = harlesden.pages.first().get_site().root_page.specific
    page = PrioritiesPage(title="Neighbourhood priorities", slug="priorities")
    home.add_child(instance=page)
    page.save_revision().publish()
    html = client.get("/priorities/harlesden/").content.decode()
    assert "Need: deprivation by area" in html
    assert html.index("Need: deprivation by area") < html.index("Who took part")
    assert 'aria-label="Map of deprivation by area in Harlesden"' in html


@pytest.fixture
def plan(harlesden, demo_site):
    from plans.models import LocalityPlanIndexPage
    from portal.themes.models import Theme
    from priorities.models import PrioritySnapshot, SnapshotPriority
    from tests.plans.conftest import make_plan

    snapshot = PrioritySnapshot.objects.create(neighbourhood=harlesden, title="Spring ranking",
                                               method="test-1", totals={})
    SnapshotPriority.objects.create(snapshot=snapshot, theme=Theme.objects.get(slug="housing"),
                                    rank=1, score=0.4, decision=SnapshotPriority.ADOPTED)
    index = LocalityPlanIndexPage(title="Locality plans", slug="plans")
    demo_site.root_page.specific.add_child(instance=index)
    index.save_revision().publish()
    return make_plan(index, snapshot)


def test_plan_page_and_pdf_show_the_layer(client, plan, settings):
    from plans.pdfs import plan_pdf_html

    settings.PORTAL_REQUIRE_STAFF_MFA = False
    html = client.get(plan.url).content.decode()
    assert "Need: deprivation by area" in html and 'id="deprivation-map-data"' in html
    pdf_html = plan_pdf_html(plan)
    assert '<a href="#need">Need: deprivation by area</a>' in pdf_html
    assert '<h2 id="need">' in pdf_html and 'class="deprivation-svg"' in pdf_html
    assert "Deprivation of each area in Harlesden, most deprived first" in pdf_html
    plain = plan_pdf_html(plan, without_graphics=True)
    assert 'class="deprivation-svg"' not in plain and '<h2 id="need">' in plain


def test_plan_without_need_data_has_no_layer_or_contents_entry(plan, harlesden):
    from plans.pdfs import plan_pdf_html

    NeighbourhoodNeed.objects.filter(neighbourhood=harlesden).delete()
    plan.neighbourhood.refresh_from_db()
    pdf_html = plan_pdf_html(type(plan).objects.get(pk=plan.pk))
    assert "Need: deprivation by area" not in pdf_html
