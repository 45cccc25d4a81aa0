"""System checks: every installed app's evidence module keeps the contract priorities reads.

Registered in `PrioritiesConfig.ready()`, so `manage.py check`, `runserver` and the test run
report a broken module (priorities.E001 to E005) before a ranking is ever computed.
"""

from django.core.checks import Error

from . import evidence_contract, registry

HINT = "See the evidence contract in priorities/evidence_contract.py (docs/priorities.md)."


def check_evidence_modules(app_configs=None, **kwargs) -> list[Error]:
    """An Error for each way an installed app's ``evidence`` module breaks the contract."""
    errors = []
    for app_config, module in registry.evidence_modules():
        if app_configs is not None and app_config not in app_configs:
            continue
        for problem_id, message in evidence_contract.problems(module):
            errors.append(Error(message, hint=HINT, obj=module.__name__, id=problem_id))
    return errors
