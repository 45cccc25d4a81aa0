"""The suggested codes page: its figures in plain words, "Retrain now", and who may do what."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from insight import classifier, classifier_tasks
from insight.models import ClassifierModel
from portal.themes.models import Theme
from tests.conftest import make_user

from .test_classifier import add_items, make_themes, sentences

pytestmark = pytest.mark.django_db
PAGE = "insight:suggestions"
RETRAIN = "insight:retrain_classifier"
XHR = {"x-requested-with": "XMLHttpRequest"}
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def no_mfa(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    classifier._current.clear()


@pytest.fixture
def coded():
    themes = make_themes()
    rows = list(sentences())
    add_items([text for text, _s in rows], coded_with=[s for _t, s in rows], themes=themes)
    return themes


def page_text(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_no_model_yet_is_said_plainly(client, officer):
    client.force_login(officer)
    text = page_text(client)
    assert "No model yet" in text
    assert "Training needs at least 30 coded items" in text
    assert "Retrain now" in text


def test_figures_in_plain_words_per_theme_and_themes_left_out(client, officer, coded):
    parking = Theme.objects.create(name="Parking zones", slug="parking-zones")
    [item] = add_items(["Parking permits cost too much"], coded_with=[("housing",)],
                       themes=coded, start=900)
    item.themes.set([parking])
    model = classifier.train()
    client.force_login(officer)
    text = page_text(client)
    precision, recall = round(model.precision * 100), round(model.recall * 100)
    assert (f"Of the themes it suggested for items it had not seen, {precision}% were the ones "
            f"officers chose (precision); it found {recall}% of the themes officers chose "
            "(recall).") in text
    assert f"on {model.trained_on} coded items" in text
    assert f"without {model.held_back} of them" in text
    for slug in ("housing", "transport", "community-safety"):
        entry = model.per_theme[slug]
        assert f'<th scope="row">{entry["name"]}</th><td>{entry["examples"]}</td>' in text
    assert "Themes it does not suggest yet" in text and "Parking zones: 1 coded item" in text


def test_a_refused_training_says_why(client, officer):
    themes = make_themes()
    rows = list(sentences())[:12]
    add_items([t for t, _s in rows], coded_with=[s for _t, s in rows], themes=themes)
    assert classifier_tasks.retrain_now() == classifier_tasks.REFUSED
    client.force_login(officer)
    text = page_text(client)
    assert "Last training refused" in text
    assert "Only 12 items are coded with a theme so far; suggestions need at least 30." in text


@override_settings(TASKS=NO_WORKER)
def test_retrain_now_queues_once_and_shows_queued(client, officer, coded):
    client.force_login(officer)
    response = client.post(reverse(RETRAIN), follow=True)
    text = " ".join(response.content.decode().split())
    assert "Retraining queued." in text  # the message and the status line
    assert classifier_tasks.status() == "queued"
    again = client.post(reverse(RETRAIN), follow=True)
    assert "A retrain is already queued or running." in again.content.decode()
    assert not ClassifierModel.objects.exists()  # queued, not run in the request


def test_retrain_now_with_the_immediate_backend_trains(client, officer, coded,
                                                       django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(RETRAIN))
    assert response.status_code == 302 and response.url == reverse(PAGE)
    assert ClassifierModel.objects.count() == 1


def test_retrain_is_post_only(client, officer):
    client.force_login(officer)
    assert client.get(reverse(RETRAIN)).status_code == 405


def test_councillor_reads_but_cannot_retrain(client, councillor, coded):
    client.force_login(councillor)
    text = page_text(client)
    assert "Retrain now" not in text
    # PermissionDenied: Wagtail's admin answers a script 403, and a browser a redirect to the
    # dashboard with "Sorry, you do not have permission".
    assert client.post(reverse(RETRAIN), headers=XHR).status_code == 403
    refused = client.post(reverse(RETRAIN))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert not ClassifierModel.objects.exists() and classifier_tasks.status() is None


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302 and "login" in response.url
    posted = client.post(reverse(RETRAIN))
    assert posted.status_code == 302 and "login" in posted.url
    assert not cache.get(classifier_tasks.QUEUED_KEY)


@pytest.mark.parametrize("group", [None, "VCS organisations"])
def test_residents_and_vcs_members_are_refused(client, group, coded):
    client.force_login(make_user("someone@example.org", group))
    assert client.get(reverse(PAGE)).status_code == 403
    assert client.post(reverse(RETRAIN)).status_code == 403
    assert not cache.get(classifier_tasks.QUEUED_KEY) and not ClassifierModel.objects.exists()
