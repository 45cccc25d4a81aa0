"""The demo reads like a real borough's: it loads with the commands `make run` uses and then
every public text is checked for placeholder phrases, phone numbers outside Ofcom's drama
ranges, "by phone" without a number, and forums on bank holidays or with a season in the title
that the date contradicts. The checker itself is tested first, so a pass means something."""

import datetime
import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from . import quality

# Models whose text is not public demo content: people's own records (registrations, survey
# answers, which the priorities demo depends on and which stay as they are), audit entries,
# and data imported from real public sources.
SKIPPED_MODELS = {
    "forums.registration", "forums.onlinevote", "surveys.response", "surveys.answer",
    "surveys.commentcoding", "surveys.surveydraft", "surveys.papercheck",
    "assets_map.auditevent", "assets_map.submission", "assets_map.joinrequest",
    "portal_neighbourhoods.postcode", "neighbourhoods.postcode",
    "deprivation.statisticalarea", "deprivation.neighbourhoodneed",
}
APPS = ["assets_map", "forums", "surveys", "plans", "priorities", "themes", "neighbourhoods",
        "pages", "insight"]
SKIPPED_FIELDS = {"slug", "url_path", "path", "external_id", "name_key", "geojson_feature",
                  "uuid", "translation_key", "draft_title", "latest_revision_created_at"}


# --- the checker ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Lorem ipsum dolor sit amet", "Opening hours TBC", "TODO: write this", "An example asset",
    "Test asset", "placeholder text", "Call xxx", "foo", "Sample survey"])
def test_placeholder_phrases_are_caught(text):
    assert quality.placeholder_phrases(text)


@pytest.mark.parametrize("text", [
    "Free advice on benefits. For example, a letter about Universal Credit.",
    "Write to neighbourhoods@example.org or see https://meet.example.org/brent-harlesden",
    "The contest for the best allotment", "A latest update"])
def test_ordinary_text_passes(text):
    assert quality.placeholder_phrases(text) == []


def test_phone_numbers_must_be_in_the_drama_ranges():
    good = "Ring 020 7946 0123, 01632 960 555, 07700 900 321 or +44 20 7946 0999."
    assert quality.bad_phone_numbers(good) == []
    assert quality.bad_phone_numbers("Call 020 8937 1234 or 020 3000 0000") == [
        "020 8937 1234", "020 3000 0000"]
    assert quality.bad_phone_numbers("020 7946 1000") == ["020 7946 1000"]
    assert quality.bad_phone_numbers("Charity 1077146, meeting ID 845 2211 0093") == []
    assert quality.mentions_phoning("Drop in or book by phone")
    assert not quality.mentions_phoning("Drop in")


def test_bank_holidays_match_the_published_list():
    assert quality.bank_holidays(2026) == {datetime.date(2026, *d) for d in [
        (1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)]}
    assert quality.bank_holidays(2027) == {datetime.date(2027, *d) for d in [
        (1, 1), (3, 26), (3, 29), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)]}
    assert datetime.date(2025, 12, 26) in quality.bank_holidays(2025)


def test_the_demo_loaders_bank_holidays_agree():
    from portal.demo.dates import BANK_HOLIDAYS, meeting_day

    assert BANK_HOLIDAYS == set().union(*(quality.bank_holidays(y) for y in range(2024, 2029)))
    assert meeting_day(datetime.date(2026, 12, 24)) == datetime.date(2027, 1, 5)
    assert meeting_day(datetime.date(2026, 4, 6), forwards=False) == datetime.date(2026, 4, 2)


def test_forum_dates_are_checked():
    assert quality.date_problems("Harlesden forum", datetime.date(2026, 12, 25))
    assert quality.date_problems("Harlesden forum", datetime.date(2027, 1, 1))
    assert quality.date_problems("Harlesden forum: spring", datetime.date(2026, 10, 14))
    assert quality.date_problems("Harlesden forum, October", datetime.date(2026, 11, 4))
    assert quality.date_problems("Harlesden forum", datetime.date(2026, 11, 8))  # a Sunday
    assert quality.date_problems("Harlesden forum: autumn", datetime.date(2026, 10, 14)) == []


# --- the demo ---------------------------------------------------------------------------------

