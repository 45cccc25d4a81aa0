"""What follows from publishing a plan and creating a plan index (connected in apps.py)."""

from .trail import rebuild_trail
from .workflow import ensure_governance


def plan_published(sender, instance, **kwargs):
    """Link the plan's actions to the survey and forum pages behind their priorities."""
    rebuild_trail(instance)


def index_saved(sender, instance, created, raw=False, **kwargs):
    """A new plan index gets the approval workflow and the plan page permissions."""
    if created and not raw:
        ensure_governance(instance)
