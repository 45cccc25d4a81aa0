"""Background work (django-tasks): the staleness reminders, run daily by the scheduler/cron."""

from django.conf import settings
from django_tasks import task

from . import moderation


@task()
def send_staleness_reminders() -> int:
    """Email organisations a one-click "still correct" link for assets unchecked for a year."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return moderation.send_staleness_reminders(lambda path: f"{base}{path}")
