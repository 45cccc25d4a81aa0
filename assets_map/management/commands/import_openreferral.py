from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assets_map.importers import import_openreferral


class Command(BaseCommand):
    help = ("Import Open Referral UK 3.0 services (JSON) as assets and services. Idempotent by "
            "id; bad items are reported and skipped.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON file: a service, a list, or a list page")
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, path, dry_run=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        for line in import_openreferral(file.read_bytes(), dry_run=dry_run).lines():
            self.stdout.write(line)
