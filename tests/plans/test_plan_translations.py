"""A plan translated through wagtail-localize (issue 13, item 1): the words of its actions,
risks and other rows are translated; their numbers, dates and statuses follow the source; a
translation shows the original's progress updates and evidence, once."""

import importlib
import shutil
import subprocess
import uuid
from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from plans.context import plan_data
from plans.forms import ActionUpdateForm
from plans.happenings import happenings
from plans.highlights import highlight_report
from plans.models import ActionEvidence, PlanAction, PlanPdf, PlanRisk
from plans.trail import actions_for_page, plans_citing, rebuild_trail, trail_pages_for_plan
from portal.happenings import HIGHLIGHT_REPORT
from tests import translating

from .conftest import record_update

WELSH = {
    "Financial hardship action 1": "Cam gweithredu caledi ariannol 1",
    "Partners do not buy in": "Nid yw partneriaid yn ymrwymo",
    "Monthly check-ins": "Gwiriadau misol",
}


def translate(page, words=None, language_code="cy"):
    return translating.translate(page, language_code, WELSH if words is None else words)


def first_action(plan):
    return plan.actions.order_by("sort_order", "pk").first()  # demo-like rows: no sort_order


@pytest.fixture
def welsh(plan):
    return translate(plan)


def test_the_welsh_plan_shows_welsh_actions_and_risks_and_the_english_english(
        client, plan, welsh):
    english_action, welsh_action = first_action(plan), first_action(welsh)
    assert welsh_action.pk != english_action.pk
    assert welsh_action.translation_key == english_action.translation_key
    assert welsh_action.locale.language_code == "cy" and welsh_action.title == WELSH[
        "Financial hardship action 1"]
    assert (welsh_action.status, welsh_action.due_date) == (english_action.status,
                                                             english_action.due_date)
    assert welsh.contacts.get().email == "team@example.org"  # not words: kept
    welsh_html = client.get(welsh.url).content.decode()
    assert WELSH["Financial hardship action 1"] in welsh_html
    assert WELSH["Partners do not buy in"] in welsh_html and WELSH["Monthly check-ins"] in (
        welsh_html)
    assert "Financial hardship action 1" not in welsh_html.replace(
        WELSH["Financial hardship action 1"], "")
    english_html = client.get(plan.url).content.decode()
    assert "Financial hardship action 1" in english_html
    assert "Partners do not buy in" in english_html
    assert WELSH["Partners do not buy in"] not in english_html


def test_an_update_on_the_english_action_shows_on_the_welsh_plan_in_as_many_queries(
        plan, welsh, officer):
    record_update(first_action(plan), status=PlanAction.AT_RISK, note="Venue closed",
                  on=date(2025, 6, 10), user=officer)
    with CaptureQueriesContext(connection) as english_queries:
        english_rows = plan_data(plan)["action_rows"]
    with CaptureQueriesContext(connection) as welsh_queries:
        welsh_rows = plan_data(welsh)["action_rows"]
    assert english_rows[0]["status"] == welsh_rows[0]["status"] == PlanAction.AT_RISK
    assert welsh_rows[0]["last_update"].note == "Venue closed"
    assert welsh_rows[0]["action"].title == WELSH["Financial hardship action 1"]
    assert [row["status"] for row in welsh_rows[1:]] == [PlanAction.ON_TRACK] * (
        len(welsh_rows) - 1)
    assert len(welsh_queries) == len(english_queries)


def test_the_welsh_plan_page_carries_the_status_of_the_update(client, plan, welsh, officer):
    record_update(first_action(plan), status=PlanAction.DONE, note="Clinic opened",
                  on=date(2025, 6, 10), user=officer)
    with translation.override("cy"):
        done = str(PlanAction.status_label(PlanAction.DONE))
    html = client.get(welsh.url).content.decode()
    row = html.split(f'id="action-{first_action(welsh).pk}"')[1].split("</tr>")[0]
    assert escape(done) in row


def test_evidence_is_linked_once_to_the_original_and_shown_on_the_translation(
        plan, welsh, closed_survey):
    ActionEvidence.objects.create(action=first_action(plan), page=closed_survey)
    assert rebuild_trail(welsh) == 0  # a translation is never linked itself
    assert not ActionEvidence.objects.filter(action__plan=welsh).exists()
    pages = trail_pages_for_plan(welsh, list(welsh.actions.all()))
    assert [page["title"] for page in pages[first_action(welsh).priority_id]] == [
        closed_survey.title]
    priority = first_action(plan).priority
    assert [item["title"] for item in plans_citing(priority)] == [plan.title]


def test_syncing_again_updates_the_welsh_status_and_keeps_the_welsh_title(plan, welsh):
    welsh_pk = first_action(welsh).pk
    english = first_action(plan)
    plan.actions.filter(pk=english.pk).update(status=PlanAction.DONE)
    plan.refresh_from_db()
    plan.save_revision().publish()
    translate(plan)
    synced = welsh.actions.get(translation_key=english.translation_key)
    assert synced.status == PlanAction.DONE
    assert synced.title == WELSH["Financial hardship action 1"]
    assert synced.pk == welsh_pk  # the row is kept, not replaced


