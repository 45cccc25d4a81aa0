"""The sync policy of each page type (docs/languages.md, "Sync policy"), as wagtail-localize
works it out from the models: what translators translate, and what every translation keeps in
step with the source page (dates, places, settings, choosers)."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone
from wagtail.models import Page
from wagtail_localize.fields import (
    TranslatableField,
    copy_synchronised_fields,
    get_translatable_fields,
)

from forums.models import ForumEventPage
from portal.neighbourhoods.models import Neighbourhood

SQUARE = {"type": "Polygon", "coordinates": [[[-0.26, 51.53], [-0.25, 51.53], [-0.25, 51.54],
                                              [-0.26, 51.53]]]}
PAGE_TYPES = {
    "HomePage", "NeighbourhoodIndexPage", "NeighbourhoodPage", "StandardPage",
    "SurveyIndexPage", "SurveyPage", "ForumIndexPage", "ForumEventPage", "AssetMapPage",
    "PrioritiesPage", "LocalityPlanIndexPage", "LocalityPlanPage",
}
# Every page type: Wagtail's own fields.
EVERY_PAGE_TRANSLATED = {"title", "slug", "seo_title", "search_description"}
EVERY_PAGE_SYNCHRONISED = {"show_in_menus"}

POLICY = {
    "HomePage": ({"introduction", "body"}, set()),
    "NeighbourhoodIndexPage": ({"introduction"}, set()),
    "NeighbourhoodPage": ({"summary", "description", "key_facts", "body"}, {"neighbourhood"}),
    "StandardPage": ({"introduction", "body"}, set()),
    "SurveyIndexPage": ({"introduction"}, set()),
    "SurveyPage": ({"introduction", "background", "privacy_notice", "sections",
                    "outcome_heard", "outcome_decided"},
                   {"neighbourhoods", "opens_at", "closes_at", "estimated_minutes",
                    "require_sign_in",
                    "one_response_only", "results_published", "scale_order",
                    "double_entry_every"}),
    "ForumIndexPage": ({"introduction"}, set()),
    "ForumEventPage": ({"summary", "joining_instructions", "accessibility_notes", "agenda",
                        "minutes", "you_said_we_did"},
                       {"start", "end", "format", "is_cancelled", "venue_key", "venue_postcode",
                        "venue_name", "venue_address", "venue_latitude", "venue_longitude",
                        "neighbourhoods", "joining_link", "step_free_access", "hearing_loop",
                        "interpreters_on_request", "bsl_on_request", "childcare", "capacity",
                        "registration_deadline", "online_voting_open", "votes_per_person",
                        "attendance_in_person", "attendance_online", "vote_tallies"}),
    "AssetMapPage": ({"introduction"}, set()),
    "PrioritiesPage": ({"introduction"}, set()),
    "LocalityPlanIndexPage": ({"introduction"}, set()),
    "LocalityPlanPage": ({"summary", "introduction", "governance", "plan_priorities", "actions",
                          "budget_lines", "measures", "risks", "contacts"},
                         {"neighbourhood", "locality", "period_start", "period_end", "snapshot"}),
}
# The child rows of plans and forums (translatable rows, each with a translation_key): their
# words are translated; numbers, dates, statuses, keys and choosers follow the source.
ROW_POLICY = {
    "PlanPriority": ({"commitment"}, {"priority"}),
    "PlanAction": ({"title", "description", "lead_role", "partners"},
                   {"priority", "partner_organisation_keys", "partner_link", "start_date",
                    "due_date", "status", "venue_keys"}),
    "PlanBudgetLine": ({"item", "source", "shared_costs"}, {"amount"}),
    "PlanMeasure": ({"indicator", "unit", "source"},
                    {"baseline", "baseline_date", "target", "target_date", "latest_value",
                     "latest_date"}),
    "PlanRisk": ({"risk", "mitigation", "owner"}, {"likelihood", "impact"}),
    "PlanContact": ({"role", "organisation"}, {"email", "phone"}),
    "YouSaidWeDid": ({"you_said", "we_did"}, {"theme"}),
}


def page_models():
    return {model.__name__: model for model in apps.get_models()
            if issubclass(model, Page) and model is not Page}


def split(model):
    """(translated, synchronised) field names, as wagtail-localize decides them."""
    translated, synchronised = set(), set()
    for field in get_translatable_fields(model):
        (translated if isinstance(field, TranslatableField) else synchronised).add(
            field.field_name)
    return translated, synchronised


def test_every_page_type_is_in_the_policy():
    # IndexPage is abstract: its subclasses (the index pages) carry its introduction.
    assert set(page_models()) == PAGE_TYPES == set(POLICY)


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_the_policy_of_each_page_type(name):
    translated, synchronised = split(page_models()[name])
    page_translated, page_synchronised = POLICY[name]
    own_fields = {field.name for field in Page._meta.get_fields()}
    assert translated - own_fields == page_translated
    assert synchronised - own_fields == page_synchronised
    assert EVERY_PAGE_TRANSLATED <= translated
    assert EVERY_PAGE_SYNCHRONISED <= synchronised


@pytest.mark.parametrize("name", sorted(ROW_POLICY))
def test_the_policy_of_each_translatable_row(name):
    model = next(model for model in apps.get_models() if model.__name__ == name)
    assert split(model) == ROW_POLICY[name]


def test_the_decisions_that_matter_to_residents():
    survey_translated, survey_synchronised = split(page_models()["SurveyPage"])
    assert {"title", "sections", "introduction"} <= survey_translated
    assert {"opens_at", "closes_at", "require_sign_in", "results_published"} <= (
        survey_synchronised)
    forum_translated, forum_synchronised = split(ForumEventPage)
    assert {"start", "end", "registration_deadline", "venue_latitude", "venue_longitude",
            "venue_key", "venue_postcode", "is_cancelled"} <= forum_synchronised
    assert not {"venue_key", "venue_postcode", "venue_name", "venue_address"} & forum_translated
    plan_translated, plan_synchronised = split(page_models()["LocalityPlanPage"])
    assert {"period_start", "period_end", "neighbourhood"} <= plan_synchronised


def test_the_forum_venue_key_and_postcode_cannot_be_overridden_by_translators(db):
    fields = {field.field_name: field for field in get_translatable_fields(ForumEventPage)}
    page = ForumEventPage(venue_key="harlesden-library", venue_postcode="NW10 4JB")
    assert not fields["venue_key"].is_overridable(page)
    assert not fields["venue_postcode"].is_overridable(page)
    assert fields["start"].is_overridable(page)  # a translation may say a different time


@pytest.mark.django_db
def test_a_forum_translation_follows_the_source_venue_time_and_neighbourhoods():
    harlesden, kensal = (Neighbourhood.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), code=code, boundary=SQUARE)
        for name, code in (("Harlesden", "E05013498"), ("Kensal Green", "E05013499")))
    start = timezone.make_aware(datetime.datetime(2027, 3, 4, 18, 30))
    source = ForumEventPage(title="Harlesden forum", summary="A forum.", start=start,
                            end=start + datetime.timedelta(hours=2), venue_key="library",
                            venue_postcode="NW10 4JB", venue_name="The library")
    source.neighbourhoods = [harlesden, kensal]
    welsh = ForumEventPage(title="Fforwm Harlesden", summary="Fforwm.", venue_name="Llyfrgell",
                           venue_key="old", venue_postcode="NW10 1AA")
    copy_synchronised_fields(source, welsh)
    assert (welsh.start, welsh.end) == (source.start, source.end)
    assert (welsh.venue_key, welsh.venue_postcode, welsh.venue_name) == (
        "library", "NW10 4JB", "The library")
    assert set(welsh.neighbourhoods.all()) == {harlesden, kensal}
    assert (welsh.title, welsh.summary) == ("Fforwm Harlesden", "Fforwm.")
