"""Recompute the live rankings when they are stale: a safety net for cron (say every 15 min).

Evidence changes queue the refresh job themselves; this catches what they cannot (a lost job,
a bulk load that sent no signals). It computes here, in this process, under the same lock as
the job, so it never runs alongside a worker's refresh. ``--queue`` hands it to the task worker
instead; ``--force`` refreshes even when the stored rankings are up to date.
"""

from django.core.management.base import BaseCommand

from priorities import tasks
from priorities.ranking import ranking_status


class Command(BaseCommand):
    help = ("Recompute every neighbourhood's live ranking if the evidence changed since the "
            "last one (for cron, as a safety net behind the task queue).")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Recompute even when the stored rankings are up to date.")
        parser.add_argument("--queue", action="store_true",
                            help="Queue the job for the task worker instead of computing here.")

    def handle(self, *args, force=False, queue=False, **options):
        if not force and not ranking_status().stale:
            self.stdout.write("The rankings are up to date.")
            return
        if queue:
            queued = tasks.request_refresh()
            self.stdout.write("Refresh queued." if queued else "A refresh is already queued.")
            return
        outcome = tasks.refresh_now()
        if outcome == tasks.BUSY:
            self.stdout.write("Another process is computing the rankings; nothing done.")
        else:
            self.stdout.write(self.style.SUCCESS("Rankings refreshed."))
