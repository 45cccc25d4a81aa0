"""Right-to-left pages: `dir="rtl"` under Arabic and Urdu, `dir="ltr"` under English, Welsh,
Bengali and Polish, and stylesheets written with logical properties (margin-inline-start, not
margin-left) so that one stylesheet lays out both directions."""

import re

import pytest
from django.template import engines
from django.utils import translation

from surveys.models import SurveyIndexPage
from tests.conftest import REPO
from tests.surveys.conftest import make_survey

COMMUNITY_LANGUAGES = [("en", "English"), ("cy", "Cymraeg"), ("pl", "Polski"),
                       ("ar", "العربية"), ("ur", "اردو"), ("bn", "বাংলা")]

# The stylesheets that must mirror: the portal's own, the feature apps' own, and the print
# stylesheets of the PDFs.
SCANNED = [*sorted((REPO / "portal" / "static" / "portal" / "css").glob("*.css")),
           REPO / "surveys" / "static" / "surveys" / "surveys.css",
           REPO / "assets_map" / "static" / "assets_map" / "assets.css",
           REPO / "forums" / "static" / "forums" / "forums.css",
           REPO / "priorities" / "static" / "priorities" / "priorities.css",
           REPO / "plans" / "static" / "plans" / "css" / "plans.css",
           REPO / "insight" / "static" / "insight" / "coding.css",
           REPO / "plans" / "static" / "plans" / "css" / "print.css",
           REPO / "surveys" / "static" / "surveys" / "paper.css"]

# Rules allowed to keep physical left/right properties, with the reason.
ALLOWED = {
    # Leaflet positions its controls by physical class (leaflet-left, leaflet-right) with
    # physical offsets, floats and margins; these rules move them in a right-to-left page.
    '[dir="rtl"] .leaflet-left',
    '[dir="rtl"] .leaflet-right',
    '[dir="rtl"] .leaflet-left .leaflet-control',
    '[dir="rtl"] .leaflet-right .leaflet-control',
}

PHYSICAL_PROPERTY = re.compile(r"(^|-)(left|right)(-|$)")
FOUR_SIDED = {"margin", "padding", "inset", "border-width", "border-style", "border-color",
              "border-radius", "scroll-margin", "scroll-padding"}


@pytest.fixture
def community_languages(settings):
    settings.LANGUAGES = COMMUNITY_LANGUAGES


def root_element(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_arabic_and_urdu_pages_are_right_to_left(demo_site, client, community_languages):
    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    survey = make_survey(index)
    for language in ("ar", "ur"):
        for path in ("/", "/neighbourhoods/", "/search/?q=library", survey.url,
                     f"{survey.url}step/1/", "/no-such-page/"):
            response = client.get(f"/{language}{path}")
            assert response.status_code in (200, 404), (language, path, response.status_code)
            assert root_element(response) == f'<html lang="{language}" dir="rtl">', path


def test_english_welsh_bengali_and_polish_pages_are_left_to_right(demo_site, client,
                                                                   community_languages):
    for prefix, language in (("", "en"), ("/cy", "cy"), ("/bn", "bn"), ("/pl", "pl")):
        for path in ("/", "/neighbourhoods/", "/no-such-page/"):
            response = client.get(prefix + path)
            assert root_element(response) == f'<html lang="{language}" dir="ltr">', path


def test_a_language_the_site_does_not_offer_is_not_found_not_an_error(demo_site, client):
    # Arabic is not in the default offer (PORTAL_LANGUAGES "en,cy"): /ar/ is an ordinary 404.
    response = client.get("/ar/")
    assert response.status_code == 404
    assert root_element(response) == '<html lang="en" dir="ltr">'


def declarations(css: str):
    """(selector, property, value) for every declaration of a stylesheet, at-rules unwrapped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selector, body in re.findall(r"([^{};]+)\{([^{}]*)\}", css):
        for declaration in body.split(";"):
            if ":" in declaration:
                prop, value = declaration.split(":", 1)
                yield " ".join(selector.split()), prop.strip().lower(), value.strip().lower()


def physical(prop: str, value: str) -> bool:
    """Does this declaration name a physical side (left or right)?"""
    if PHYSICAL_PROPERTY.search(prop):
        return True
    if prop in ("float", "clear", "text-align", "caption-side"):
        return value.split()[0] in ("left", "right")
    if prop in FOUR_SIDED:
        parts = value.replace("!important", "").split()
        return len(parts) == 4 and parts[1] != parts[3]  # a different right and left
    return False


def physical_declarations(css: str) -> list[str]:
    return [f"{selector} {{ {prop}: {value} }}" for selector, prop, value in declarations(css)
            if physical(prop, value) and selector not in ALLOWED]


def test_the_scan_finds_physical_properties():
    sample = """.a { margin-left: 1rem; } .b { padding: 0 1rem 0 0; } .c { float: right; }
    .d { text-align: left; } @media (min-width: 40em) { .e { right: 0; } } .f { border-right: 0 }
    .ok { margin-inline-start: 1rem; padding: 0 1rem; text-align: start; margin: 1px 2px 3px 2px; }
    [dir="rtl"] .leaflet-left { left: auto; right: 0; }"""
    assert physical_declarations(sample) == [
        ".a { margin-left: 1rem }", ".b { padding: 0 1rem 0 0 }", ".c { float: right }",
        ".d { text-align: left }", ".e { right: 0 }", ".f { border-right: 0 }"]


@pytest.mark.parametrize("stylesheet", SCANNED, ids=lambda path: path.name)
def test_stylesheets_use_logical_properties(stylesheet):
    found = physical_declarations(stylesheet.read_text(encoding="utf-8"))
    assert found == [], f"Physical left/right in {stylesheet.relative_to(REPO)}: {found}"


def test_directional_signs_are_mirrored_right_to_left():
    css = (REPO / "portal" / "static" / "portal" / "css" / "portal.css").read_text()
    rules = {selector: (prop, value) for selector, prop, value in declarations(css)
             if selector.startswith('[dir="rtl"]')}
    assert rules['[dir="rtl"] .breadcrumbs__item + .breadcrumbs__item::before'] == (
        "transform", "scalex(-1)")


@pytest.mark.parametrize("template", [
    "plans/templates/plans/pdf/plan.html", "plans/templates/plans/pdf/highlight_report.html",
    "surveys/templates/surveys/paper_form.html"])
def test_pdf_templates_set_the_direction_from_the_language(template):
    """The PDFs' root element (the whole PDFs are rendered in tests/plans/test_pdf_scripts.py)."""
    head = (REPO / template).read_text(encoding="utf-8").split("<head>")[0]
    source = re.sub(r"\{% load [^%]*%\}", "{% load i18n %}", head)
    for language, direction in (("ar", "rtl"), ("ur", "rtl"), ("bn", "ltr"), ("cy", "ltr")):
        with translation.override(language):
            html = engines["django"].from_string(source).render({"language": language})
        assert f'<html lang="{language}" dir="{direction}">' in html, (template, language)
