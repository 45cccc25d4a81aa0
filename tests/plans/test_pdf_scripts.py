"""Plans, highlight reports and paper survey forms as PDFs in Arabic, Urdu, Bengali and Welsh:
right to left where the language is, shaped text set in Debian's Noto fonts and embedded, and
the words come back out of the PDF (pypdf).

Text extraction from a shaped script gives presentation forms (Arabic) and may reorder marks,
so text is normalised with NFKC before comparing. Two limits of extraction, not of the PDF
(the pages were checked by eye with pdftoppm): in Noto Nastaliq Urdu some words come back with
their letters out of order, and in Bengali a vowel sign written before its consonant (ি, ে)
is sometimes dropped; the words checked here are ones that survive extraction. Each test keeps
its PDF in its tmp_path, to look at (pytest --basetemp=DIR, then pdftoppm -png)."""

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import date

import pypdf
import pytest
from django.utils import translation

from plans.models import PlanAction, PlanPdf
from plans.pdf_cache import pdf_request
from tests.conftest import REPO

from .conftest import make_plan, record_update

COMMUNITY_LANGUAGES = [("en", "English"), ("cy", "Cymraeg"), ("ar", "العربية"),
                       ("ur", "اردو"), ("bn", "বাংলা")]

# Per language: the plan's title, summary and first action (as an officer would type them), the
# words that must come back out of the PDF, the font that must be embedded, and the direction.
PLANS = {
    "ar": {"title": "خطة حي هارلسدن", "summary": "سنساعد الأسر التي تواجه ضائقة مالية",
           "action": "عيادة استشارات مالية للأسر",
           "words": ["خطة", "هارلسدن", "سنساعد", "الأسر", "ضائقة", "مالية", "عيادة", "استشارات"],
           "font": "NotoNaskhArabic", "dir": "rtl"},
    "ur": {"title": "ہارلسڈن کا منصوبہ", "summary": "مالی مشکلات میں مدد",
           "action": "مالی مشورے کا مرکز",
           "words": ["مالی", "مشکلات", "میں", "مدد"],
           "font": "NotoNastaliqUrdu", "dir": "rtl"},
    "bn": {"title": "হারলেসডেন পাড়ার পরিকল্পনা", "summary": "আর্থিক কষ্টে স্বাস্থ্য সহায়তা",
           "action": "ক্ষুদ্র ব্যবসার পরামর্শ",
           "words": ["হারলেসডেন", "পাড়ার", "আর্থিক", "কষ্টে", "স্বাস্থ্য", "সহায়তা", "পরামর্শ"],
           # Conjuncts (consonant + virama + consonant) that must survive shaping.
           "conjuncts": ["ল্প", "র্থ", "ষ্ট", "স্ব", "স্থ", "ক্ষ", "র্শ"],
           "font": "NotoSansBengali", "dir": "ltr"},
    "cy": {"title": "Cynllun cymdogaeth Harlesden",
           "summary": "Byddwn yn helpu teuluoedd â chaledi ariannol ym mhob tŷ a stryd",
           "action": "Clinig cyngor ar ddyledion a biliau dŵr",
           "words": ["Cynllun", "cymdogaeth", "teuluoedd", "â", "chaledi", "tŷ", "dŵr", "Clinig"],
           "font": "DejaVuSans", "dir": "ltr"},
}
NOTO_FAMILIES = {"NotoNaskhArabic": "Noto Naskh Arabic", "NotoNastaliqUrdu": "Noto Nastaliq Urdu",
                 "NotoSansBengali": "Noto Sans Bengali"}


def installed_families() -> set[str]:
    if not shutil.which("fc-list"):
        return set()
    listing = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return {name.strip() for line in listing.splitlines() for name in line.split(",")}


def needs_font(language):
    family = NOTO_FAMILIES.get(PLANS[language]["font"])
    if family and family not in installed_families():
        pytest.skip(f"{family} is not installed on this machine: install Debian's "
                    "fonts-noto-core (make browser, or .ci/run in CI)")


def test_ci_and_make_install_the_noto_fonts():
    """The skip above only ever happens on a machine that CI would have set up differently."""
    ci_packages = re.search(r"^packages=\((.*)\)$", (REPO / ".ci" / "run").read_text(), re.M)
    assert "fonts-noto-core" in ci_packages.group(1).split()
    assert "fonts-noto-core" in (REPO / "Makefile").read_text()


