"""Retraining in the background: after enough new codings or while there is no model, debounced,
one at a time, and a refusal remembered."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django_tasks import default_task_backend

from insight import classifier, classifier_tasks
from insight.models import ClassifierModel
from insight.suggestions import coding_saved

from .test_classifier import add_items, make_themes, sentences

pytestmark = pytest.mark.django_db
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def themes():
    return make_themes()


@pytest.fixture(autouse=True)
def fresh_model_cache():
    classifier._current.clear()
    yield
    classifier._current.clear()


def code(themes, rows, start=1):
    return add_items([text for text, _s in rows], coded_with=[s for _t, s in rows],
                     themes=themes, start=start)


def _queued() -> list[str]:
    return [result.task.name for result in default_task_backend.results
            if result.task.name == "retrain_classifier"]


def test_first_coding_trains_a_model_when_none_exists(themes,
                                                      django_capture_on_commit_callbacks):
    code(themes, list(sentences()))
    with django_capture_on_commit_callbacks(execute=True):
        coding_saved(1)  # the immediate backend runs the task on commit
    model = ClassifierModel.objects.get()
    assert model.trained_on == 126 and model.precision > 0.6
    assert classifier_tasks.status() is None  # queued flag and lock are released


@override_settings(TASKS=NO_WORKER, INSIGHT_RETRAIN_EVERY=5)
def test_retrain_is_queued_once_after_enough_codings(themes,
                                                     django_capture_on_commit_callbacks):
    code(themes, list(sentences()))
    classifier_tasks.retrain_now()
    assert ClassifierModel.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(4):
            coding_saved(1)
    assert _queued() == []  # 4 < 5: nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        coding_saved(1)
        assert classifier_tasks.status() == "queued"
        coding_saved(3)  # a burst queues one job
        coding_saved(10)
    assert _queued() == ["retrain_classifier"]
    assert classifier_tasks.retrain_classifier.call() == classifier_tasks.DONE  # the worker
    assert ClassifierModel.objects.count() == 2
    assert cache.get(classifier_tasks.COUNTER_KEY) == 0


def test_the_lock_stops_a_second_concurrent_job(themes, monkeypatch):
    code(themes, list(sentences()))
    cache.add(classifier_tasks.LOCK_KEY, "another worker", 60)
    monkeypatch.setattr(classifier, "train", lambda **kw: pytest.fail("trained"))
    assert classifier_tasks.retrain_now() == classifier_tasks.BUSY
    assert classifier_tasks.status() == "training"


@override_settings(TASKS=NO_WORKER)
def test_a_refusal_is_remembered_and_not_retried_at_every_coding(
        themes, django_capture_on_commit_callbacks):
    rows = list(sentences())
    code(themes, rows[:10])
    assert classifier_tasks.retrain_now() == classifier_tasks.REFUSED
    refusal = classifier_tasks.last_refusal()
    assert "Only 10 items" in refusal["reason"] and refusal["coded"] == 10
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(classifier_tasks.RETRY_AFTER_REFUSAL - 1):
            coding_saved(1)
    assert _queued() == []
    code(themes, rows[10:], start=100)
    with django_capture_on_commit_callbacks(execute=True):
        coding_saved(1)
    assert _queued() == ["retrain_classifier"]
    assert classifier_tasks.retrain_classifier.call() == classifier_tasks.DONE
    assert classifier_tasks.last_refusal() is None and ClassifierModel.objects.exists()


def test_nothing_is_queued_before_the_commit(themes, django_capture_on_commit_callbacks):
    code(themes, list(sentences()))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        coding_saved(1)
        assert not ClassifierModel.objects.exists()
    assert len(callbacks) == 1 and not ClassifierModel.objects.exists()
