"""Import neighbourhood boundaries from a GeoJSON FeatureCollection (for example ONS wards)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.neighbourhoods.boundary_import import (
    BoundaryImportError,
    guess_property_names,
    import_boundaries,
    load_feature_collection,
    property_names,
)


class Command(BaseCommand):
    help = _(
        "Create or update neighbourhoods from a GeoJSON FeatureCollection, matched by code. "
        "All or nothing: if any feature has a problem, nothing is saved and every problem is "
        "listed. ONS ward and LSOA files (WD13CD/WD13NM, LSOA11CD/LSOA11NM, ...) need no "
        "property options."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=_("The .geojson or .json file to import."))
        parser.add_argument(
            "--code-property",
            help=_("The feature property holding each neighbourhood's code (default: the ONS "
                   "code property, such as WD13CD or LSOA11CD, when the file has one)."),
        )
        parser.add_argument(
            "--name-property",
            help=_("The feature property holding each neighbourhood's name (default: the ONS "
                   "name property, such as WD13NM or LSOA11NM)."),
        )
        parser.add_argument(
            "--locality",
            help=_("Put every imported neighbourhood in this locality (created if needed)."),
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help=_("Check the file and report what would change, without saving anything."),
        )

    def handle(self, *args, path, code_property, name_property, locality, dry_run, **options):
        try:
            collection = load_feature_collection(path)
        except FileNotFoundError as exc:
            raise CommandError(_("There is no file at %(path)s.") % {"path": path}) from exc
        except BoundaryImportError as exc:
            raise CommandError(exc.message) from exc

        guessed_code, guessed_name = guess_property_names(collection)
        code_property = code_property or guessed_code
        name_property = name_property or guessed_name
        if not code_property or not name_property:
            raise CommandError(
                _("Give --code-property and --name-property: the file does not use the usual ONS "
                  "names. Its features have these properties: %(available)s.")
                % {"available": ", ".join(property_names(collection)) or _("none")}
            )
        self.stdout.write(
            _("Reading codes from “%(code)s” and names from “%(name)s”.")
            % {"code": code_property, "name": name_property}
        )

        report = import_boundaries(
            collection, code_property, name_property, locality=locality, dry_run=dry_run
        )
        if not report.ok:
            raise CommandError("\n".join([report.summary(), *report.messages]))
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for warning in report.warning_messages:
            self.stdout.write(self.style.WARNING(warning))
