"""Rebuild the community insight index from every source (after an upgrade or a restore)."""

from django.core.management.base import BaseCommand

from insight.sources import all_sources, refresh


class Command(BaseCommand):
    help = ("Bring the community insight index up to date with every source: community "
            "feedback and each feature app's free text. Coding is kept; items whose origin has "
            "gone are removed. Safe to run at any time.")

    def handle(self, *args, **options):
        for source in all_sources():
            written = refresh(source)
            self.stdout.write(f"{source.label}: {written} rows written")
