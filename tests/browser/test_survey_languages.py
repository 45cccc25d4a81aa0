"""Issue 13's "Done when": one survey answered in a real browser in English, Welsh and Arabic,
each through every step, "check your answers" and submit, pools into ONE result: the
officer's results page counts three responses and every choice across the languages, the
`language` filter narrows it to one, and the exports carry a Language column.

The survey is translated through wagtail-localize (tests/i18n/translated_site.py), so each
language's page shows its own wording, and its question ids are the English page's.
"""

import csv
import io
import re

import pytest
from django.urls import clear_url_caches
from openpyxl import load_workbook
from playwright.sync_api import expect

from surveys.models import Answer, Response
from tests.conftest import DEMO_PASSWORD, make_user
from tests.i18n.translated_site import WORDS, build_translated_site, in_language
from tests.surveys.conftest import respond

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OFFICER = "pooling-officer@example.org"


@pytest.fixture
def site_pages(demo_site, settings):
    settings.SURVEYS_MIN_SECONDS = 0
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    yield build_translated_site(demo_site, settings)
    clear_url_caches()


def say(text: str, code: str) -> str:
    """The survey's wording in `code` (tests/i18n/translated_site.WORDS)."""
    return text if code == "en" else WORDS[text][("cy", "ar").index(code)]


def answer_steps(page, url: str, code: str, check=None) -> None:
    """Answer every step of the survey at `url` in `code` and stop at "check your answers":
    Harlesden's postcode, "Yes", the library, the first point of the scale, and Air quality,
    Housing and Safety ranked 1, 2, 3. `check(page)` runs on each page on the way."""
    check = check or (lambda page: None)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(say("Family hubs survey", code))
    check(page)
    page.locator(".button--start").click()
    expect(page).to_have_url(re.compile(r"/step/1/$"))
    check(page)
    page.locator("input[autocomplete=postal-code]").fill("NW10 8SE")
    page.get_by_role("radio", name=say("Yes", code), exact=True).check()
    continue_(page, r"/step/2/$")
    check(page)
    page.get_by_role("checkbox", name=say("Library", code), exact=True).check()
    scale = page.get_by_role("group", name=say("Family hubs are easy to get to", code))
    scale.get_by_role("radio").first.check()
    continue_(page, r"/step/3/$")
    check(page)
    for label, rank in (("Air quality", "1"), ("Housing", "2"), ("Safety", "3")):
        page.get_by_label(say(label, code), exact=True).select_option(rank)
    continue_(page, r"/check/$")
    expect(page.locator("main")).to_contain_text(say("Library", code))
    check(page)


