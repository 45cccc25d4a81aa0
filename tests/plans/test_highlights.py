"""Progress updates through the officers' form appear in the monthly highlight report, which
exists only for the plan's report months; the plan and report pages' query counts do not grow
with the plan."""

import io
from datetime import date

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import highlights
from plans.models import ActionUpdate, PlanPdf
from portal.errors import InputError
from portal.neighbourhoods import content_cache

from .conftest import make_plan, record_update


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


def test_report_counts_status_at_month_end_and_lists_at_risk_issues(plan, officer):
    first, second = plan.actions.order_by("pk")[:2]
    record_update(first, status="at_risk", note="Venue lost.", issue="No room.",
                           user=officer, on=date(2025, 5, 20))
    record_update(second, status="done", note="Finished.", user=officer,
                           on=date(2025, 6, 2))
    may = highlights.highlight_report(plan, 2025, 5)
    assert [u.note for u in may["issues"]] == ["Venue lost."]
    assert may["completed"] == []
    # The priority whose actions include the one at risk (the order of priorities is the
    # plan's, not the order the actions were created in).
    entry = next(entry for entry in may["priorities"]
                 if any(row["action"].pk == first.pk for row in entry["item"]["actions"]))
    counts = dict((key, count) for key, _label, count in entry["counts"])
    assert counts["at_risk"] == 1
    june = highlights.highlight_report(plan, 2025, 6)
    assert [u.note for u in june["completed"]] == ["Finished."]


def test_impossible_months_are_refused(client, plan):
    with pytest.raises(InputError):
        highlights.highlight_report(plan, 2025, 13)
    assert client.get(plan.url + "highlights/2099-01/").status_code == 404


def test_highlight_pdf(client, plan, officer):
    record_update(plan.actions.first(), status="on_track", note="Thirty seen.",
                           user=officer, on=date(2025, 6, 3))
    response = client.get(plan.url + "highlights/2025-06/pdf/")
    reader = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Thirty seen." in text and "June 2025" in reader.metadata.title


def test_plan_page_queries_do_not_grow_with_actions(client, plan_index, snapshot,
                                                   django_assert_max_num_queries):
    small = make_plan(plan_index, snapshot, actions_per_priority=1, slug="small")
    big = make_plan(plan_index, snapshot, actions_per_priority=30, slug="big")
    for action in big.actions.all()[:20]:
        record_update(action, status="on_track", note="Going well.",
                               on=date(2025, 6, 1))
    client.get(small.url)
    client.get(big.url)
    content_cache.content_changed()  # the plan's data is worked out again for each
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(small.url).status_code == 200
    content_cache.content_changed()
    with django_assert_max_num_queries(len(small_queries) + 2):
        response = client.get(big.url)
    assert "Financial hardship action 30" in response.content.decode()


# --- only the plan's report months ----------------------------------------------------------


def test_months_without_updates_have_no_report_and_queue_no_pdf(client, plan, officer):
    record_update(plan.actions.first(), status="on_track", note="Thirty seen.",
                  user=officer, on=date(2025, 6, 3))
    for month in ("2000-01", "2025-05", "2025-07"):
        assert client.get(f"{plan.url}highlights/{month}/").status_code == 404, month
        assert client.get(f"{plan.url}highlights/{month}/pdf/").status_code == 404, month
    assert not PlanPdf.objects.exists()
    assert client.get(f"{plan.url}highlights/2025-06/").status_code == 200
    assert client.get(f"{plan.url}highlights/2025-06/pdf/").status_code == 200
    assert list(PlanPdf.objects.values_list("kind", flat=True)) == ["highlights-2025-06"]


def test_report_month_check_is_a_service(plan, officer):
    with pytest.raises(InputError) as caught:
        highlights.check_report_month(plan, 2025, 6)
    assert caught.value.code == "no_report"
    record_update(plan.actions.first(), status="on_track", note="Seen.",
                  user=officer, on=date(2025, 6, 3))
    highlights.check_report_month(plan, 2025, 6)  # no error now


# --- query counts of the highlight pages -----------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_highlight_pages_queries_do_not_grow_with_actions_and_updates(
        client, plan_index, snapshot, officer, django_assert_max_num_queries):
    small = make_plan(plan_index, snapshot, actions_per_priority=1, slug="small")
    big = make_plan(plan_index, snapshot, actions_per_priority=30, slug="big")
    for _plan, actions in ((small, small.actions.all()[:1]), (big, big.actions.all())):
        for action in actions:
            for day in (2, 9, 16):
                record_update(action, status="on_track", note="Going well.",
                              learning="Learnt.", issue="A risk.",
                              next_steps="More.", user=officer,
                              on=date(2025, 6, day))
        record_update(actions[0], status="done", note="Earlier.", user=officer,
                      on=date(2025, 5, 1))
    for url in ("highlights/2025-06/", "highlights/"):
        client.get(small.url + url)  # warm caches (site root paths)
        baseline = _queries(client, small.url + url)
        with django_assert_max_num_queries(baseline + 2):
            response = client.get(big.url + url)
        assert response.status_code == 200
    assert "Homelessness action 30" in client.get(big.url + "highlights/2025-06/").content.decode()
