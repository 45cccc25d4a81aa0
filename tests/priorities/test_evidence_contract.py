"""The evidence contract: the installed apps' evidence modules keep it, and the system check
reports a module that does not, with a clear id."""

from types import ModuleType

import pytest
from django.apps import apps
from django.core import checks
from django.core.management import call_command

from priorities import checks as priorities_checks
from priorities import evidence_contract, registry


def fake_module(**attributes) -> ModuleType:
    module = ModuleType("fake.evidence")
    for name, value in attributes.items():
        setattr(module, name, value)
    return module


def rows(since=None, until=None):
    return iter(())


@pytest.fixture
def installed(monkeypatch):
    """Pretend the given module is the only installed evidence module (app "fake")."""

    def install(module):
        app_config = apps.get_app_config("priorities")
        monkeypatch.setattr(registry, "evidence_modules", lambda: [(app_config, module)])

    return install


def test_the_installed_evidence_modules_keep_the_contract():
    modules = registry.evidence_modules()
    assert {app_config.label for app_config, _module in modules} == {
        "priorities", "surveys", "forums", "assets_map"}
    for _app_config, module in modules:
        assert isinstance(module, evidence_contract.EvidenceModule)
        assert evidence_contract.problems(module) == []
    assert priorities_checks.check_evidence_modules() == []
    call_command("check", "priorities")  # raises SystemCheckError on any error


def test_a_module_keeping_the_whole_contract_has_no_problems():
    module = fake_module(rows=rows, SOURCE_GROUP="forums", CONTEXT_ONLY=False,
                         CHANGES_WITH=("priorities.FeedbackItem",), people=rows,
                         participants=rows, characteristics=list, pages=rows)
    assert evidence_contract.problems(module) == []
    for protocol in (evidence_contract.PeopleSource, evidence_contract.ParticipantsSource,
                     evidence_contract.CharacteristicsSource, evidence_contract.PagesSource):
        assert isinstance(module, protocol)
    assert not isinstance(fake_module(rows=rows), evidence_contract.PeopleSource)


@pytest.mark.parametrize(("attributes", "problem_id", "words"), [
    ({}, "priorities.E001", "has no rows(since, until) function"),
    ({"rows": "not a function"}, "priorities.E001", "has no rows(since, until) function"),
    ({"rows": rows, "SOURCE_GROUP": 3}, "priorities.E002", "SOURCE_GROUP must be"),
    ({"rows": rows, "SOURCE_GROUP": ""}, "priorities.E002", "SOURCE_GROUP must be"),
    ({"rows": rows, "CHANGES_WITH": ("priorities.NoSuchModel",)}, "priorities.E003",
     "'priorities.NoSuchModel', which is not an installed model"),
    ({"rows": rows, "CHANGES_WITH": ("FeedbackItem",)}, "priorities.E003",
     "'FeedbackItem', which is not an installed model"),
    ({"rows": rows, "CHANGES_WITH": "priorities.FeedbackItem"}, "priorities.E003",
     "must be a tuple of model labels"),
    ({"rows": rows, "people": 12}, "priorities.E004", "fake.evidence.people must be a function"),
    ({"rows": rows, "pages": None}, "priorities.E004", "fake.evidence.pages must be a function"),
    ({"rows": rows, "characteristics": ["age"]}, "priorities.E004",
     "fake.evidence.characteristics must be a function"),
    ({"rows": rows, "CONTEXT_ONLY": "yes"}, "priorities.E005", "CONTEXT_ONLY must be True"),
])
def test_the_check_reports_a_module_breaking_the_contract(installed, attributes, problem_id,
                                                          words):
    installed(fake_module(**attributes))
    (error,) = priorities_checks.check_evidence_modules()
    assert error.id == problem_id and error.level == checks.ERROR
    assert words in error.msg and error.obj == "fake.evidence"
    assert "evidence_contract" in error.hint


def test_the_check_is_registered_and_runs_at_start_up(installed):
    installed(fake_module(SOURCE_GROUP=None))
    ids = {error.id for error in checks.run_checks() if error.id.startswith("priorities.")}
    assert ids == {"priorities.E001", "priorities.E002"}


def test_a_module_without_rows_is_left_out_of_the_sources(monkeypatch):
    app_config = apps.get_app_config("priorities")
    good = fake_module(rows=rows, SOURCE_GROUP="feedback")
    monkeypatch.setattr(registry, "evidence_modules",
                        lambda: [(app_config, fake_module()), (app_config, good)])
    registry.sources.cache_clear()
    try:
        assert [source.module for source in registry.sources()] == [good]
    finally:
        registry.sources.cache_clear()
