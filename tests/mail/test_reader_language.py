"""Emails in the reader's language (issue 13, docs/languages.md "Emails in the reader's
language").

An email built inside the person's own request (survey receipt, forum registration, sign-up,
password reset, the alerts confirmation link) comes in the request's language: /cy/ makes it
Welsh. An email built later or in somebody else's request (forum reminders and promotions,
alerts and digests, an officer's or an owner's decision) comes in the language the person
stored when they registered, subscribed or signed in, with links to the pages in that language
and dates written in it; a stored language the site no longer offers falls back to English.
Welsh is asserted with phrases from locale/cy, not merely "not English".
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from wagtail.models import Locale

from forums.models import ForumEventPage, ForumIndexPage, Registration
from portal import happenings as registry
from portal.alerts import following, sending
from portal.alerts.models import Follower
from portal.mail import in_language, reader_language
from tests.conftest import DEMO_PASSWORD, make_user

pytestmark = pytest.mark.django_db

WELSH_MONTHS = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
                "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr")
WELSH_FOOTER = "Hysbysiad preifatrwydd"  # "Privacy notice" in the layout's footer


def only_message():
    (message,) = mail.outbox
    return message


# --- the helpers --------------------------------------------------------------------------


def test_reader_language_keeps_an_offered_language_and_falls_back_otherwise(settings):
    assert [code for code, _name in settings.LANGUAGES] == ["en", "cy"]
    assert reader_language("cy") == "cy"
    assert reader_language("CY-gb") == "cy"
    assert reader_language("pl") == "en"  # known to the portal, not offered by this site
    assert reader_language("xx") == reader_language("") == reader_language(None) == "en"
    with in_language("pl"):
        assert translation.get_language() == "en"
    with in_language("cy"):
        assert translation.get_language() == "cy"


# --- forums: registration in the request, reminders and promotions later ------------------


@pytest.fixture
def forum(demo_site):
    """An English forum starting in three hours (within the reminder window), with a live
    Welsh copy under its own Welsh title."""
    index = ForumIndexPage(title="Neighbourhood forums", slug="forums")
    demo_site.root_page.specific.add_child(instance=index)
    index.save_revision().publish()
    start = timezone.now() + timedelta(hours=3)
    event = ForumEventPage(title="Harlesden forum", slug="harlesden-forum", start=start,
                           end=start + timedelta(hours=2), format=ForumEventPage.IN_PERSON,
                           venue_name="Harlesden Library Plus", capacity=1)
    index.add_child(instance=event)
    event.save_revision().publish()
    welsh = event.copy_for_translation(Locale.objects.get(language_code="cy"),
                                       copy_parents=True)
    welsh.title = "Fforwm Harlesden"
    welsh.save_revision().publish()
    event.refresh_from_db()
    welsh.refresh_from_db()
    return event, welsh


def welsh_date(start) -> str:
    with translation.override("cy"):
        return date_format(timezone.localtime(start), "l j F Y")


def test_a_forum_registration_on_a_welsh_page_is_confirmed_in_welsh(client, forum, resident):
    event, welsh = forum
    client.force_login(resident)
    response = client.post(f"/cy/forum-event/{welsh.pk}/register/", {})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.language == "cy" and registration.event_id == event.pk
    message = only_message()
    assert message.subject == "Rydych wedi cofrestru: Fforwm Harlesden"
    assert "Rydych wedi cofrestru ar gyfer Fforwm Harlesden." in message.body
    assert "Am y fforwm:" in message.body and WELSH_FOOTER in message.body
    assert welsh.url in message.body and welsh.url.startswith("/cy/")
    assert re.search(r"/cy/forum-registration/\S+/cancel/", message.body)
    assert welsh_date(event.start) in message.body
    assert any(month in message.body for month in WELSH_MONTHS)
    assert "You are registered" not in message.body


def test_the_reminder_command_writes_to_each_person_in_their_language(client, forum,
                                                                      resident):
    event, welsh = forum
    event.capacity = None
    event.save_revision().publish()
    client.force_login(resident)
    client.post(f"/cy/forum-event/{welsh.pk}/register/", {})
    english = make_user("english@example.org")
    client.force_login(english)
    client.post(f"/forum-event/{event.pk}/register/", {})
    mail.outbox.clear()

    call_command("send_forum_reminders", stdout=open("/dev/null", "w"))  # no request at all

    by_address = {message.to[0]: message for message in mail.outbox}
    welsh_reminder = by_address[resident.email]
    assert welsh_reminder.subject == "Nodyn atgoffa: mae Fforwm Harlesden yn dechrau cyn bo hir"
    assert "Nodyn i'ch atgoffa bod Fforwm Harlesden yn digwydd cyn bo hir." in welsh_reminder.body
    assert welsh_date(event.start) in welsh_reminder.body
    assert welsh.url in welsh_reminder.body
    assert re.search(r"/cy/forum-registration/\S+/", welsh_reminder.body)
    english_reminder = by_address["english@example.org"]
    assert english_reminder.subject == "Reminder: Harlesden forum starts soon"
    assert "A reminder that Harlesden forum is coming up soon." in english_reminder.body
    assert "/cy/" not in english_reminder.body
    assert translation.get_language() == "en"  # nothing leaks out of the override


def test_a_place_freed_by_an_english_cancellation_is_offered_in_welsh(client, forum, resident):
    event, welsh = forum
    english = make_user("english@example.org")
    client.force_login(english)
    client.post(f"/forum-event/{event.pk}/register/", {})  # takes the only place
    client.force_login(resident)
    client.post(f"/cy/forum-event/{welsh.pk}/register/", {"join_waiting_list": "1"})
    waiting = Registration.objects.get(email=resident.email)
    assert waiting.status == Registration.WAITING and waiting.language == "cy"
    mail.outbox.clear()

    client.force_login(english)
    taken = Registration.objects.get(email="english@example.org")
    response = client.post(f"/forum-registration/{taken.token}/cancel/", {})  # in English
    assert response.status_code == 302

    promoted = next(message for message in mail.outbox if message.to == [resident.email])
    assert promoted.subject == "Mae lle ar gael – rydych wedi cofrestru: Fforwm Harlesden"
    assert "Newyddion da: mae lle ar gael yn Fforwm Harlesden." in " ".join(
        promoted.body.split())
    assert "Annwyl" in promoted.body and welsh.url in promoted.body
    cancelled = next(message for message in mail.outbox if message.to == [taken.email])
    assert cancelled.subject == "Registration cancelled: Harlesden forum"


def test_asking_again_in_welsh_resends_the_confirmation_link_in_welsh(forum):
    from forums.registrations import register

    event, _welsh = forum
    register(event, name="Amina", email="amina@example.org")  # in English
    with translation.override("cy"):  # the Welsh page's request
        register(event, name="Amina", email="amina@example.org")
    english, welsh = mail.outbox
    assert english.subject == "Confirm your place at Harlesden forum"
    assert welsh.subject == "Cadarnhewch eich lle yn Fforwm Harlesden"
    assert re.search(r"/cy/forum-registration/\S+/confirm/", welsh.body)
    assert Registration.objects.get().language == "cy"


def test_a_stored_language_the_site_no_longer_offers_falls_back_to_english(client, forum,
                                                                           resident):
    event, _welsh = forum
    client.force_login(resident)
    client.post(f"/forum-event/{event.pk}/register/", {})
    Registration.objects.update(language="pl")  # offered once; PORTAL_LANGUAGES changed since
    mail.outbox.clear()
    call_command("send_forum_reminders", stdout=open("/dev/null", "w"))
    message = only_message()
    assert message.subject == "Reminder: Harlesden forum starts soon"
    assert "/pl/" not in message.body and "/cy/" not in message.body
    assert event.url in message.body


# --- the survey receipt: in the request ---------------------------------------------------


def test_a_survey_receipt_asked_for_on_the_welsh_page_is_welsh(client, demo_site):
    from surveys.models import SurveyIndexPage
    from tests.surveys.conftest import make_survey

    index = SurveyIndexPage(title="Have your say", slug="have-your-say")
    demo_site.root_page.specific.add_child(instance=index)
    index.save_revision().publish()
    survey = make_survey(index)
    welsh = survey.copy_for_translation(Locale.objects.get(language_code="cy"),
                                        copy_parents=True)
    welsh.title = "Arolwg hybiau teulu"
    welsh.save_revision().publish()
    session = client.session
    session[f"survey-done:{welsh.pk}"] = "HYS-ABCDEFGH"
    session.save()

    response = client.post(f"{welsh.url}done/", {"email": "amina@example.org"})

    assert response.status_code == 302
    message = only_message()
    assert message.subject == "Eich atebion i “Arolwg hybiau teulu”: cyfeirnod HYS-ABCDEFGH"
    assert "Diolch am ateb “Arolwg hybiau teulu”." in message.body
    assert "I weld beth ddigwyddodd i'ch ateb" in message.body
    assert f"{welsh.url}what-happened/" in message.body and welsh.url.startswith("/cy/")
    with translation.override("cy"):
        closes = date_format(timezone.localtime(survey.closes_at), "DATE_FORMAT")
    assert closes in message.body


# --- accounts (allauth): in the request; the account remembers the language ---------------


def test_signing_up_in_welsh_gets_a_welsh_confirmation(client, demo_site):
    from django.contrib.auth import get_user_model

    client.post("/cy/accounts/signup/", {"email": "newydd@example.org",
                                         "password1": "a-long-new-password-1",
                                         "password2": "a-long-new-password-1"})
    message = only_message()
    assert message.subject.startswith("Cadarnhewch eich cyfeiriad e-bost ar gyfer ")
    assert "Rydych yn cael yr e-bost hwn oherwydd" in message.body
    assert re.search(r"I gadarnhau bod hyn yn gywir, ewch i \S+/cy/accounts/confirm-email/\S+/",
                     message.body)
    assert WELSH_FOOTER in message.body
    assert get_user_model().objects.get(email="newydd@example.org").language == "cy"


def test_a_password_reset_asked_for_in_welsh_is_welsh(client, demo_site):
    make_user("anghofus@example.org")
    client.post("/cy/accounts/password/reset/", {"email": "anghofus@example.org"})
    message = only_message()
    assert message.subject.startswith("Ailosod eich cyfrinair ar gyfer ")
    assert re.search(r"/cy/accounts/password/reset/key/\S+/", message.body)
    assert WELSH_FOOTER in message.body
    # Our own wording (portal/templates/account/email/), through our catalogue: allauth has
    # no Welsh catalogue of its own.
    with translation.override("cy"):
        ignore = translation.gettext("If it was not you, you can ignore this email: your "
                                     "password stays as it is.")
    assert ignore in message.body
    assert "You're receiving this email because" not in message.body


def test_the_same_reset_in_english_is_english(client, demo_site):
    make_user("forgetful@example.org")
    client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    message = only_message()
    assert message.subject.startswith("Reset your password for ")
    assert "To choose a new password, go to " in message.body
    assert "/cy/" not in message.body


@pytest.mark.parametrize(("prefix", "subject", "phrase"), [
    ("account/email/login_code", "Your sign-in code for ", "Your sign-in code is below."),
    ("account/email/unknown_account", "No account on ", "There is no account with this address."),
    ("account/email/account_already_exists", "You already have an account on ",
     "choose a new one here: https://x.org/reset/"),
])
def test_every_allauth_email_sent_has_our_own_wording(demo_site, prefix, subject, phrase):
    from portal.accounts.adapter import PortalAccountAdapter, email_site

    message = PortalAccountAdapter().render_mail(prefix, "a@example.org", {
        "email": "a@example.org", "code": "ABC123", "current_site": email_site(),
        "signup_url": "https://x.org/signup/", "password_reset_url": "https://x.org/reset/"})
    assert message.subject.startswith(subject)
    assert phrase in message.body and "Hello from" not in message.body
    assert "If it was not you, you can ignore this email." in message.body
    with translation.override("cy"):
        welsh = PortalAccountAdapter().render_mail(prefix, "a@example.org", {
            "email": "a@example.org", "code": "ABC123", "current_site": email_site(),
            "signup_url": "", "password_reset_url": ""})
    assert "Os nad chi oedd hyn, gallwch anwybyddu'r e-bost hwn." in welsh.body


def test_signing_in_in_welsh_records_the_language_for_later_emails(client, demo_site,
                                                                   asset_submission,
                                                                   vcs_member, officer):
    from assets_map import moderation

    response = client.post("/cy/accounts/login/", {"login": vcs_member.email,
                                                   "password": DEMO_PASSWORD})
    assert response.status_code == 302
    vcs_member.refresh_from_db()
    assert vcs_member.language == "cy"
    mail.outbox.clear()
    asset_submission.submitted_by.refresh_from_db()

    moderation.approve(asset_submission, officer)  # the officer works in English

    message = only_message()
    assert message.subject == "Mae eich ased cymunedol “Trust hall” wedi'i gyhoeddi"
    assert WELSH_FOOTER in message.body


def test_an_organisation_s_owners_each_hear_in_their_own_language(verified_organisation,
                                                                   vcs_member, resident):
    from assets_map.membership import request_to_join
    from assets_map.models import OrganisationMembership

    vcs_member.language = "cy"
    vcs_member.save(update_fields=["language"])
    second = make_user("owner2@example.org", language="en")
    OrganisationMembership.objects.create(organisation=verified_organisation, user=second,
                                          role=OrganisationMembership.OWNER)

    request_to_join(verified_organisation, resident, "", lambda path: f"https://x.org{path}")

    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2
    assert by_address[vcs_member.email].subject == "Cais i ymuno â Harlesden Community Trust"
    assert "https://x.org/cy/organisations/" in by_address[vcs_member.email].body
    assert by_address["owner2@example.org"].subject == "Request to join Harlesden Community Trust"
    assert "/cy/" not in by_address["owner2@example.org"].body


def test_the_staleness_reminder_command_writes_in_the_member_s_language(stale_asset,
                                                                        vcs_member):
    from assets_map import moderation

    vcs_member.language = "cy"
    vcs_member.save(update_fields=["language"])
    assert moderation.send_staleness_reminders(lambda path: f"https://x.org{path}") == 1
    message = only_message()
    assert message.subject == "Ydy asedau cymunedol Harlesden Community Trust yn dal yn gywir?"
    assert "https://x.org/cy/organisations/still-correct/" in message.body


# --- alerts: the confirmation in the request, the alerts later ----------------------------


def welsh_follower(harlesden, language="cy", frequency=Follower.IMMEDIATE):
    follower = following.new_follower(
        email=f"{language}@example.org", frequency=frequency, language=language,
        confirmed_at=timezone.now() - timedelta(days=30))
    follower.save()
    following.set_follows(follower, [harlesden], [])
    return follower


@pytest.fixture
def two_happenings(monkeypatch, demo_site):
    from portal.neighbourhoods.models import Neighbourhood

    harlesden = Neighbourhood.objects.get(code="BRENT-HARLESDEN")
    seen = []

    def answer(since=None, neighbourhood=None, limit=None, language=None, now=None,
               kinds=None):
        seen.append(language)
        return [registry.Happening(
            id=f"test:survey_opened:{number}", kind="survey_opened",
            title=f"Park survey {number}", url=f"/{language}/arolwg/{number}/",
            happened_at=timezone.now() - timedelta(days=1), summary="",
            neighbourhood_ids=frozenset([harlesden.pk]), theme_ids=frozenset(),
            language=language) for number in (1, 2)]

    monkeypatch.setattr(registry, "happenings", answer)
    return harlesden, seen


def test_alerts_and_the_digest_go_out_in_the_followers_language(two_happenings):
    harlesden, seen = two_happenings
    welsh_follower(harlesden, "cy")
    welsh_follower(harlesden, "en")
    welsh_follower(harlesden, "pl")  # a language the site no longer offers
    sending.run_immediate()
    assert set(seen) == {"cy", "en"}  # never asked for Polish happenings
    by_address = {message.to[0]: message for message in mail.outbox}
    welsh = by_address["cy@example.org"]
    assert welsh.subject == "2 diweddariad yn eich cymdogaeth"
    assert "Rhywbeth newydd yn y cymdogaethau a'r themâu rydych yn eu dilyn:" in welsh.body
    assert "Stopio pob hysbysiad gydag un clic:" in welsh.body
    assert "/cy/alerts/unsubscribe/" in welsh.body and WELSH_FOOTER in welsh.body
    for address in ("en@example.org", "pl@example.org"):
        assert by_address[address].subject == "2 updates in your neighbourhood"
        assert "/cy/" not in by_address[address].body
        assert "/pl/" not in by_address[address].body


def test_the_weekly_digest_is_welsh_with_welsh_dates(two_happenings):
    harlesden, _seen = two_happenings
    welsh_follower(harlesden, "cy", frequency=Follower.WEEKLY)
    sending.run_digest()
    message = only_message()
    assert message.subject == "Eich hysbysiadau wythnosol: 2 diweddariad"
    assert any(month in message.body for month in WELSH_MONTHS)


def test_following_in_welsh_sends_a_welsh_confirmation_and_keeps_welsh(client, demo_site):
    from portal.neighbourhoods.models import Neighbourhood

    harlesden = Neighbourhood.objects.get(code="BRENT-HARLESDEN")
    response = client.post("/cy/alerts/", {"neighbourhoods": [harlesden.pk],
                                           "frequency": Follower.IMMEDIATE,
                                           "email": "dilynwr@example.org"})
    assert response.status_code == 200
    message = only_message()
    assert message.subject == "Cadarnhau eich hysbysiadau"
    assert "Cadarnhewch eich bod eisiau hysbysiadau e-bost am:" in message.body
    link = re.search(r"https?://\S+(/cy/alerts/confirm/\S+/)", message.body)
    assert link, message.body
    assert client.post(link[1]).status_code in (200, 302)
    assert Follower.objects.get(email="dilynwr@example.org").language == "cy"


def test_a_confirmation_link_with_an_unoffered_language_stores_the_default(demo_site):
    follower, state = following.confirm({"email": "x@example.org", "n": [], "t": [],
                                         "f": Follower.WEEKLY, "l": "xx-bad", "at": 0})
    assert state == following.CONFIRMED and follower.language == "en"
