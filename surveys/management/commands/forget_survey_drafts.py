"""Delete saved, unsubmitted survey answers once their survey has closed or their emailed link
has expired (surveys.drafts). Run daily."""

from django.core.management.base import BaseCommand

from surveys.drafts import delete_expired


class Command(BaseCommand):
    help = ("Delete half-answered surveys kept to finish later (under an account, or behind an "
            "emailed link) once their survey has closed or their link has expired. Run daily.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Say what would be deleted, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        verb = "would be deleted" if dry_run else "deleted"

        def progress(survey, count):
            self.stdout.write(f"  {survey.title}: {count} saved "
                              f"draft{'s' if count != 1 else ''} {verb}")

        total = delete_expired(dry_run=dry_run, progress=progress)
        summary = (f"{'Dry run: ' if dry_run else ''}{total} saved "
                   f"draft{'s' if total != 1 else ''} {verb}.")
        self.stdout.write(self.style.SUCCESS(summary))
