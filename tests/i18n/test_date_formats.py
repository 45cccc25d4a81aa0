"""One date format per language: "18 March 2026" and 24-hour times, in English and in Welsh,
wherever a date is shown without a format of its own (portal/formats/)."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

LONDON = ZoneInfo("Europe/London")
SHOWN = Template("{{ day }}|{{ moment }}|{{ day|date:'SHORT_DATE_FORMAT' }}|"
                 "{{ moment|date:'SHORT_DATETIME_FORMAT' }}|{{ day|date:'YEAR_MONTH_FORMAT' }}")


@pytest.mark.parametrize("language, expected", [
    ("en", "18 March 2026|18 March 2026, 14:05|18/03/2026|18/03/2026 14:05|March 2026"),
    ("cy", "18 Mawrth 2026|18 Mawrth 2026, 14:05|18/03/2026|18/03/2026 14:05|Mawrth 2026"),
])
def test_dates_read_day_month_year_with_24_hour_times(language, expected):
    context = Context({"day": date(2026, 3, 18), "moment": datetime(2026, 3, 18, 14, 5)})
    with translation.override(language):
        assert SHOWN.render(context) == expected


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("typed, meaning", [
    ("04/03/2026", date(2026, 3, 4)),  # day first, as the portal shows it
    ("2026-03-04", date(2026, 3, 4)),  # what date pickers send
    ("04/03/26", date(2026, 3, 4)),
])
def test_dates_typed_day_first_mean_what_they_say(typed, meaning):
    form = DateForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == meaning


def test_an_american_month_first_date_is_refused_not_misread():
    form = DateForm({"day": "03/18/2026"})  # no 18th month: Django's "en" would accept it
    assert not form.is_valid()
    assert form.errors["day"] == ["Enter a valid date."]


@pytest.mark.django_db
def test_the_feedback_list_shows_the_date_received_as_18_march_2026(client, officer, settings,
                                                                    demo_site):
    """The officers' list of community feedback used to say "March 18, 2026"."""
    from portal.neighbourhoods.models import Neighbourhood
    from priorities.models import FeedbackItem

    settings.PORTAL_REQUIRE_STAFF_MFA = False
    FeedbackItem.objects.create(
        source=FeedbackItem.PARTNER_MEETING, neighbourhood=Neighbourhood.objects.first(),
        received_on=date(2026, 3, 18), text="Damp in the flats.", people_count=2)
    client.force_login(officer)
    response = client.get(reverse(FeedbackItem.snippet_viewset.get_url_name("list")))
    html = response.content.decode()
    assert response.status_code == 200
    assert "18 March 2026" in html
    assert "March 18, 2026" not in html


@pytest.mark.django_db
def test_a_survey_receipt_gives_the_closing_date_without_a_leading_zero():
    from surveys.answering import send_receipt

    survey = SimpleNamespace(title="Family hubs", url="/have-your-say/family-hubs/",
                             closes_at=datetime(2026, 3, 5, 23, 59, tzinfo=LONDON))
    send_receipt(survey, "HYS-ABCDEFGH", "someone@example.org")
    assert "The survey closes on 5 March 2026;" in mail.outbox[-1].body


@pytest.mark.django_db
def test_a_survey_not_yet_open_says_when_it_opens_on_the_24_hour_clock(demo_site):
    from django.test import Client

    from tests.surveys.conftest import make_survey

    index = demo_site.root_page.specific.add_child(instance=_survey_index())
    survey = make_survey(index, opens_at=datetime(2030, 3, 18, 14, 30, tzinfo=LONDON),
                         closes_at=datetime(2030, 4, 30, 17, 0, tzinfo=LONDON))
    html = Client().get(survey.url).content.decode()
    assert "It opens on 18 March 2030, 14:30." in html
    assert "30 April 2030, 17:00" in html
    assert "p.m." not in html


def _survey_index():
    from surveys.models import SurveyIndexPage

    return SurveyIndexPage(title="Have your say", slug="have-your-say")
