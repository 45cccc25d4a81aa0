"""Coding services: the filters of the coding screen, coding one item and coding in bulk, the
audit of who coded what, and the write-back to community feedback."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from insight import coding
from insight.models import (
    CodingEvent,
    CodingMatrix,
    InsightItem,
    MatrixService,
    MatrixSubTheme,
)
from insight.sources import feedback_source, refresh
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from priorities.models import FeedbackItem

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 3)


def square(west):
    return {"type": "Polygon", "coordinates": [[[west, 51.53], [west + 0.01, 51.53],
                                                [west + 0.01, 51.54], [west, 51.53]]]}




def make_places():
    return {name: Neighbourhood.objects.create(name=name, slug=name.lower(), code=name[:4],
                                               boundary=square(-0.26 + n / 50))
            for n, name in enumerate(["Harlesden", "Kilburn"])}


def make_themes():
    return {slug: Theme.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
            for slug in ("health", "housing", "transport")}


def make_matrix(themes):
    """The current version, with a GP sub-theme under Health and a repairs service."""
    version = coding.current_matrix()
    MatrixSubTheme.objects.create(matrix=version, theme=themes["health"], key="gp",
                                  name="GP access")
    MatrixService.objects.create(matrix=version, key="repairs", name="Housing repairs")
    return version


@pytest.fixture
def places():
    return make_places()


@pytest.fixture
def themes():
    return make_themes()


@pytest.fixture
def matrix(themes):
    return make_matrix(themes)


def item(number, place=None, **fields):
    defaults = dict(origin=InsightItem.FEEDBACK, origin_id=number, text=f"Item {number}",
                    received_on=DAY, source=FeedbackItem.HEALTHWATCH)
    return InsightItem.objects.create(neighbourhood=place, **{**defaults, **fields})


def feedback(place, text="The GP phone line is always engaged."):
    origin = FeedbackItem.objects.create(source=FeedbackItem.HEALTHWATCH, received_on=DAY,
                                         neighbourhood=place, text=text)
    refresh(feedback_source, [origin.pk])
    return origin, InsightItem.objects.get(origin=InsightItem.FEEDBACK, origin_id=origin.pk)


def found(**params):
    return set(coding.filtered(params).values_list("origin_id", flat=True))


def test_each_filter_narrows_the_items(places, themes, matrix, officer):
    harlesden, kilburn = places["Harlesden"], places["Kilburn"]
    item(1, harlesden, text="Damp in the flat")
    coded = item(2, kilburn, text="Bus stop moved", coded_at=datetime.datetime(
        2026, 10, 4, tzinfo=datetime.UTC), source=FeedbackItem.WARD_SURGERY)
    coded.themes.add(themes["transport"])
    flagged = item(3, harlesden, safeguarding=True, received_on=DAY.replace(month=8))
    flagged.sub_themes.add(matrix.sub_themes.get())
    item(4, kilburn, origin=InsightItem.COMMENT, source="survey", language="cy",
         review_reason="May hold a phone number", received_on=DAY.replace(month=12))
    assert found() == {1, 2, 3, 4}
    assert found(status=coding.UNCODED) == {1, 3, 4} and found(status=coding.CODED) == {2}
    assert found(flag=coding.FLAGGED) == {3} and found(flag=coding.NEEDS_REVIEW) == {4}
    assert found(theme=themes["transport"].pk) == {2}
    assert found(sub_theme=matrix.sub_themes.get().pk) == {3}
    assert found(source=FeedbackItem.WARD_SURGERY) == {2} and found(source="survey") == {4}
    assert found(origin=InsightItem.COMMENT) == {4}
    assert found(neighbourhood=harlesden) == {1, 3}
    assert found(date_from=DAY) == {1, 2, 4} and found(date_to=DAY) == {1, 2, 3}
    assert found(date_from=DAY, date_to=DAY) == {1, 2}
    assert found(language="cy") == {4}
    assert found(q="DAMP") == {1}
    newest_first = list(coding.filtered({}).values_list("origin_id", flat=True))
    assert newest_first[0] == 4 and newest_first[-1] == 3


def test_a_sub_theme_filter_finds_items_coded_under_an_older_version(places, themes, matrix):
    old = matrix.sub_themes.get()
    newer = CodingMatrix.objects.create(number=matrix.number + 1)
    renamed = MatrixSubTheme.objects.create(matrix=newer, theme=old.theme, key=old.key,
                                            name="Getting a GP appointment")
    item(1).sub_themes.add(old)
    item(2).sub_themes.add(renamed)
    item(3)
    assert found(sub_theme=renamed.pk) == {1, 2}


def test_coding_an_item_records_it_and_writes_back_to_the_feedback(
        places, themes, matrix, officer, monkeypatch, django_capture_on_commit_callbacks):
    raised, saved = [], []
    monkeypatch.setattr(coding.safeguarding_alerts, "flag_raised",
                        lambda item, user, request=None: raised.append((item.pk, user)))
    monkeypatch.setattr(coding.suggestions, "coding_saved", lambda count=1: saved.append(count))
    origin, row = feedback(places["Harlesden"])
    gp, repairs = matrix.sub_themes.get(), matrix.services.get()
    with django_capture_on_commit_callbacks(execute=True):
        coding.code_item(row, theme_ids=[themes["housing"].pk], sub_theme_ids=[gp.pk],
                         sentiment=InsightItem.NEGATIVE, service_id=repairs.pk,
                         safeguarding=True, user=officer)
    row.refresh_from_db()
    assert {t.slug for t in row.themes.all()} == {"housing", "health"}  # the sub-theme's theme
    assert list(row.sub_themes.all()) == [gp] and row.service == repairs
    assert row.matrix == matrix and row.coded_by == officer and row.coded_at is not None
    assert row.sentiment == "negative" and row.safeguarding
    events = list(row.events.order_by("id"))
    assert [e.action for e in events] == [CodingEvent.CODED, CodingEvent.FLAGGED]
    assert events[0].user == officer and events[0].codes == {
        "themes": ["health", "housing"], "sub_themes": ["gp"], "sentiment": "negative",
        "service": "repairs", "safeguarding": True}
    origin.refresh_from_db()
    assert {t.slug for t in origin.themes.all()} == {"health", "housing"}
    assert origin.sentiment == "negative" and origin.safeguarding
    assert raised == [(row.pk, officer)] and saved == [1]
    with django_capture_on_commit_callbacks(execute=True):  # unflag: no new alert
        coding.code_item(row, theme_ids=[themes["housing"].pk], safeguarding=False,
                         user=officer, accepted_suggestion=True)
    assert raised == [(row.pk, officer)]
    assert [e.action for e in row.events.order_by("-id")[:2]] == [
        CodingEvent.UNFLAGGED, CodingEvent.SUGGESTION_ACCEPTED]
    origin.refresh_from_db()
    assert not origin.safeguarding and [t.slug for t in origin.themes.all()] == ["housing"]


def test_bad_codes_are_refused_and_change_nothing(places, themes, matrix, officer):
    _origin, row = feedback(places["Harlesden"])
    older = CodingMatrix.objects.create(number=matrix.number + 1)  # now the current version
    with pytest.raises(ValidationError, match="sub-themes of the current coding matrix"):
        coding.code_item(row, theme_ids=[], sub_theme_ids=[matrix.sub_themes.get().pk],
                         user=officer)
    with pytest.raises(ValidationError, match="Choose themes from the list"):
        coding.code_item(row, theme_ids=[999_999], user=officer)
    with pytest.raises(ValidationError, match="service of the current coding matrix"):
        coding.code_item(row, theme_ids=[], service_id=matrix.services.get().pk, user=officer)
    with pytest.raises(ValidationError, match="sentiment"):
        coding.code_item(row, theme_ids=[], sentiment="furious", user=officer)
    row.refresh_from_db()
    assert row.coded_at is None and not row.events.exists() and older.pk


def test_bulk_coding_adds_a_theme_with_one_event_per_item(places, themes, matrix, officer):
    pairs = [feedback(places["Kilburn"], f"Buses {n}") for n in range(3)]
    rows = [row for _origin, row in pairs]
    rows[0].review_reason = "May hold a name"
    rows[0].save()
    changed = coding.bulk_code(InsightItem.objects.filter(pk__in=[r.pk for r in rows]),
                               user=officer, add_theme_ids=[themes["transport"].pk],
                               sentiment=InsightItem.NEGATIVE)
    assert changed == 3
    assert CodingEvent.objects.filter(action=CodingEvent.BULK, user=officer).count() == 3
    for origin, row in pairs:
        row.refresh_from_db()
        origin.refresh_from_db()
        assert [t.slug for t in row.themes.all()] == ["transport"] and row.coded_by == officer
        assert [t.slug for t in origin.themes.all()] == ["transport"]
        assert row.sentiment == origin.sentiment == "negative"
    coding.bulk_code(InsightItem.objects.filter(pk=rows[0].pk), user=officer,
                     mark_reviewed=True)
    rows[0].refresh_from_db()
    assert rows[0].review_reason == "" and rows[0].events.count() == 2
    with pytest.raises(ValidationError):
        coding.bulk_code(rows, user=officer, add_theme_ids=[999_999])
    assert coding.bulk_code([], user=officer, mark_reviewed=True) == 0
