"""Officers' admin: bad input through the forms, intake, snapshots, trends, query counts.

Who may use each page is in test_rules.py."""

from datetime import date

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from priorities.feedback import feedback_trends
from priorities.models import FeedbackItem, PrioritySnapshot, ScoringWeights, SnapshotPriority
from priorities.ranking import STORE_KEY
from priorities.snapshots import decide, take_snapshot
from priorities.tasks import refresh_now

from .conftest import add_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(areas, themes, officer):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    return take_snapshot(areas["Harlesden"], officer)


@pytest.fixture
def officer_client(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    return client


@pytest.mark.parametrize("data, field, message", [
    ({"surveys": "-1", "forums": "1", "feedback": "1"}, "surveys",
     "Enter 0 or more: a multiplier cannot be negative."),
    ({"surveys": "0", "forums": "0", "feedback": "0"}, "surveys",
     "At least one multiplier must be more than zero, or nothing would count."),
    ({"surveys": "lots", "forums": "1", "feedback": "1"}, "surveys",
     "Enter the multiplier for Surveys as a number, for example 1 or 0.5."),
])
def test_bad_weights_get_clear_errors_and_keep_what_was_typed(officer_client, areas, data,
                                                              field, message):
    harlesden = areas["Harlesden"]
    ScoringWeights.objects.create(neighbourhood=harlesden, surveys=3, forums=1, feedback=1)
    response = officer_client.post(reverse("priorities_admin:weights", args=[harlesden.pk]),
                                   data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert f'href="#id_{field}"' in response.content.decode()
    assert f'value="{data[field]}"' in response.content.decode()
    assert ScoringWeights.objects.get(neighbourhood=harlesden).surveys == 3


def test_feedback_without_neighbourhood_or_theme_is_refused_with_text_kept(officer_client,
                                                                           settings):
    url = reverse(FeedbackItem.snippet_viewset.get_url_name("add"))
    response = officer_client.post(url, {
        "source": "ward_surgery", "received_on": "2026-03-01", "text": "Damp in the flats.",
        "sentiment": "negative", "people_count": "2"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["neighbourhood"] == ["Choose the neighbourhood this feedback is about."]
    assert errors["themes"] == ["Choose at least one theme, so this feedback counts as "
                                "evidence."]
    assert "Damp in the flats." in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_feedback_intake_records_officer_and_flags_safeguarding(
        officer_client, officer, areas, themes, settings, django_capture_on_commit_callbacks):
    settings.PRIORITIES_SAFEGUARDING_EMAIL = "safeguarding@example.org"
    url = reverse(FeedbackItem.snippet_viewset.get_url_name("add"))
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url, {
            "source": "outreach", "received_on": "2026-03-01", "text": "A child seems unsafe.",
            "neighbourhood": areas["Kilburn"].pk,
            "themes": [themes["children-young-people"].pk],
            "sentiment": "negative", "people_count": "1", "safeguarding": "on"})
    assert response.status_code == 302
    item = FeedbackItem.objects.get()
    assert item.created_by == officer and item.safeguarding
    assert [m.to for m in mail.outbox] == [["safeguarding@example.org"]]
    assert "A child seems unsafe." not in mail.outbox[0].body
    # Saving again while still flagged sends nothing new.
    edit = reverse(FeedbackItem.snippet_viewset.get_url_name("edit"), args=[item.pk])
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(edit, {
            "source": "outreach", "received_on": "2026-03-01", "text": "A child seems unsafe.",
            "neighbourhood": areas["Kilburn"].pk,
            "themes": [themes["children-young-people"].pk],
            "sentiment": "negative", "people_count": "1", "safeguarding": "on"})
    assert len(mail.outbox) == 1
    listing = officer_client.get(reverse(FeedbackItem.snippet_viewset.get_url_name("list")),
                                 {"q": "unsafe", "neighbourhood": areas["Kilburn"].pk})
    assert listing.status_code == 200 and "Kilburn" in listing.content.decode()


def test_adopting_without_rationale_keeps_the_choice_and_shows_the_error(officer_client,
                                                                         snapshot):
    priority = snapshot.priorities.get()
    url = reverse("priorities_admin:decide", args=[snapshot.pk, priority.pk])
    response = officer_client.post(url, {f"p{priority.pk}-decision": "adopted",
                                         f"p{priority.pk}-rationale": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the reason for adopting this priority." in html
    assert f'href="#id_p{priority.pk}-rationale"' in html
    assert 'value="adopted" checked' in html or 'checked value="adopted"' in html or (
        'value="adopted"' in html and "checked" in html)
    priority.refresh_from_db()
    assert priority.decision == SnapshotPriority.PENDING
    response = officer_client.post(url, {f"p{priority.pk}-rationale": "Because."})
    assert "Choose whether to adopt this priority or set it aside." in response.content.decode()


def test_officer_takes_empty_snapshot_and_sees_it_clearly(officer_client, areas):
    response = officer_client.post(
        reverse("priorities_admin:take_snapshot", args=[areas["Wembley"].pk]), follow=True)
    html = response.content.decode()
    assert "This snapshot is empty" in html and "no evidence for Wembley yet" in html


def test_trend_report_counts_by_month_and_theme(officer_client, areas, themes):
    add_feedback(areas["Harlesden"], [themes["housing"]], when=date(2026, 1, 5))
    add_feedback(areas["Harlesden"], [themes["housing"], themes["homelessness"]],
                 when=date(2026, 1, 20))
    add_feedback(areas["Kilburn"], [themes["housing"]], when=date(2026, 2, 2))
    report = feedback_trends("theme")
    assert report["categories"] == ["Homelessness", "Housing"]
    assert [(r["month"].month, r["cells"]) for r in report["rows"]] == [(1, [1, 2]), (2, [0, 1])]
    response = officer_client.get(reverse("priorities_admin:trends"),
                                  {"group_by": "neighbourhood", "since": "2026-02-01"})
    assert response.status_code == 200
    assert response.context["report"]["categories"] == ["Kilburn"]
    assert "<svg" in response.content.decode()
    bad = officer_client.get(reverse("priorities_admin:trends"),
                             {"since": "2026-03-01", "until": "2026-01-01"})
    assert "The end date must be on or after the start date." in bad.content.decode()


# Admin query counts ------------------------------------------------------------------------


def _fill(areas, themes, officer, neighbourhoods, items):
    names = list(themes)
    for index in range(items):
        area = neighbourhoods[index % len(neighbourhoods)]
        add_feedback(area, [themes[names[index % len(names)]],
                            themes[names[(index * 7) % len(names)]]],
                     people=3, when=date(2025, 1 + index % 12, 1),
                     source=["ward_surgery", "healthwatch", "outreach"][index % 3])
    for area in neighbourhoods:
        snapshot = take_snapshot(area, officer)
        for priority in snapshot.priorities.all():
            decide(priority, SnapshotPriority.ADOPTED, "Evidence.", officer)


def _urls(areas):
    snapshot = PrioritySnapshot.objects.filter(neighbourhood=areas["Harlesden"]).latest("pk")
    return {"overview": reverse("priorities_admin:overview"),
            "neighbourhood": reverse("priorities_admin:neighbourhood",
                                     args=[areas["Harlesden"].pk]),
            "snapshot": reverse("priorities_admin:snapshot", args=[snapshot.pk]),
            "trends": reverse("priorities_admin:trends") + "?group_by=theme",
            "trends_area": reverse("priorities_admin:trends") + "?group_by=neighbourhood"}


@pytest.mark.parametrize("page", ["overview", "neighbourhood", "snapshot", "trends",
                                  "trends_area"])
def test_admin_query_counts_do_not_grow_with_rows(officer_client, areas, themes, officer,
                                                  page, django_assert_max_num_queries):
    every = sorted(areas.values(), key=lambda n: n.name)
    _fill(areas, themes, officer, every[:3], 6)
    cache.clear()
    refresh_now()  # the task worker's part: pages never compute the ranking
    cache.delete(STORE_KEY)  # a cold cache: the page reads the stored run
    url = _urls(areas)[page]
    with django_assert_max_num_queries(80) as small:
        assert officer_client.get(url).status_code == 200
    _fill(areas, themes, officer, every, 150)
    cache.clear()
    refresh_now()  # the task worker's part: pages never compute the ranking
    cache.delete(STORE_KEY)  # a cold cache: the page reads the stored run
    url = _urls(areas)[page]
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = officer_client.get(url)
    assert response.status_code == 200
