"""Import population figures per neighbourhood from a CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from priorities.population import import_population


class Command(BaseCommand):
    help = ("Import population figures from CSV with the columns neighbourhood (name or code), "
            "characteristic, category, people and optionally source. Every row is checked "
            "first; if any row has a problem nothing is saved and each problem is listed.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (UTF-8).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check the file and report, saving nothing.")

    def handle(self, *args, path, dry_run=False, **options):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        report = import_population(text, dry_run=dry_run)
        for number, message in report.errors:
            self.stdout.write(self.style.ERROR(f"Row {number}: {message}"))
        if report.errors.unlisted:
            self.stdout.write(self.style.ERROR(report.errors.more_text()))
        if report.errors:
            raise CommandError(f"{len(report.errors)} rows have problems; nothing was saved.")
        verb = "Would add" if dry_run else "Added"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {report.created} figures and {'would update' if dry_run else 'updated'} "
            f"{report.updated}." + (" Dry run: nothing was saved." if dry_run else "")))
