"""Clear the network and browser hashes of survey responses a set time after their survey
closes (PORTAL_RESPONSE_HASH_RETENTION_DAYS). Run daily."""

from django.core.management.base import BaseCommand, CommandError

from surveys.erasure import forget_expired_hashes, retention_days


class Command(BaseCommand):
    help = ("Clear the keyed hashes of the network address and browser kept with survey "
            "responses (for spotting duplicates), once their survey closed more than "
            "PORTAL_RESPONSE_HASH_RETENTION_DAYS days ago (default 90). Run daily.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Say what would be cleared, change nothing.")
        parser.add_argument("--days", type=int, default=None,
                            help="Days after a survey closes (default: the setting).")

    def handle(self, *args, dry_run=False, days=None, **options):
        days = retention_days() if days is None else days
        if days < 0:
            raise CommandError("--days cannot be negative.")
        verb = "would clear" if dry_run else "cleared"

        def progress(survey, count):
            self.stdout.write(f"  {survey.title} (closed {survey.closes_at:%Y-%m-%d}): {verb} "
                              f"the hashes of {count} response{'s' if count != 1 else ''}")

        self.stdout.write(f"Surveys closed more than {days} days ago:")
        total = forget_expired_hashes(days=days, dry_run=dry_run, progress=progress)
        summary = (f"{'Dry run: ' if dry_run else ''}{total} response"
                   f"{'s' if total != 1 else ''} {verb}.")
        self.stdout.write(self.style.SUCCESS(summary))
