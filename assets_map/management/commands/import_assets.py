from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assets_map.importers import import_assets_csv


class Command(BaseCommand):
    help = ("Import community assets from a CSV file (the portal's export layout or the public "
            "libraries list). Idempotent by external id; bad rows are reported and skipped.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file to import")
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, path, dry_run=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        report = import_assets_csv(file.read_bytes(), dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
