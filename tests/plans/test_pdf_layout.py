"""The printed plans read well (issue 17): no page after the first is nearly empty, and the
map's key tells every place apart, with numbers that match the map. Rendered from the demo
plans (the asset map's demo has two places called "Harlesden Advice Drop-in")."""

import io
import os
import re

import pypdf
import pytest
from django.core.management import call_command
from django.utils import translation

from plans.catalogues import describe_markers
from plans.context import plan_data
from plans.highlights import highlight_months
from plans.models import LocalityPlanPage
from plans.pdfs import pdf_title, plan_pdf_html
from portal.extension_points import venues
from portal.pdf import render_pdf

# A page with fewer lines of text than this (its footer included) is "nearly empty": the old
# page 4 of the Harlesden plan had 5, a page of the actions table has about 60.
NEARLY_EMPTY = 12


@pytest.fixture
def demo_plans(demo_site, officer):
    quiet = open(os.devnull, "w")
    call_command("load_demo_assets", stdout=quiet)
    call_command("load_demo_plans", stdout=quiet)
    return [page.specific for page in LocalityPlanPage.objects.order_by("pk")]


def page_lines(content: bytes) -> list[int]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [len([line for line in page.extract_text().splitlines() if line.strip()])
            for page in reader.pages]


def test_no_page_after_the_first_is_nearly_empty(demo_plans):
    rendered = 0
    for plan in demo_plans:
        language = plan.locale.language_code
        kinds = ["plan"] + [f"highlights-{month:%Y-%m}" for month in highlight_months(plan)]
        for kind in kinds:
            with translation.override(language):
                content = render_pdf(plan_pdf_html(plan, kind, language),
                                     title=pdf_title(plan, kind), language=language)
            lines = page_lines(content)
            # The last page ends where the text ends; every page between must be well used.
            middle = lines[1:-1]
            assert all(count >= NEARLY_EMPTY for count in middle), (plan.slug, kind, lines)
            rendered += 1
    assert rendered >= 4  # both demo plans, and Harlesden's two months of reports


def test_the_map_key_tells_every_place_apart_and_matches_the_map(demo_plans):
    harlesden = next(plan for plan in demo_plans if plan.slug == "harlesden-plan")
    # Two places with one name (as the demo had two "Harlesden Advice Drop-in"), copied into
    # the actions before copies kept the address: the key finds it in the catalogue.
    first, second = [venues.find(key) for key, _label in venues.choices()[:2]]
    actions = list(harlesden.actions.order_by("sort_order", "pk"))
    for action, venue in zip(actions, (first, second), strict=False):
        action.venues = [{"key": venue.key, "name": "Harlesden Advice Drop-in",
                          "postcode": "", "latitude": venue.latitude,
                          "longitude": venue.longitude, "url": venue.url, "is_hub": False}]
        action.save()
    data = plan_data(harlesden)
    markers = data["markers"]
    assert [m["name"] for m in markers].count("Harlesden Advice Drop-in") >= 2
    entries = [f'{marker["name"]}, {marker["detail"]}' for marker in markers]
    assert len(set(entries)) == len(entries), entries
    if first.address != second.address:
        assert f"Harlesden Advice Drop-in, {second.address}" in entries
    assert [marker["number"] for marker in markers] == list(range(1, len(markers) + 1))
    numbers_on_map = re.findall(r'font-weight="bold" fill="#ffffff">(\d+)</text>',
                                data["map_svg"])
    assert sorted(map(int, numbers_on_map)) == [marker["number"] for marker in markers]
    html = plan_pdf_html(harlesden)
    for marker in markers:
        assert f'<li value="{marker["number"]}"><strong>{marker["name"]}</strong>' in html


def test_places_with_the_same_name_and_no_address_are_told_apart_by_number():
    markers = describe_markers([
        {"key": "a", "name": "Drop-in", "postcode": "", "address": "", "number": 1},
        {"key": "b", "name": "Drop-in ", "postcode": "", "address": "", "number": 2},
        {"key": "c", "name": "Library", "postcode": "NW10 8SE", "number": 3},
    ])
    assert [marker["detail"] for marker in markers] == [
        "number 1 on the map", "number 2 on the map", "NW10 8SE"]
