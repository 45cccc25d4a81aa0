"""Each month's highlight report shows the measures' values as they stood at the end of that
month (issue 17: the October report showed November's values), on the web and in the PDF."""

import io
from datetime import date
from decimal import Decimal

import pypdf

from plans import highlights
from plans.models import LocalityPlanPage, PlanPdf

from .conftest import record_update


def publish_value(plan, value, on):
    """An officer edits the measure's latest value in the admin and publishes the plan."""
    plan = LocalityPlanPage.objects.get(pk=plan.pk)
    measures = list(plan.measures.all())
    measures[0].latest_value, measures[0].latest_date = Decimal(value), on
    plan.measures = measures
    plan.save_revision().publish()
    return LocalityPlanPage.objects.get(pk=plan.pk)


def outcome_values(plan, year, month):
    return [(row["indicator"], row["latest_value"], row["latest_date"])
            for row in highlights.highlight_report(plan, year, month)["outcomes"]]


def test_each_month_shows_the_values_it_had_then(client, plan):
    action = plan.actions.first()
    record_update(action, status="on_track", note="Clinic ran four times.", on=date(2025, 10, 6))
    record_update(action, status="on_track", note="Evening session added.", on=date(2025, 11, 5))
    record_update(action, status="on_track", note="Quiet month.", on=date(2025, 9, 3))
    plan = publish_value(plan, "150", date(2025, 10, 20))  # October's value
    plan = publish_value(plan, "171", date(2025, 11, 18))  # November's, entered later
    indicator = "Households supported before crisis"

    assert outcome_values(plan, 2025, 10) == [(indicator, Decimal("150"), date(2025, 10, 20))]
    assert outcome_values(plan, 2025, 11) == [(indicator, Decimal("171"), date(2025, 11, 18))]
    assert outcome_values(plan, 2025, 9) == [(indicator, None, None)]  # not measured yet

    october = client.get(plan.url + "highlights/2025-10/").content.decode()
    assert "150 households (Oct 2025)" in october and "171" not in october
    november = client.get(plan.url + "highlights/2025-11/").content.decode()
    assert "171 households (Nov 2025)" in november
    assert "not measured yet" in client.get(plan.url + "highlights/2025-09/").content.decode()

    response = client.get(plan.url + "highlights/2025-10/pdf/")  # rendered at once in tests
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(
        io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "150 households" in text and "171" not in text
    assert PlanPdf.objects.get(kind="highlights-2025-10").status == PlanPdf.READY


def test_a_corrected_value_for_the_same_date_replaces_the_first(plan):
    record_update(plan.actions.first(), status="on_track", note="Ran.", on=date(2025, 10, 6))
    plan = publish_value(plan, "140", date(2025, 10, 20))
    plan = publish_value(plan, "146", date(2025, 10, 20))  # a typo put right
    assert outcome_values(plan, 2025, 10)[0][1] == Decimal("146")