@pytest.fixture
def community_languages(settings):
    settings.LANGUAGES = COMMUNITY_LANGUAGES


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def read(pdf_bytes: bytes):
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    text = normalised(" ".join(page.extract_text() for page in reader.pages))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            base = str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1]
            fonts.add(base.split("-Bold")[0].replace("-", ""))
    return reader, text, fonts


def first_line_x(reader, needle: str) -> float:
    """Where (points from the page's left edge) the first piece of text containing `needle` on
    the first page starts."""
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if needle in normalised(text) and not found:
            found.append(cm[0] * tm[4] + cm[2] * tm[5] + cm[4])

    reader.pages[0].extract_text(visitor_text=visit)
    assert found, needle
    return found[0]


def plan_in(language, plan_index, snapshot):
    words = PLANS[language]
    plan = make_plan(plan_index, snapshot, slug=f"plan-{language}")
    PlanAction.objects.filter(pk=plan.actions.order_by("pk").first().pk).update(
        title=words["action"])
    plan.refresh_from_db()
    plan.title, plan.summary = words["title"], words["summary"]
    plan.save_revision().publish()
    plan.refresh_from_db()
    return plan


def rendered(row) -> bytes:
    row.refresh_from_db()
    assert row.status == PlanPdf.READY, row.error
    with row.file.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize("language", list(PLANS))
def test_plan_pdf_in_each_script(language, community_languages, plan_index, snapshot, tmp_path):
    needs_font(language)
    plan = plan_in(language, plan_index, snapshot)
    with translation.override(language):
        row = pdf_request(plan, language=language)
    pdf = rendered(row)
    (tmp_path / f"plan-{language}.pdf").write_bytes(pdf)
    reader, text, fonts = read(pdf)
    expected = PLANS[language]
    missing = [word for word in expected["words"] if normalised(word) not in text]
    assert missing == [], f"{language}: not extracted {missing} from {text[:300]!r}"
    for conjunct in expected.get("conjuncts", []):
        assert normalised(conjunct) in text, conjunct
    assert expected["font"] in fonts, fonts
    assert reader.trailer["/Root"]["/Lang"] == language
    # Right to left: the summary on the cover starts well right of the left margin (it is set
    # against the right margin); left to right it starts at the left margin (16 mm, 45 pt).
    width = float(reader.pages[0].mediabox.width)
    x = first_line_x(reader, normalised(expected["summary"].split()[0]))
    if expected["dir"] == "rtl":
        assert x > width / 3, x
    else:
        assert x < 60, x


def test_highlight_report_pdf_in_arabic(community_languages, plan_index, snapshot, officer,
                                        tmp_path):
    needs_font("ar")
    plan = plan_in("ar", plan_index, snapshot)
    record_update(plan.actions.order_by("pk").first(), status="on_track",
                  note="افتتحت العيادة في المكتبة", user=officer, on=date(2025, 6, 3))
    with translation.override("ar"):
        row = pdf_request(plan, kind="highlights-2025-06", language="ar")
    pdf = rendered(row)
    (tmp_path / "highlights-ar.pdf").write_bytes(pdf)
    reader, text, fonts = read(pdf)
    for word in ("عيادة", "استشارات", "افتتحت", "العيادة", "المكتبة"):
        assert normalised(word) in text, word
    assert "NotoNaskhArabic" in fonts
    assert reader.trailer["/Root"]["/Lang"] == "ar"


@pytest.mark.parametrize("language", ["ar", "bn"])
def test_paper_survey_form_in_arabic_and_bengali(language, community_languages, client, officer,
                                                  closed_survey, tmp_path):
    needs_font(language)
    title = {"ar": "ما الذي يهمك أكثر في حيك", "bn": "আপনার পাড়ায় সবচেয়ে গুরুত্বপূর্ণ কী"}[language]
    closed_survey.title = title
    closed_survey.save_revision().publish()
    client.force_login(officer)
    response = client.get(f"/{language}/survey-paper/{closed_survey.pk}/")
    assert response["Content-Type"] == "application/pdf"
    (tmp_path / f"paper-{language}.pdf").write_bytes(response.content)
    reader, text, fonts = read(response.content)
    words = {"ar": ["الذي", "يهمك", "أكثر", "حيك"], "bn": ["আপনার", "পাড়ায়", "গুরুত্বপূর্ণ", "কী"]}
    for word in words[language]:
        assert normalised(word) in text, (word, text[:200])
    assert PLANS[language]["font"] in fonts
    assert reader.trailer["/Root"]["/Lang"] == language
