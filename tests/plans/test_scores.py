"""One scale: a plan's page, its PDF, its chart and the priorities pages show a priority's
score as the same whole percentage of people, with its 95% interval and method; an old
(method v1) snapshot still renders, without an interval."""

import io
import re

import pypdf
import pytest

from plans import pdfs
from plans.charts import priorities_chart_svg
from plans.context import plan_data
from portal.themes.models import Theme
from priorities.models import PrioritiesPage, SnapshotPriority
from priorities.snapshots import decide, take_snapshot
from tests.priorities.conftest import add_feedback

from .conftest import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def priorities_page(demo_site):
    page = PrioritiesPage(title="Neighbourhood priorities", slug="priorities")
    demo_site.root_page.specific.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def people_plan(plan_index, harlesden, officer, priorities_page):
    """90 people behind financial hardship and 60 behind homelessness, both adopted."""
    for slug, items in (("financial-hardship", 9), ("homelessness", 6)):
        for _n in range(items):
            add_feedback(harlesden, [Theme.objects.get(slug=slug)], people=10)
    snapshot = take_snapshot(harlesden, officer)
    for priority in snapshot.priorities.all():
        decide(priority, SnapshotPriority.ADOPTED, "Residents told us.", officer)
    return make_plan(plan_index, snapshot)


def words(html):
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def pdf_text(client, plan):
    response = client.get(plan.url + "pdf/")
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_plan_page_pdf_and_priorities_page_show_the_same_percentage(client, people_plan):
    priority = people_plan.snapshot.priorities.get(theme__slug="financial-hardship")
    low, high = round(100 * priority.interval_low), round(100 * priority.interval_high)
    assert round(100 * priority.score) == 60 and low < 60 < high
    interval = f"{low}% to {high}%"

    neighbourhood = words(client.get("/priorities/harlesden/").content.decode())
    assert f"Score when decided: 60% of people (95% interval {interval})." in neighbourhood
    assert f"Financial hardship 60% of people (95% interval {interval})" in neighbourhood

    page = client.get(people_plan.url).content.decode()
    assert re.search(rf"Financial hardship</a></th>\s*<td[^>]*>60%</td>\s*<td[^>]*>{interval}"
                     r"</td>", page)
    assert "Method: share of people, version 2." in words(page)
    assert "A dash means" not in page
    assert "/priorities/how-we-worked-this-out/" in page

    html = pdfs.plan_pdf_html(people_plan)
    assert re.search(rf"Financial hardship</th>\s*<td[^>]*>60%</td>\s*<td[^>]*>{interval}"
                     r"</td>", html)
    text = pdf_text(client, people_plan)
    assert "60%" in text and interval in text and "40%" in text
    assert "Method: share of people, version 2." in text
    assert not re.search(r"\b0\.\d\d\b", text)

    chart = plan_data(people_plan)["chart_svg"]
    assert ">60%</text>" in chart and ">40%</text>" in chart
    assert not re.search(r">\d\.\d+</text>", chart)


def test_a_v1_snapshot_shows_percentages_and_names_its_method(client, plan):
    """The shared fixture's snapshot: scores 1, 1/2, 1/3 under an older method."""
    snapshot = plan.snapshot
    snapshot.method = "share-of-attention/1"
    snapshot.save()
    page = client.get(plan.url).content.decode()
    assert re.search(r"Homelessness</a></th>\s*<td[^>]*>50%</td>\s*<td[^>]*>–</td>", page)
    assert re.search(r"Financial hardship</a></th>\s*<td[^>]*>100%</td>", page)
    assert "Method: share of attention, version 1." in words(page)
    assert "A dash means the method used has no 95% interval." in words(page)
    assert "0.50" not in page and "0.33" not in page
    html = pdfs.plan_pdf_html(plan)
    assert re.search(r"Homelessness</th>\s*<td[^>]*>50%</td>\s*<td[^>]*>–</td>", html)


def test_chart_labels_hidden_scores_in_words():
    items = [{"number": 1, "theme": "Housing", "score": 0.41, "percent": 41},
             {"number": 2, "theme": "Safety", "score": None,
              "score_text": "not shown to protect privacy"}]
    svg = priorities_chart_svg(items)
    assert ">41%</text>" in svg and ">not shown to protect privacy</text>" in svg
