"""Keying paper forms: the printed layout and numbers, blanks, the batch, duplicate paper
references and the double-entry check."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.neighbourhoods.models import Neighbourhood
from surveys.forms import SectionForm, field_name
from surveys.models import PaperCheck, Question, Response
from surveys.results import compute_results
from tests.conftest import make_user

from .conftest import q, respond


@pytest.fixture
def keyer(client, settings, survey):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    officer = make_user("keyer@example.org", "Officers")
    client.force_login(officer)
    return officer


def url(survey):
    return reverse("surveys_admin:enter", args=[survey.pk])


def base(**extra):
    return {"entry-channel": "paper", "entry-received_on": "2026-11-02", **extra}


def prefixed(survey, kind, suffix=""):
    question = q(survey, kind)
    return f"s{question.section}-{field_name(question)}{suffix}", question


def test_labels_carry_the_paper_numbers_in_the_printed_order(survey, client, keyer):
    page = client.get(url(survey)).content.decode()
    numbered = re.findall(r"Q(\d+)\. ", page)
    assert numbered[:6] == ["1", "2", "3", "4", "5", "6"]
    for label in ("Q1. Where do you live?", "Q2. Do you have children under 5?",
                  "Q5. Rank these issues for your area", "Q7. Anything else?"):
        assert label in page, label
    # Equality questions come last, under "About you", as on paper, numbered on.
    assert page.index("Q7. Anything else?") < page.index("Q8. What is your age?")
    assert 'class="error-summary"' not in page


def test_every_question_may_be_left_blank_and_a_half_ranking_keeps_its_ranks(survey, client,
                                                                              keyer):
    name, ranking = prefixed(survey, Question.RANKING)
    assert client.post(url(survey), base()).status_code == 302  # a blank form is allowed
    r = client.post(url(survey), base(**{name: "-1"}))  # only "Air quality" ranked, of 3
    assert r.status_code == 302
    response = Response.objects.filter(entered_by=keyer).order_by("pk").last()
    rows = list(response.answers.filter(question=ranking).values_list("option__label", "rank"))
    assert rows == [("Air quality", 1)]
    r = client.post(url(survey), base(**{name: "2-1"}))
    response = Response.objects.filter(entered_by=keyer).order_by("pk").last()
    assert sorted(response.answers.filter(question=ranking)
                  .values_list("option__label", "rank")) == [("Housing", 2), ("Safety", 1)]


def test_errors_are_summarised_at_the_top_with_links_to_the_fields(survey, client, keyer):
    name, _ranking = prefixed(survey, Question.RANKING)
    number, _question = prefixed(survey, Question.NUMBER)
    r = client.post(url(survey), base(**{name: "11", number: "lots"}))
    assert r.status_code == 400
    page = r.content.decode()
    summary = page[page.index('class="error-summary"'):page.index("</ul>",
                                                              page.index("error-summary"))]
    assert f'href="#id_{name}"' in summary and "Give each rank to only one option" in summary
    assert f'href="#id_{number}"' in summary and "Enter a whole number" in summary
    assert page.index("error-summary") < page.index("<form method=\"post\"")
    assert not Response.objects.filter(entered_by=keyer).exists()


def test_where_you_live_is_one_box_for_a_name_or_postcode(survey, client, keyer):
    name, _where = prefixed(survey, Question.WHERE)
    assert client.post(url(survey), base(**{name: "  harlesden "})).status_code == 302
    response = Response.objects.get(entered_by=keyer)
    assert response.neighbourhood.name == "Harlesden"


def test_the_batch_is_kept_between_forms_and_can_come_from_the_address(survey, client, keyer):
    kilburn = Neighbourhood.objects.get(name="Kilburn")
    client.post(url(survey), base(**{"entry-channel": "forum",
                                     "entry-neighbourhood": str(kilburn.pk)}))
    page = client.get(url(survey)).content.decode()
    assert re.search(r'<option value="forum" selected>', page)
    assert 'value="2026-11-02"' in page
    assert re.search(rf'<option value="{kilburn.pk}" selected>', page)
    assert re.search(r'name="entry-paper_reference"[^>]*autofocus', page)
    page = client.get(url(survey) + "?channel=phone").content.decode()
    assert re.search(r'<option value="phone" selected>', page)


def test_a_paper_form_keyed_twice_is_refused_with_a_link_and_saved_once(survey, client, keyer):
    single, question = prefixed(survey, Question.SINGLE)
    yes = str(question.options.get(label="Yes").pk)
    assert client.post(url(survey), base(**{"entry-paper_reference": "123",
                                            single: yes})).status_code == 302
    first = Response.objects.get(paper_reference="123")
    r = client.post(url(survey), base(**{"entry-paper_reference": " 123 ", single: yes}))
    assert r.status_code == 400
    page = r.content.decode()
    assert (f"Paper form 123 was already entered as response {first.reference} on "
            f"{first.submitted_at.day} November 2026.") in page
    link = reverse("surveys_admin:keyed_response", args=[survey.pk, first.reference])
    assert f'href="{link}"' in page
    assert Response.objects.filter(survey=survey, paper_reference="123").count() == 1
    shown = client.get(link).content.decode()
    assert "Yes" in shown and "123" in shown
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, reference="HYS-TWICE", paper_reference="123")


def test_a_sampled_form_keyed_twice_is_compared_and_counted_once(survey, client, keyer):
    survey.double_entry_every = 2
    survey.save(update_fields=["double_entry_every"])
    single, question = prefixed(survey, Question.SINGLE)
    yes, no = (str(question.options.get(label=label).pk) for label in ("Yes", "No"))
    client.post(url(survey), base(**{"entry-paper_reference": "A1", single: yes}))
    assert not PaperCheck.objects.exists()  # the first form is not in the sample
    r = client.post(url(survey), base(**{"entry-paper_reference": "A2", single: yes}),
                    follow=True)
    assert "picked for the double-entry check" in r.content.decode()
    check = PaperCheck.objects.get()
    assert check.status == PaperCheck.AWAITING and check.response.paper_reference == "A2"
    # The second keying differs: listed, not stored as a second response.
    r = client.post(url(survey), base(**{"entry-paper_reference": "A2", single: no}),
                    follow=True)
    assert "keyed a second time: 1 answer differs" in r.content.decode()
    assert Response.objects.filter(survey=survey).count() == 2
    check.refresh_from_db()
    assert check.status == PaperCheck.MISMATCHED
    assert check.mismatches == [{"question": "Q2. Do you have children under 5?",
                                 "first": "Yes", "second": "No"}]
    checks_url = reverse("surveys_admin:paper_checks", args=[survey.pk])
    page = client.get(checks_url).content.decode()
    assert "Paper form A2" in page and "Second keying" in page
    assert client.post(checks_url, {"check": check.pk, "keep": "nonsense"}).status_code == 302
    check.refresh_from_db()
    assert check.status == PaperCheck.MISMATCHED  # nothing changed on a bad choice
    client.post(checks_url, {"check": check.pk, "keep": "second"})
    check.refresh_from_db()
    assert check.status == PaperCheck.RESOLVED
    assert list(check.response.answers.values_list("option__label", flat=True)) == ["No"]
    # Keyed a third time: now an ordinary duplicate.
    again = client.post(url(survey), base(**{"entry-paper_reference": "A2", single: no}))
    assert again.status_code == 400 and "was already entered" in again.content.decode()
    assert compute_results(survey)["total"] == 2


def test_matching_second_keying_is_recorded_as_matched(survey, client, keyer):
    survey.double_entry_every = 1
    survey.save(update_fields=["double_entry_every"])
    name, _ranking = prefixed(survey, Question.RANKING)
    client.post(url(survey), base(**{"entry-paper_reference": "B7", name: "1-2"}))
    r = client.post(url(survey), base(**{"entry-paper_reference": "b 7", name: "1-2"}),
                    follow=True)
    assert "both keyings match" in r.content.decode()
    assert PaperCheck.objects.get().status == PaperCheck.MATCHED
    assert Response.objects.filter(survey=survey).count() == 1


def test_one_scale_order_online_in_the_entry_form_and_in_results(survey, client, keyer):
    likert = q(survey, Question.LIKERT)
    online = SectionForm([likert]).fields[field_name(likert)].choices
    assert [label for _v, label in online][0] == "Strongly agree"
    survey.scale_order = "disagree_first"
    survey.save(update_fields=["scale_order"])
    online = SectionForm([likert]).fields[field_name(likert)].choices
    assert [value for value, _l in online] == ["1", "2", "3", "4", "5"]
    page = client.get(url(survey)).content.decode()
    assert page.index("1. Strongly disagree") < page.index("5. Strongly agree")
    respond(survey, likert=5)
    entry = next(e for e in compute_results(survey)["questions"]
                 if e["kind"] == Question.LIKERT)
    assert [row["point"] for row in entry["rows"]] == [1, 2, 3, 4, 5]
    assert entry["rows"][-1]["count"] == 1