def continue_(page, url_pattern: str) -> None:
    page.locator("main form .button-group button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(url_pattern))


def answer(page, url: str, code: str) -> str:
    """The whole journey in `code`; the reference shown at the end."""
    answer_steps(page, url, code)
    expect(page.locator("html")).to_have_attribute("lang", code)
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/done/$"))
    reference = page.locator("#reference").inner_text().strip()
    assert reference
    return reference


def test_one_survey_answered_in_three_languages_gives_one_pooled_result(site_pages, browser,
                                                                         live_server, page):
    survey = site_pages["survey"]
    references = {}
    for code in ("en", "cy", "ar"):
        url = survey.url if code == "en" else in_language(survey, code).url
        references[code] = answer(page, url, code)
        page.context.clear_cookies()  # one response per browser: each language a new visitor

    responses = Response.objects.filter(reference__in=references.values())
    assert responses.count() == 3
    assert {r.survey_id for r in responses} == {survey.pk}, "not pooled into the original"
    assert {r.reference: r.language for r in responses} == {
        references["en"]: "en", references["cy"]: "cy", references["ar"]: "ar"}
    # Every language's answer is the original's question and option (shared block ids).
    chosen = list(Answer.objects.filter(response__in=responses, option__isnull=False)
                  .values_list("option__label", "option__question__survey_id", "rank"))
    for option, rank in (("Yes", None), ("Library", None), ("Air quality", 1), ("Safety", 3)):
        assert chosen.count((option, survey.pk, rank)) == 3, (option, chosen)

    make_user(OFFICER, "Officers")
    context = page.context.browser.new_context(base_url=live_server.url)
    admin = context.new_page()
    try:
        sign_in(admin)
        officer_results(admin, survey)
        exports(admin, survey, references)
    finally:
        context.close()

    for _ in range(3):  # three more, so the public results are above the threshold
        respond(survey, single="No", likert=3, ranks=["Housing", "Safety", "Isolation"])
    public_results(page, survey)


def sign_in(admin) -> None:
    admin.goto("/admin/login/")
    admin.locator("input[name=username]").fill(OFFICER)
    admin.locator("input[name=password]").fill(DEMO_PASSWORD)
    admin.locator("form button[type=submit]").first.click()
    expect(admin).not_to_have_url(re.compile(r"/login/"))


def officer_results(admin, survey) -> None:
    """Three responses in all, one in each language, every "Yes" and "Library" counted
    together; the language filter narrows them to one."""
    admin.goto(f"/admin/survey-results/{survey.pk}/results/")
    main = admin.locator("main")
    expect(main).to_contain_text("3 responses match these filters")
    expect(main).to_contain_text(re.compile(
        r"Languages answered in: (?=.*Arabic: 1)(?=.*Welsh: 1)(?=.*English: 1)"))
    for question, option in (("Do you have children under 5?", "Yes"),
                             ("Which services have you used?", "Library")):
        table = admin.get_by_role("table", name=f"Results: {question}")
        expect(table.get_by_role("row", name=f"{option} 3 100.0%", exact=True)).to_be_visible()
    for code in ("cy", "ar"):
        admin.goto(f"/admin/survey-results/{survey.pk}/results/?language={code}")
        expect(admin.locator("main")).to_contain_text(re.compile(r"\b1 response\b"))
        table = admin.get_by_role("table", name="Results: Do you have children under 5?")
        expect(table.get_by_role("row", name="Yes 1 100.0%", exact=True)).to_be_visible()


PUBLIC_TOTALS = {"en": ("6 responses", "6 people answered"),
                 "cy": ("6 ymateb", "Atebodd 6 o bobl"),
                 "ar": ("6 إجابات", "أجاب 6 أشخاص")}


def public_results(page, survey) -> None:
    """The published results, read in each language, count every language's responses (the
    three answered here and three more in English): six, in the reader's language."""
    for code, (total, answered) in PUBLIC_TOTALS.items():
        url = survey.url if code == "en" else in_language(survey, code).url
        page.goto(url + "results/")
        main = page.locator("main")
        expect(main).to_contain_text(total)
        expect(main).to_contain_text(say("Do you have children under 5?", code))
        expect(main).to_contain_text(answered)


def exports(admin, survey, references) -> None:
    """The CSV and the XLSX export: a Language column with en, cy and ar."""
    response = admin.request.get(f"/admin/survey-results/{survey.pk}/responses.csv")
    assert response.ok, response.status
    rows = list(csv.reader(io.StringIO(response.text().lstrip("\ufeff"))))
    header = [cell.strip().lower() for cell in rows[0]]
    assert "language" in header, rows[0]
    column, ref_column = header.index("language"), header.index("reference")
    assert {row[ref_column]: row[column] for row in rows[1:]} == {
        ref: code for code, ref in references.items()}

    response = admin.request.get(f"/admin/survey-results/{survey.pk}/responses.xlsx")
    assert response.ok, response.status
    sheet = load_workbook(io.BytesIO(response.body()), read_only=True).worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_index = next(i for i, row in enumerate(values)
                        if any(str(cell or "").strip().lower() == "language" for cell in row))
    header = [str(cell or "").strip().lower() for cell in values[header_index]]
    codes = sorted(str(row[header.index("language")]) for row in values[header_index + 1:]
                   if any(row))
    assert codes == ["ar", "cy", "en"], codes
