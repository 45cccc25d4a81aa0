"""A site with one page of every public page type, translated into Welsh and Arabic through
wagtail-localize, on a site that offers every language the portal knows.

Shared by the crawl (tests/i18n/test_crawl_languages.py), axe-core in Arabic and Welsh
(tests/browser/test_languages_axe.py) and the pooled survey journey
(tests/browser/test_survey_languages.py). Plain functions, not fixtures: each test module wraps
them in its own fixture (an imported fixture shadowed by a test argument upsets the linters).

Every page goes through wagtail-localize's own workflow: a TranslationSource from the English
page, a Translation to each locale, one StringTranslation per string segment, then
`save_target(publish=True)`. The strings the tests look for get real Welsh and Arabic (`WORDS`);
every other string is marked with its language ("[cy] ..."), except slugs, postcodes, email
addresses and web addresses, which stay as they are (translators keep them).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from django.test import TestCase
from django.urls import clear_url_caches
from django.utils import timezone

from portal import languages

ALL_LANGUAGES = "en,cy,pl,ar,ur,bn"
TRANSLATED = ("cy", "ar")
SURVEY_TITLE = "Family hubs survey"

# English -> (Welsh, Arabic), for what the tests read on the page or in the PDF.
WORDS: dict[str, tuple[str, str]] = {
    SURVEY_TITLE: ("Arolwg hybiau teulu", "استبيان مراكز الأسرة"),
    "Tell us about family hubs.": ("Dywedwch wrthym am hybiau teulu.",
                                   "أخبرنا عن مراكز الأسرة."),
    "About you": ("Amdanoch chi", "عنك"),
    "Family hubs": ("Hybiau teulu", "مراكز الأسرة"),
    "Priorities": ("Blaenoriaethau", "الأولويات"),
    "Where do you live?": ("Ble rydych chi'n byw?", "أين تسكن؟"),
    "Do you have children under 5?": ("Oes gennych chi blant dan 5 oed?",
                                      "هل لديك أطفال دون سن الخامسة؟"),
    "Yes": ("Oes", "نعم"),
    "No": ("Nac oes", "لا"),
    "Which services have you used?": ("Pa wasanaethau rydych chi wedi'u defnyddio?",
                                      "ما الخدمات التي استخدمتها؟"),
    "Health visitor": ("Ymwelydd iechyd", "الزائرة الصحية"),
    "Library": ("Llyfrgell", "المكتبة"),
    "Stay and play": ("Aros a chwarae", "ابقَ والعب"),
    "None": ("Dim un", "لا شيء"),
    "Family hubs are easy to get to": ("Mae'n hawdd cyrraedd hybiau teulu",
                                       "الوصول إلى مراكز الأسرة سهل"),
    "Rank these issues for your area": ("Rhowch y materion hyn mewn trefn i'ch ardal",
                                        "رتّب هذه القضايا حسب أهميتها لمنطقتك"),
    "Housing": ("Tai", "السكن"),
    "Air quality": ("Ansawdd aer", "جودة الهواء"),
    "Safety": ("Diogelwch", "السلامة"),
    "Isolation": ("Unigrwydd", "العزلة"),
    "How many people live in your home?": ("Faint o bobl sy'n byw yn eich cartref?",
                                           "كم شخصًا يعيش في منزلك؟"),
    "Anything else?": ("Unrhyw beth arall?", "هل من شيء آخر؟"),
    "Have your say": ("Dweud eich dweud", "شارك برأيك"),
    "Neighbourhood forums": ("Fforymau cymdogaeth", "منتديات الأحياء"),
    "Harlesden forum": ("Fforwm Harlesden", "منتدى هارلسدن"),
    "Community assets": ("Asedau cymunedol", "موارد المجتمع"),
    "Neighbourhood priorities": ("Blaenoriaethau cymdogaeth", "أولويات الأحياء"),
    "Locality plans": ("Cynlluniau ardal", "خطط المناطق"),
    "Harlesden neighbourhood plan": ("Cynllun cymdogaeth Harlesden", "خطة حي هارلسدن"),
}

_KEEP = (
    re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", re.I),  # a postcode
    re.compile(r"^\S+@\S+$"),  # an email address
    re.compile(r"^(https?://|/|www\.)\S*$"),  # an address
    re.compile(r"^[^A-Za-z]*$"),  # numbers, punctuation
)


def offer_every_language(settings) -> None:
    """The site offers en, cy, pl, ar, ur, bn (the settings fixture restores them), with a
    Wagtail locale for each; the URL resolvers are cleared so i18n_patterns sees the change
    (call `clear_url_caches` again when the test ends)."""
    from wagtail.models import Locale

    settings.LANGUAGES = languages.offered_languages(ALL_LANGUAGES)
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    clear_url_caches()


def translated_text(text: str, code: str, path: str) -> str:
    """What the translator of `code` writes for `text` at field `path`."""
    if path == "slug" or path.endswith(("postcode", "_key")) or any(
            pattern.match(text.strip()) for pattern in _KEEP):
        return text
    if text in WORDS:
        return WORDS[text][TRANSLATED.index(code)] if code in TRANSLATED else text
    return f"[{code}] {text}"


def build_site(site) -> dict:
    """One live page of every public page type under the demo borough's home page (which
    brings the home page, the neighbourhood index, neighbourhoods and standard pages), with a
    survey of every question type whose results are public, an upcoming in-person forum, three
    mapped assets, and a plan. Returns the English pages by type."""
    from assets_map.models import Asset, AssetCategory, AssetMapPage
    from forums.models import ForumEventPage, ForumIndexPage
    from plans.models import LocalityPlanIndexPage
    from portal.neighbourhoods.models import Neighbourhood
    from portal.pages.models import NeighbourhoodIndexPage, NeighbourhoodPage, StandardPage
    from priorities.models import PrioritiesPage
    from surveys.models import SurveyIndexPage
    from tests.plans.conftest import make_plan
    from tests.surveys.conftest import make_survey

    home = site.root_page.specific
    harlesden = Neighbourhood.objects.get(code="BRENT-HARLESDEN")
    pages = {"home": home,
             "neighbourhood index": NeighbourhoodIndexPage.objects.child_of(home).get(),
             "neighbourhood": NeighbourhoodPage.objects.live().filter(
                 locale=home.locale).order_by("title").first(),
             "standard page": StandardPage.objects.live().child_of(home).order_by("pk").first()}

    survey_index = _publish(home, SurveyIndexPage(title="Have your say", slug="have-your-say"))
    pages["survey index"] = survey_index
    pages["survey"] = make_survey(survey_index, results_published=True,
                                  sections=survey_sections())

    forums = _publish(home, ForumIndexPage(title="Neighbourhood forums", slug="forums"))
    start = timezone.now() + timedelta(days=10)
    event = ForumEventPage(title="Harlesden forum", slug="harlesden-forum", start=start,
                           end=start + timedelta(hours=2), format=ForumEventPage.IN_PERSON,
                           venue_name="Harlesden Library Plus", venue_address="Craven Park Road",
                           venue_postcode="NW10 8SE", summary="Meet your neighbours.")
    event.neighbourhoods = [harlesden]
    pages["forum index"], pages["forum"] = forums, _publish(forums, event)

    pages["asset map"] = _publish(home, AssetMapPage(title="Community assets",
                                                     slug="community-assets"))
    category = AssetCategory.objects.get(slug="food-support")
    for number, (lat, lng) in enumerate([(51.536, -0.247), (51.540, -0.260), (51.550, -0.230)]):
        Asset.objects.create(name=f"Food bank {number}", latitude=lat, longitude=lng,
                             category=category, status=Asset.PUBLISHED)

    pages["priorities"] = _publish(home, PrioritiesPage(
        title="Neighbourhood priorities", slug="priorities",
        introduction="What matters most where you live."))
    plans = _publish(home, LocalityPlanIndexPage(title="Locality plans", slug="plans"))
    pages["plan index"] = plans
    pages["plan"] = make_plan(plans, _snapshot(harlesden))
    return pages


def survey_sections() -> list:
    """The survey fixture's sections (every question type), with the skip condition held by
    block ids as the Skip conditions screen saves it, not by wording: wording is translated,
    ids are shared by every translation."""
    from tests.surveys.conftest import sections

    result = sections()
    questions = [child for section in result for child in section["value"]["questions"]]
    single = next(child for child in questions if child["type"] == "single_choice")
    yes = next(option for option in single["value"]["options"]
               if option["value"]["label"] == "Yes")
    for child in questions:
        if child["value"].get("show_if_question"):
            child["value"].update(show_if_question=single["id"], show_if_answer=yes["id"])
    return result


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _snapshot(neighbourhood):
    """A priority snapshot with three adopted priorities, for the plan."""
    from portal.themes.models import Theme
    from priorities.models import PrioritySnapshot, SnapshotPriority

    snapshot = PrioritySnapshot.objects.create(
        neighbourhood=neighbourhood, title="Harlesden spring ranking", method="test-1",
        weights={"surveys": 1}, totals={"surveys": {"people": 400}})
    for rank, slug in enumerate(["financial-hardship", "homelessness", "housing"], start=1):
        SnapshotPriority.objects.create(
            snapshot=snapshot, theme=Theme.objects.get(slug=slug), rank=rank,
            score=Decimal(1) / rank, summary=f"Chosen by many survey respondents ({slug}).",
            evidence={"surveys": {"count": 200 // rank, "people": 150 // rank}},
            decision=SnapshotPriority.ADOPTED)
    return snapshot


def translate_page(page, locales) -> None:
    """Translate one page into each locale through wagtail-localize and publish it."""
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()
    segments = list(StringSegment.objects.filter(source=source)
                    .select_related("string", "context"))
    for locale in locales:
        translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
        for segment in segments:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string, locale=locale, context=segment.context,
                defaults={"data": translated_text(segment.string.data, locale.language_code,
                                                  segment.context.path),
                          "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL})
        # Publishing waits for the commit; inside a test's transaction, run it now.
        with TestCase.captureOnCommitCallbacks(execute=True):
            translation.save_target(publish=True)


def translate_site(home, codes=TRANSLATED) -> None:
    """Translate the home page and every live page below it, parents first."""
    from wagtail.models import Locale, Page

    locales = [Locale.objects.get_or_create(language_code=code)[0] for code in codes]
    for page in (Page.objects.descendant_of(home, inclusive=True).live()
                 .filter(locale=home.locale).order_by("path").specific()):
        translate_page(page, locales)


def in_language(page, code: str):
    """The page's live translation in `code`."""
    from wagtail.models import Locale

    return page.get_translation(Locale.objects.get(language_code=code)).specific


def build_translated_site(site, settings) -> dict:
    """Every language offered; one page of each public type, in English, Welsh and Arabic."""
    offer_every_language(settings)
    pages = build_site(site)
    translate_site(pages["home"])
    return pages


__all__ = ["ALL_LANGUAGES", "TRANSLATED", "WORDS", "build_translated_site", "in_language",
           "offer_every_language", "translate_site"]
