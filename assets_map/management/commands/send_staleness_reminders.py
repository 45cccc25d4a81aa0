from django.core.management.base import BaseCommand

from assets_map.tasks import send_staleness_reminders


class Command(BaseCommand):
    help = ("Queue the staleness reminders: each organisation with assets not checked for 12 "
            "months gets an email with one-click “still correct” links. Run it daily (cron).")

    def handle(self, *args, **options):
        result = send_staleness_reminders.enqueue()
        self.stdout.write(f"Staleness reminders queued (task {result.id}).")
