"""The shape shared by the demo loaders that build pages under the home page."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale


class DemoPagesCommand(BaseCommand):
    """Loads demo content under the default-language home page in one transaction.

    Subclasses implement `load(home)`, which returns what `loaded_message` reports, and may
    override `after_load()` for work that must follow the commit. `--dry-run` rolls it all back.
    """

    loaded_message = "Demo content loaded."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Show what would be created and save nothing.")

    def handle(self, *args, dry_run=False, **options):
        from portal.pages.models import HomePage

        home = HomePage.objects.filter(locale=Locale.get_default()).first()
        if home is None:
            raise CommandError("No home page: run load_demo_data first.")
        with transaction.atomic():
            result = self.load(home)
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
                return
        self.after_load()
        self.stdout.write(self.style.SUCCESS(self.loaded_message.format(result=result)))

    def load(self, home):
        raise NotImplementedError

    def after_load(self):
        """Runs once the demo content is committed."""
