"""Bad input through the Wagtail admin edit view: a clear error next to the field, nothing lost."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from plans.models import LocalityPlanPage

from .conftest import adopted


def action_row(action, **changes):
    row = {"id": action.pk, "priority": action.priority_id, "title": action.title,
           "description": action.description, "lead_role": action.lead_role,
           "partners": action.partners, "partner_link": "",
           "start_date": action.start_date.isoformat(),
           "due_date": action.due_date.isoformat(), "status": action.status}
    row.update(changes)
    return row


def post_data(plan, *, actions=None, priorities=None, budget=None, measures=None, **fields):
    data = {
        "title": plan.title, "slug": plan.slug, "neighbourhood": plan.neighbourhood_id,
        "locality": "", "period_start": plan.period_start, "period_end": plan.period_end,
        "summary": plan.summary, "introduction": rich_text(""), "snapshot": plan.snapshot_id,
        "governance": rich_text("<p>The steering group meets monthly.</p>"),
        "plan_priorities": inline_formset(priorities if priorities is not None else [
            {"id": p.pk, "priority": p.priority_id, "commitment": p.commitment}
            for p in plan.plan_priorities.all()]),
        "actions": inline_formset(actions if actions is not None else [
            action_row(a) for a in plan.actions.all()]),
        "budget_lines": inline_formset(budget if budget is not None else [
            {"id": b.pk, "item": b.item, "amount": str(b.amount), "source": b.source,
             "shared_costs": b.shared_costs} for b in plan.budget_lines.all()]),
        "measures": inline_formset(measures if measures is not None else [
            {"id": m.pk, "indicator": m.indicator, "unit": m.unit, "baseline": str(m.baseline),
             "baseline_date": m.baseline_date.isoformat(), "target": str(m.target),
             "target_date": "", "latest_value": str(m.latest_value),
             "latest_date": m.latest_date.isoformat(), "source": m.source}
            for m in plan.measures.all()]),
        "risks": inline_formset([
            {"id": r.pk, "risk": r.risk, "likelihood": r.likelihood, "impact": r.impact,
             "mitigation": r.mitigation, "owner": r.owner} for r in plan.risks.all()]),
        "contacts": inline_formset([
            {"id": c.pk, "role": c.role, "organisation": c.organisation, "email": c.email,
             "phone": c.phone} for c in plan.contacts.all()]),
        "comments": inline_formset([]),
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
    }
    data.update(fields)
    return nested_form_data(data)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def edit(client, plan, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[plan.pk]), data)


def field_errors(response, formset, field):
    form = response.context["form"]
    return [str(e) for f in form.formsets[formset].forms for e in f.errors.get(field, [])]


@pytest.mark.django_db
def test_a_valid_edit_saves_a_draft(officer_client, plan):
    response = edit(officer_client, plan, post_data(plan, summary="A new summary."))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.get_latest_revision_as_object().summary == "A new summary."


@pytest.mark.django_db
def test_due_date_before_start_is_refused_next_to_the_field(officer_client, plan):
    first = plan.actions.first()
    rows = [action_row(a) for a in plan.actions.all()]
    rows[0] = action_row(first, title="A changed title", due_date="2025-03-01")
    response = edit(officer_client, plan, post_data(plan, actions=rows))
    assert response.status_code == 200
    assert any("due date must be on or after the start date" in e
               for e in field_errors(response, "actions", "due_date"))
    # Nothing is lost: the form shows what was typed, and nothing was saved.
    assert "A changed title" in response.content.decode()
    plan.refresh_from_db()
    assert plan.get_latest_revision_as_object().actions.first().title == first.title


@pytest.mark.django_db
def test_negative_budget_is_refused(officer_client, plan):
    response = edit(officer_client, plan, post_data(plan, budget=[
        {"item": "Room hire", "amount": "-50", "source": "Neighbourhood CIL",
         "shared_costs": ""}]))
    assert response.status_code == 200
    assert any("cannot be negative" in e
               for e in field_errors(response, "budget_lines", "amount"))


@pytest.mark.django_db
def test_target_without_baseline_date_is_refused(officer_client, plan):
    response = edit(officer_client, plan, post_data(plan, measures=[
        {"indicator": "Homelessness prevented", "unit": "%", "baseline": "38",
         "baseline_date": "", "target": "55", "target_date": "", "latest_value": "",
         "latest_date": "", "source": ""}]))
    assert response.status_code == 200
    assert any("Enter the baseline date" in e
               for e in field_errors(response, "measures", "baseline_date"))


@pytest.mark.django_db
def test_citing_a_priority_that_is_not_adopted_is_refused(officer_client, plan, snapshot):
    pending = snapshot.priorities.get(decision="pending")
    rows = [{"id": p.pk, "priority": p.priority_id, "commitment": p.commitment}
            for p in plan.plan_priorities.all()]
    rows.append({"priority": pending.pk, "commitment": "Housing too"})
    response = edit(officer_client, plan, post_data(plan, priorities=rows))
    assert response.status_code == 200
    errors = field_errors(response, "plan_priorities", "priority")
    assert any("has not been adopted" in e for e in errors), errors


@pytest.mark.django_db
def test_an_action_must_answer_one_of_the_plans_priorities(officer_client, plan, snapshot):
    first, *others = adopted(snapshot)
    rows = [{"id": p.pk, "priority": p.priority_id, "commitment": p.commitment}
            for p in plan.plan_priorities.exclude(priority=first)]
    actions = [action_row(a) for a in plan.actions.all()]
    response = edit(officer_client, plan, post_data(plan, priorities=rows, actions=actions))
    assert response.status_code == 200
    assert any("not one of this plan's priorities" in e
               for e in field_errors(response, "actions", "priority"))


@pytest.mark.django_db
def test_publishing_without_approval_saves_a_draft_and_says_why(officer_client, plan):
    plan.unpublish()
    data = post_data(plan, summary="Officer's new summary.")
    data["action-publish"] = "action-publish"
    response = edit(officer_client, plan, data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert not plan.live
    assert plan.get_latest_revision_as_object().summary == "Officer's new summary."
    page = officer_client.get(response["Location"])
    assert "published when a councillor approves them" in page.content.decode()


@pytest.mark.django_db
def test_a_plan_needs_a_neighbourhood_or_locality(officer_client, plan):
    response = edit(officer_client, plan, post_data(plan, neighbourhood=""))
    assert response.status_code == 200
    assert "Choose the neighbourhood this plan is for" in str(
        response.context["form"].errors.get("neighbourhood"))
    assert LocalityPlanPage.objects.get(pk=plan.pk).neighbourhood_id is not None
