"""Officers' admin: permissions as a role x action table, and bad input through the forms."""

import pytest
from django.core import mail
from django.urls import reverse

from priorities import services
from priorities.models import FeedbackItem, ScoringWeights, SnapshotPriority

from .conftest import add_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(areas, themes, officer):
    add_feedback(areas["Harlesden"], [themes["housing"]])
    return services.take_snapshot(areas["Harlesden"], officer)


ROLES = ["anonymous", "resident", "vcs_member", "councillor", "officer", "superuser"]
# action -> roles allowed
ALLOWED = {
    "view_ranking": {"councillor", "officer", "superuser"},
    "take_snapshot": {"officer", "superuser"},
    "adopt": {"officer", "superuser"},
    "edit_weights": {"officer", "superuser"},
    "add_feedback": {"officer", "superuser"},
    "trends": {"councillor", "officer", "superuser"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_permissions_table(role, action, request, client, snapshot, areas, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    harlesden = areas["Harlesden"]
    priority = snapshot.priorities.get()
    if action == "view_ranking":
        response = client.get(reverse("priorities_admin:neighbourhood", args=[harlesden.pk]))
    elif action == "take_snapshot":
        response = client.post(reverse("priorities_admin:take_snapshot", args=[harlesden.pk]))
    elif action == "adopt":
        response = client.post(
            reverse("priorities_admin:decide", args=[snapshot.pk, priority.pk]),
            {f"p{priority.pk}-decision": "adopted", f"p{priority.pk}-rationale": "Clear need."})
    elif action == "edit_weights":
        response = client.post(reverse("priorities_admin:weights", args=[harlesden.pk]),
                               {"surveys": "2", "forums": "1", "feedback": "1"})
    elif action == "add_feedback":
        response = client.get(reverse(FeedbackItem.snippet_viewset.get_url_name("add")))
    else:
        response = client.get(reverse("priorities_admin:trends"))
    allowed = role in ALLOWED[action]
    if allowed:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/login" not in response["Location"]
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "login" in response["Location"] or response["Location"].startswith("/admin")
    priority.refresh_from_db()
    if action == "adopt":
        assert priority.is_adopted is allowed
    if action == "edit_weights":
        assert ScoringWeights.objects.filter(neighbourhood=harlesden).exists() is allowed


@pytest.fixture
def officer_client(client, officer, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(officer)
    return client


@pytest.mark.parametrize("data, field, message", [
    ({"surveys": "-1", "forums": "1", "feedback": "1"}, "surveys",
     "Enter 0 or more: a weight cannot be negative."),
    ({"surveys": "0", "forums": "0", "feedback": "0"}, "surveys",
     "At least one weight must be more than zero, or nothing would count."),
    ({"surveys": "lots", "forums": "1", "feedback": "1"}, "surveys",
     "Enter the weight for Surveys as a number, for example 1 or 0.5."),
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
    from datetime import date

    add_feedback(areas["Harlesden"], [themes["housing"]], when=date(2026, 1, 5))
    add_feedback(areas["Harlesden"], [themes["housing"], themes["homelessness"]],
                 when=date(2026, 1, 20))
    add_feedback(areas["Kilburn"], [themes["housing"]], when=date(2026, 2, 2))
    report = services.feedback_trends("theme")
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


def test_population_import_command_dry_run_and_errors(tmp_path, areas):
    import io

    from django.core.management import CommandError, call_command

    from priorities.models import PopulationFigure

    path = tmp_path / "population.csv"
    path.write_text("neighbourhood,characteristic,category,people\nHarlesden,age,16_24,900\n"
                    "Atlantis,age,16_24,5\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_population", str(path), stdout=out)
    assert "Row 3: No neighbourhood has the name or code “Atlantis”." in out.getvalue()
    path.write_text("neighbourhood,characteristic,category,people\nHarlesden,age,16_24,900\n")
    call_command("import_population", str(path), "--dry-run", stdout=out)
    assert not PopulationFigure.objects.exists()
    call_command("import_population", str(path), stdout=out)
    assert PopulationFigure.objects.get().people == 900
