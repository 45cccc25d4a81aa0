"""Import LSOA boundaries and the English Indices of Deprivation 2019, then aggregate."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.deprivation.importer import import_deprivation


class Command(BaseCommand):
    help = _(
        "Import LSOA boundaries (GeoJSON, WGS84) with the English Indices of Deprivation 2019 "
        "(File 1, optional File 2 domains, File 6 population) and recompute every "
        "neighbourhood's need. All or nothing: with any problem nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("--boundaries", type=Path, required=True,
                            help=_("LSOA boundaries as a GeoJSON FeatureCollection."))
        parser.add_argument("--imd", type=Path, required=True,
                            help=_("IoD2019 File 1: IMD rank and decile by LSOA (CSV)."))
        parser.add_argument("--domains", type=Path,
                            help=_("IoD2019 File 2: domain ranks and deciles (CSV)."))
        parser.add_argument("--population", type=Path, required=True,
                            help=_("IoD2019 File 6: population denominators (CSV)."))
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Check the files and report, without saving anything."))

    def handle(self, *args, boundaries, imd, domains, population, dry_run, **options):
        for path in filter(None, [boundaries, imd, domains, population]):
            if not path.is_file():
                raise CommandError(_("There is no file at %(path)s.") % {"path": path})
        report = import_deprivation(boundaries=boundaries, imd=imd, population=population,
                                    domains=domains, dry_run=dry_run)
        if not report.ok:
            lines = [report.summary(), *report.messages]
            if report.problems.more_text():
                lines.append(report.problems.more_text())
            raise CommandError("\n".join(lines))
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for note in report.notes():
            self.stdout.write(self.style.WARNING(note))
