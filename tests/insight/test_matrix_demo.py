"""The demo's insight data: a matrix in two versions (one rename, one addition), the Healthwatch
import source with its mapping, about 200 more feedback items over a year, about 60% coded with
sub-themes under the version of their date, two safeguarding flags, and a second run that adds
nothing."""

import io
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from insight import demo_content
from insight.models import CodingEvent, CodingMatrix, ImportSource, InsightItem
from priorities.models import FeedbackItem
from tests.conftest import make_user
from tests.demo import quality

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo_site):
    make_user("demo-officer@example.org", "Officers")
    call_command("load_demo_priorities", stdout=io.StringIO())
    before = FeedbackItem.objects.count()
    started = time.perf_counter()
    out = io.StringIO()
    call_command("load_demo_insight", stdout=out)
    return {"before": before, "seconds": time.perf_counter() - started, "out": out.getvalue()}


def test_the_demo_matrix_has_two_versions(loaded):
    first, second = CodingMatrix.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.sub_themes.count() == 44 and first.services.count() >= 10
    renamed = second.sub_themes.get(key="talking-therapies-waits")
    assert renamed.name == "Waiting for talking therapies"
    assert first.sub_themes.get(key="talking-therapies-waits").name == "Talking therapies waits"
    assert second.sub_themes.filter(name="Phone queues at the surgery").exists()
    assert not first.sub_themes.filter(name="Phone queues at the surgery").exists()
    names = set(first.sub_themes.values_list("name", flat=True))
    assert {"GP appointments", "Damp and mould", "Street lighting"} <= names
    services = set(first.services.values_list("name", flat=True))
    assert {"Housing repairs", "Adult social care"} <= services
    assert "Healthwatch" in second.notes and second.created_at < timezone.now()


def test_the_import_source_has_a_saved_mapping(loaded):
    source = ImportSource.objects.get(name="Healthwatch Brent quarterly log")
    assert source.mapping["text"] == "Comment" and source.channel == "healthwatch"


def test_a_year_of_feedback_about_60_percent_coded(loaded):
    added = FeedbackItem.objects.count() - loaded["before"]
    assert added == 200
    today = timezone.localdate()
    items = InsightItem.objects.filter(origin=InsightItem.FEEDBACK)
    dates = list(items.values_list("received_on", flat=True))
    assert (today - min(dates)).days <= 366 and len({d.month for d in dates}) == 12
    assert items.values("neighbourhood").distinct().count() == 5
    assert items.values("source").distinct().count() >= 5
    new = items.filter(origin_id__in=FeedbackItem.objects.order_by("-pk").values("pk")[:200])
    coded = new.filter(coded_at__isnull=False).count()
    assert 100 <= coded <= 140
    with_sub_themes = new.filter(sub_themes__isnull=False).distinct().count()
    assert with_sub_themes == coded
    assert new.filter(service__isnull=False).exists()
    assert new.exclude(equality={}).exists()
    assert new.filter(sentiment=InsightItem.MIXED).exists()
    assert CodingEvent.objects.filter(item__in=new).count() == coded
    # The older items of the priorities demo are coded to sub-themes too where they fit.
    assert items.exclude(pk__in=new).filter(sub_themes__key="damp-and-mould").exists()


def test_items_are_coded_under_the_version_of_their_date(loaded):
    first, second = CodingMatrix.objects.order_by("number")
    changed_on = second.created_at.date()
    for item in InsightItem.objects.filter(matrix__isnull=False).prefetch_related("sub_themes"):
        assert item.matrix == (second if item.received_on >= changed_on else first)
        assert all(row.matrix_id == item.matrix_id for row in item.sub_themes.all())
    assert InsightItem.objects.filter(matrix=second,
                                      sub_themes__name="Phone queues at the surgery").exists()
    assert InsightItem.objects.filter(matrix=first).exists()


def test_two_safeguarding_flags_without_personal_details(loaded):
    flagged = InsightItem.objects.filter(safeguarding=True)
    assert flagged.count() == 2
    assert {item.text for item in flagged} == {text for *_, text in demo_content.SAFEGUARDING}


def test_the_words_read_like_residents_and_a_second_run_adds_nothing(loaded):
    problems = [(item.text, quality.placeholder_phrases(item.text) +
                 quality.bad_phone_numbers(item.text)) for item in InsightItem.objects.all()]
    assert [problem for problem in problems if problem[1]] == []
    assert not InsightItem.objects.filter(text__contains="{").exists()
    counts = (FeedbackItem.objects.count(), CodingMatrix.objects.count(),
              CodingEvent.objects.count(), InsightItem.objects.coded().count())
    call_command("load_demo_insight", stdout=io.StringIO())
    assert counts == (FeedbackItem.objects.count(), CodingMatrix.objects.count(),
                      CodingEvent.objects.count(), InsightItem.objects.coded().count())
    print(f"load_demo_insight took {loaded['seconds']:.2f} s")  # reported, not asserted
