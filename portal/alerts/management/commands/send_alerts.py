"""Queue the alerts job (`send_alerts`, every few minutes or hourly) or the weekly digest
(`send_alerts --digest`, once a week); the task worker sends them."""

from django.core.management.base import BaseCommand

from portal.alerts.sending import send_immediate_alerts, send_weekly_digest


class Command(BaseCommand):
    help = "Queue immediate alerts for new happenings, or with --digest the weekly digest."

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true",
                            help="Send the weekly digest to people who asked for one.")

    def handle(self, *args, digest=False, **options):
        job = send_weekly_digest if digest else send_immediate_alerts
        result = job.enqueue()
        self.stdout.write(f"Queued {job.name} ({result.id})")