def test_officers_record_progress_on_the_original_plan(client, plan, welsh, officer):
    form = ActionUpdateForm(plan=plan)
    assert set(form.fields["action"].queryset) == set(plan.actions.all())
    client.force_login(officer)
    response = client.get(reverse("plans_admin:updates", args=[welsh.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans_admin:updates", args=[plan.pk])
    refused = ActionUpdateForm({"action": first_action(welsh).pk, "date": "2025-06-10",
                                "status": PlanAction.DONE, "note": "x"}, plan=plan)
    assert not refused.is_valid() and "action" in refused.errors


def test_the_welsh_highlight_report_names_the_welsh_action(plan, welsh, officer):
    record_update(first_action(plan), status=PlanAction.DONE, note="Clinic opened",
                  on=date(2025, 6, 10), user=officer)
    report = highlight_report(welsh, 2025, 6)
    assert [update.action.title for update in report["completed"]] == [
        WELSH["Financial hardship action 1"]]
    counts = {key: count for key, _label, count in report["priorities"][0]["counts"]}
    assert counts[PlanAction.DONE] == 1  # counted once, at the Welsh action


def test_a_survey_names_the_action_in_the_readers_language(plan, welsh, closed_survey):
    ActionEvidence.objects.create(action=first_action(plan), page=closed_survey)
    with translation.override("cy"):
        [welsh_item] = actions_for_page(closed_survey, cached=False)
    with translation.override("en"):
        [english_item] = actions_for_page(closed_survey, cached=False)
    assert (welsh_item["title"], welsh_item["plan_url"]) == (
        WELSH["Financial hardship action 1"], welsh.url)
    assert (english_item["title"], english_item["plan_url"]) == (
        "Financial hardship action 1", plan.url)


def test_the_welsh_plan_has_the_originals_report_months(plan, welsh, officer):
    record_update(first_action(plan), status=PlanAction.DONE, note="Clinic opened",
                  on=date(2025, 6, 10), user=officer)
    reports = {item.language: item.url for item in happenings()
               if item.kind == HIGHLIGHT_REPORT}
    assert reports == {"en": f"{plan.url}highlights/2025-06/",
                       "cy": f"{welsh.url}highlights/2025-06/"}


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils' pdftotext")
def test_the_welsh_plan_pdf_carries_the_welsh_action_title(client, plan, welsh, tmp_path):
    response = client.get(welsh.url + "pdf/")  # the PDF route, at the Welsh address
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "plan-cy.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert WELSH["Financial hardship action 1"] in text
    assert WELSH["Partners do not buy in"] in text
    assert "Financial hardship action 1 " not in text.replace(
        WELSH["Financial hardship action 1"], "")
    assert PlanPdf.objects.get(page=welsh).language == "cy"


# The data migration ----------------------------------------------------------------------

def keys_of(plan, model=PlanAction):
    return list(model.objects.filter(plan=plan).order_by("sort_order", "pk")
                .values_list("translation_key", flat=True))


def test_the_migration_keys_rows_of_originals_afresh_and_copies_like_their_original(
        plan, welsh, closed_survey):
    derived = ActionEvidence.objects.create(action=first_action(welsh), page=closed_survey)
    kept = ActionEvidence.objects.create(action=first_action(plan), page=closed_survey)
    migration = importlib.import_module("plans.migrations.0006_translatable_rows_keys")
    for model in (PlanAction, PlanRisk):
        for row in model.objects.all():
            model.objects.filter(pk=row.pk).update(translation_key=uuid.uuid4())
    before = keys_of(plan)
    migration.forwards(apps, None)
    english, copied = keys_of(plan), keys_of(welsh)
    assert english == copied and len(set(english)) == len(english)
    assert not set(english) & set(before)  # the original's rows get new uuids
    assert keys_of(plan, PlanRisk) == keys_of(welsh, PlanRisk)
    assert set(PlanAction.objects.filter(plan=welsh).values_list(
        "locale__language_code", flat=True)) == {"cy"}
    # a translation's derived evidence would count twice: dropped; the original's is kept
    assert list(ActionEvidence.objects.values_list("pk", flat=True)) == [kept.pk]
    assert derived.pk != kept.pk


def test_the_migration_gives_a_copy_with_other_rows_new_keys(plan, welsh):
    migration = importlib.import_module("plans.migrations.0006_translatable_rows_keys")
    welsh.actions.order_by("sort_order", "pk").last().delete()
    migration.forwards(apps, None)
    assert not set(keys_of(welsh)) & set(keys_of(plan))
    assert len(set(keys_of(welsh))) == len(keys_of(welsh))
