from django.core.management.base import BaseCommand

from forums.notifications import send_reminders
from forums.registrations import remove_unconfirmed


class Command(BaseCommand):
    help = (
        "Email a reminder to everyone registered for a forum that starts within the next "
        "24 hours. Each person is reminded once, so run it as often as you like (for example "
        "hourly from cron or a scheduler). It also deletes registration requests whose email "
        "address was not confirmed within 48 hours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="List who would be reminded; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        sent = send_reminders(dry_run=dry_run)
        for registration in sent:
            self.stdout.write(f"  {registration.event.title}: {registration.email}")
        verb = "Would remind" if dry_run else "Reminded"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(sent)} people."))
        removed = remove_unconfirmed(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(f"{verb} {removed} unconfirmed registration requests (over 48 hours "
                          "old).")
