"""Progress updates through the officers' form appear in the monthly highlight report."""

from datetime import date

import pytest
from django.urls import reverse

from plans import services
from plans.models import ActionUpdate
from portal.errors import InputError


def test_an_update_entered_by_an_officer_appears_in_the_report(client, officer, plan):
    action = plan.actions.first()
    client.force_login(officer)
    url = reverse("plans_admin:updates", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "action": action.pk, "date": "2025-06-12", "status": "done",
        "note": "Clinic opened at Harlesden Library.", "next_steps": "Add an evening session.",
        "learning": "Warm hand-offs beat leaflets.", "help_needed": "A Somali interpreter.",
        "issue": ""})
    assert response.status_code == 302
    update = ActionUpdate.objects.get()
    assert update.created_by == officer
    client.logout()
    report = client.get(plan.url + "highlights/2025-06/")
    html = report.content.decode()
    assert report.status_code == 200
    for text in ("Highlight report, June 2025", "Key activities completed in June 2025",
                 "Clinic opened at Harlesden Library.", "Warm hand-offs beat leaflets.",
                 "A Somali interpreter.", "Key activities planned for July 2025",
                 "Learning to share", "Requests for help or support", "Issues and risks",
                 "Outcomes", "Households supported before crisis"):
        assert text in html, text
    assert officer.email not in html  # who entered it is not published
    assert "2025-06" in client.get(plan.url + "highlights/").content.decode()


def test_bad_update_gets_clear_errors_and_keeps_what_was_typed(client, officer, plan):
    client.force_login(officer)
    response = client.post(reverse("plans_admin:updates", args=[plan.pk]), {
        "action": "", "date": "2099-01-01", "status": "on_track", "note": "",
        "learning": "Keep this learning"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Choose the action this update is about." in errors["action"]
    assert "Say what happened this month." in errors["note"]
    assert "The date cannot be in the future." in errors["date"]
    assert "Keep this learning" in response.content.decode()
    assert not ActionUpdate.objects.exists()


@pytest.mark.parametrize("role, status", [("resident", 403), ("vcs_member", 403),
                                          ("officer", 200)])
def test_only_plan_editors_record_updates(client, request, plan, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("plans_admin:updates", args=[plan.pk]))
    assert response.status_code == status


def test_report_counts_status_at_month_end_and_lists_at_risk_issues(plan, officer):
    first, second = plan.actions.all()[:2]
    services.record_update(first, status="at_risk", note="Venue lost.", issue="No room.",
                           user=officer, on=date(2025, 5, 20))
    services.record_update(second, status="done", note="Finished.", user=officer,
                           on=date(2025, 6, 2))
    may = services.highlight_report(plan, 2025, 5)
    assert [u.note for u in may["issues"]] == ["Venue lost."]
    assert may["completed"] == []
    counts = dict((key, count) for key, _label, count in may["priorities"][0]["counts"])
    assert counts["at_risk"] == 1
    june = services.highlight_report(plan, 2025, 6)
    assert [u.note for u in june["completed"]] == ["Finished."]


def test_impossible_months_are_refused(client, plan):
    with pytest.raises(InputError):
        services.highlight_report(plan, 2025, 13)
    assert client.get(plan.url + "highlights/2099-01/").status_code == 404


def test_highlight_pdf(client, plan, officer):
    import io

    import pypdf

    services.record_update(plan.actions.first(), status="on_track", note="Thirty seen.",
                           user=officer, on=date(2025, 6, 3))
    response = client.get(plan.url + "highlights/2025-06/pdf/")
    reader = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Thirty seen." in text and "June 2025" in reader.metadata.title


def test_plan_page_queries_do_not_grow_with_actions(client, plan_index, snapshot,
                                                   django_assert_max_num_queries):
    from .conftest import make_plan

    small = make_plan(plan_index, snapshot, actions_per_priority=1, slug="small")
    big = make_plan(plan_index, snapshot, actions_per_priority=30, slug="big")
    for action in big.actions.all()[:20]:
        services.record_update(action, status="on_track", note="Going well.",
                               on=date(2025, 6, 1))
    client.get(small.url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(small.url).status_code == 200
    with django_assert_max_num_queries(len(small_queries) + 2):
        response = client.get(big.url)
    assert "Financial hardship action 30" in response.content.decode()
