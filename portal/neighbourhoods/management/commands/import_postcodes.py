"""Load the offline postcode table from the ONS Postcode Directory (ONSPD) CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.neighbourhoods.districts import configured_districts, covered_districts
from portal.neighbourhoods.postcode_import import PostcodeImportError, import_postcodes


def districts_summary() -> str:
    """Which postcode districts count as the area's now, and where that comes from."""
    districts = ", ".join(sorted(covered_districts())) or _("none")
    if configured_districts():
        return _("Postcode districts in the area (PORTAL_POSTCODE_DISTRICTS): %(districts)s.") % {
            "districts": districts}
    return _("Postcode districts in the area (from the postcodes inside a neighbourhood): "
             "%(districts)s.") % {"districts": districts}


class Command(BaseCommand):
    help = _(
        "Add or update postcodes from an ONS Postcode Directory CSV (columns pcds or pcd, lat, "
        "long, doterm). Postcodes without a location are skipped; terminated ones are kept and "
        "marked. Safe to run again with a newer file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=_("The ONSPD CSV file."))
        parser.add_argument(
            "--dry-run", action="store_true",
            help=_("Read the file and count what would change, without saving anything."),
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000,
            help=_("Postcodes written per database statement (default 5000)."),
        )
        parser.add_argument(
            "--progress-every", type=int, default=100_000,
            help=_("Report progress after this many rows (default 100000)."),
        )

    def handle(self, *args, path, dry_run, batch_size, progress_every, **options):
        if batch_size < 1 or progress_every < 1:
            raise CommandError(_("--batch-size and --progress-every must be at least 1."))

        def show_progress(rows_read):
            self.stdout.write(_("%(rows)d rows read…") % {"rows": rows_read})

        try:
            report = import_postcodes(
                path, dry_run=dry_run, batch_size=batch_size,
                progress=show_progress, progress_every=progress_every,
            )
        except FileNotFoundError as exc:
            raise CommandError(_("There is no file at %(path)s.") % {"path": path}) from exc
        except PostcodeImportError as exc:
            raise CommandError(exc.message) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                _("The file is not a UTF-8 CSV file (%(error)s).") % {"error": exc}
            ) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
        if not dry_run:
            self.stdout.write(districts_summary())
