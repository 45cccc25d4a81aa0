"""The "what's new" registry: one happening of each kind from the apps' providers, only live
public pages, filters by neighbourhood, time and language, stable ids, and a provider that
fails leaves the others standing."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail import hooks

from portal import happenings
from portal.extension_points import HAPPENINGS
from surveys.models import SurveyIndexPage
from tests.surveys.conftest import make_survey


def by_id(items):
    return {item.id: item for item in items}


def ids_of(items, kind):
    return sorted(item.id for item in items if item.kind == kind)


def test_every_kind_comes_from_a_provider(world):
    items = happenings.happenings(limit=None)
    assert {item.kind for item in items} == set(happenings.KINDS)
    assert len(by_id(items)) == len(items)  # one per id
    surveys, forum, plan = world.surveys, world.forum, world.plan
    assert ids_of(items, happenings.SURVEY_OPENED) == sorted(
        f"surveys:opened:{page.translation_key}" for page in (surveys.open_here,
                                                              surveys.open_there))
    key = surveys.closed.translation_key
    assert ids_of(items, happenings.RESULTS_PUBLISHED) == [f"surveys:results:{key}"]
    assert f"surveys:you-said-we-did:{key}" in ids_of(items, happenings.YOU_SAID_WE_DID)
    assert ids_of(items, happenings.FORUM_ANNOUNCED) == [
        f"forums:announced:{forum.translation_key}"]
    # Moving the forum is a change; opening online voting is not.
    assert len(ids_of(items, happenings.FORUM_CHANGED)) == 1
    assert any(item.startswith(f"forums:you-said-we-did:{forum.translation_key}:")
               for item in ids_of(items, happenings.YOU_SAID_WE_DID))
    assert ids_of(items, happenings.PLAN_PUBLISHED) == [f"plans:published:{plan.translation_key}"]
    assert len(ids_of(items, happenings.PLAN_UPDATED)) == 1
    assert ids_of(items, happenings.HIGHLIGHT_REPORT) == [
        f"plans:highlights:{plan.translation_key}:{world.report_month:%Y-%m}"]


def test_each_happening_says_what_where_and_when(world):
    items = by_id(happenings.happenings(limit=None))
    results = items[f"surveys:results:{world.surveys.closed.translation_key}"]
    assert results.url == world.surveys.closed.url + "results/"
    assert results.whole_area and results.language == "en"
    assert results.headline == "Results published: Borough budget survey"
    outcome = items[f"surveys:you-said-we-did:{world.surveys.closed.translation_key}"]
    assert outcome.summary == "We kept the libraries open."  # plain text, no markup
    plan = items[f"plans:published:{world.plan.translation_key}"]
    assert plan.neighbourhood_ids == {world.harlesden.pk}
    assert plan.theme_ids  # the themes of its adopted priorities
    assert timezone.now() - plan.happened_at > timedelta(days=39)
    report = next(item for item in items.values() if item.kind == happenings.HIGHLIGHT_REPORT)
    assert report.url.endswith(f"/highlights/{world.report_month:%Y-%m}/")
    assert report.absolute_url("https://portal.example").startswith("https://portal.example/")


def test_drafts_private_pages_and_surveys_not_yet_open_never_show(world):
    index = SurveyIndexPage.objects.get()
    now = timezone.now()
    make_survey(index, title="Opens next week", slug="next-week",
                opens_at=now + timedelta(days=7), closes_at=now + timedelta(days=30))
    titles = {item.title for item in happenings.happenings(limit=None)}
    assert "Harlesden parks survey" in titles
    assert not titles & {"Secret draft survey", "Private staff survey", "Opens next week"}


def test_a_survey_published_after_it_closed_never_opened(world):
    items = happenings.happenings(limit=None)
    assert f"surveys:opened:{world.surveys.closed.translation_key}" not in by_id(items)


def test_a_neighbourhood_gets_its_own_and_the_whole_areas(world):
    kilburn = {item.title for item in happenings.happenings(neighbourhood=world.kilburn)}
    assert kilburn == {"Kilburn streets survey", "Borough budget survey"}
    harlesden = {item.title for item in happenings.happenings(neighbourhood=world.harlesden.pk)}
    assert "Kilburn streets survey" not in harlesden
    assert {"Harlesden parks survey", "Borough budget survey", "Harlesden forum",
            "Harlesden neighbourhood plan"} <= harlesden


def test_since_limit_and_order(world):
    since = timezone.now() - timedelta(days=5)
    recent = happenings.happenings(since=since, limit=None)
    assert recent and all(item.happened_at > since for item in recent)
    assert happenings.PLAN_PUBLISHED not in {item.kind for item in recent}
    everything = happenings.happenings(limit=None)
    assert [item.happened_at for item in everything] == sorted(
        (item.happened_at for item in everything), reverse=True)
    assert happenings.happenings(limit=3) == everything[:3]
    only = happenings.happenings(kinds=[happenings.FORUM_CHANGED], limit=None)
    assert {item.kind for item in only} == {happenings.FORUM_CHANGED}


def test_ids_are_stable_when_a_page_is_published_again(world):
    before = by_id(happenings.happenings(limit=None))
    survey = world.surveys.open_here
    survey.introduction = "Tell us about the parks."
    survey.save_revision().publish()
    after = by_id(happenings.happenings(limit=None))
    assert set(after) == set(before)
    key = f"surveys:opened:{survey.translation_key}"
    assert after[key].happened_at == before[key].happened_at


def count_queries(call):
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_registry_answers_in_a_few_queries_however_many_pages(world):
    happenings.happenings(limit=None)  # Wagtail's site root paths are cached now
    few = count_queries(lambda: happenings.happenings(limit=None))
    assert few <= 25
    index = SurveyIndexPage.objects.get()
    for number in range(4):
        make_survey(index, title=f"Survey {number}", slug=f"survey-{number}",
                    outcome_decided="<p>Done.</p>", results_published=True)
    assert count_queries(lambda: happenings.happenings(limit=None)) == few


def test_a_failing_provider_is_logged_and_the_rest_still_answer(world, caplog):
    def broken(*, since=None):
        raise RuntimeError("the forums database is on fire")

    with caplog.at_level(logging.ERROR, logger="portal.happenings"), \
            hooks.register_temporarily(HAPPENINGS, broken):
        items = happenings.happenings(limit=None)
    assert len(items) >= 10
    assert "broken" in caplog.text and "on fire" in caplog.text


def happening(language, **extra):
    fields = dict(id="surveys:opened:abc", kind=happenings.SURVEY_OPENED, title=language,
                  url="/x/", happened_at=timezone.now(), language=language)
    return happenings.Happening(**{**fields, **extra})


def test_one_copy_of_each_happening_in_the_language_asked_for_else_the_default():
    copies = [happening("en"), happening("cy")]
    assert [item.title for item in happenings.one_per_id(copies, "cy")] == ["cy"]
    assert [item.title for item in happenings.one_per_id(copies, "en")] == ["en"]
    assert [item.title for item in happenings.one_per_id(copies, "pl")] == ["en"]
    assert [item.title for item in happenings.one_per_id([happening("cy")], "en")] == ["cy"]


def test_a_happening_refuses_an_unknown_kind_or_a_naive_time():
    with pytest.raises(ValueError):
        happening("en", kind="survey_burnt")
    with pytest.raises(ValueError):
        happening("en", happened_at=timezone.now().replace(tzinfo=None))
    assert happening("en", neighbourhood_ids=[3, 3]).neighbourhood_ids == frozenset({3})