def load_demo():
    """The demo as `make run` loads it (fewer generated survey responses, for speed: they are
    not checked, and the priorities demo is computed from them unchanged)."""
    out = io.StringIO()
    call_command("load_demo_assets", "--users", stdout=out)
    call_command("load_demo_forums", stdout=out)
    call_command("load_demo_surveys", "--responses", "200", stdout=out)
    call_command("load_demo_priorities", stdout=out)
    call_command("load_demo_plans", stdout=out)
    call_command("load_demo_insight", stdout=out)
    call_command("load_demo_translations", stdout=out)


def _text(instance, field) -> str:
    value = getattr(instance, field.attname, None)
    if value is None:
        return ""
    if isinstance(field, StreamField):
        return json.dumps(field.get_prep_value(value), ensure_ascii=False)
    return str(value)


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS or isinstance(field, (models.URLField,
                                                              models.EmailField)):
            continue
        if isinstance(field, (models.CharField, models.TextField, RichTextField, StreamField)):
            yield field


def demo_texts():
    """(where, text) for every public text of the demo: pages and the apps' records."""
    for page in Page.objects.live().specific():
        model = type(page)
        for field in _text_fields(model):
            yield f"{model.__name__} “{page.title}” .{field.name}", _text(page, field)
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            label = model._meta.label_lower
            if label in SKIPPED_MODELS or issubclass(model, Page):
                continue
            fields = list(_text_fields(model))
            for row in model.objects.all():
                for field in fields:
                    yield f"{model.__name__} #{row.pk} “{row}” .{field.name}", _text(row, field)


def phone_problems():
    """Assets and organisations that tell people to phone but give no number in range."""
    from assets_map.models import Asset

    problems = []
    for asset in Asset.objects.exclude(status=Asset.ARCHIVED).select_related("organisation"):
        text = " ".join([asset.summary, asset.description, asset.hours_notes] + [
            f"{s.name} {s.description} {s.how_to_access}" for s in asset.services.all()])
        phones = [asset.public_phone, asset.organisation.public_phone
                  if asset.organisation else ""]
        if quality.mentions_phoning(text) and not any(
                phone and quality.in_drama_range(phone) for phone in phones):
            problems.append(f"{asset.name}: says to phone, but gives no number")
    return problems


def directory_problems():
    """Asset entries that look machine-made: two of one name in a neighbourhood (a map key
    cannot tell them apart), a summary that only repeats the name, a website on a
    documentation domain, no opening hours, no way to get in touch."""
    from collections import Counter

    from assets_map.models import Asset, Organisation

    problems = []
    live = Asset.objects.filter(status=Asset.PUBLISHED).select_related("organisation")
    names = Counter((asset.neighbourhood_id, asset.name) for asset in live)
    problems += [f"{name}: {count} assets of this name in one neighbourhood"
                 for (_, name), count in names.items() if count > 1]
    for asset in live.prefetch_related("opening_hours"):
        if asset.summary.startswith(asset.name):
            problems.append(f"{asset.name}: the summary only repeats the name")
        if not asset.opening_hours.all() and not asset.hours_notes:
            problems.append(f"{asset.name}: no opening hours")
        if asset.external_id and asset.external_id.startswith("demo:") and not (
                asset.public_phone or asset.website or asset.category.slug == "green-space"):
            problems.append(f"{asset.name}: no phone number or website")
    for item in list(live) + list(Organisation.objects.all()):
        if quality.RESERVED_ADDRESS.fullmatch(item.website or "x"):
            problems.append(f"{item.name}: website {item.website} is a placeholder address")
    return problems


@pytest.mark.django_db
def test_the_demo_reads_like_a_real_borough(demo_site, settings):
    from forums.models import ForumEventPage
    from surveys.models import SurveyPage

    settings.DEBUG = True  # as `make run`: the demo logins too
    load_demo()
    problems = []
    for where, text in demo_texts():
        problems += [f"{where}: “{phrase}” in {text[:80]!r}"
                     for phrase in quality.placeholder_phrases(text)]
        problems += [f"{where}: {number} is not in a drama range"
                     for number in quality.bad_phone_numbers(text)]
    problems += phone_problems() + directory_problems()
    forums = ForumEventPage.objects.live()
    assert forums.count() >= 10
    for forum in forums:
        problems += [f"Forum “{forum.title}”: {problem}"
                     for problem in quality.date_problems(forum.title,
                                                          forum.start.date())]
    for survey in SurveyPage.objects.live():
        problems += [f"Survey “{survey.title}”: {problem}"
                     for problem in quality.date_problems(survey.title,
                                                          survey.opens_at.date())
                     if "Sunday" not in problem and "bank holiday" not in problem]
    assert not problems, "\n".join(sorted(set(problems)))
