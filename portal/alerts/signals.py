"""Publishing a page queues the immediate alerts job once the publish is committed, so alerts
go out soon after (the worker sends them, never the publishing request)."""

from django.db import transaction


def queue_alerts_on_publish(sender, instance, **kwargs):
    from .sending import queue_soon

    transaction.on_commit(queue_soon)
