"""The admin upload form for the deprivation import (the same service as the command)."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from .importer import DeprivationImportReport, import_deprivation

MAX_FILE_BYTES = 20 * 1024 * 1024
CSV_ONLY = FileExtensionValidator(["csv"], message=_(
    "Choose a .csv file. “%(extension)s” files cannot be imported."))


class DeprivationImportForm(forms.Form):
    boundaries = forms.FileField(
        label=_("LSOA boundaries"),
        help_text=_("A GeoJSON FeatureCollection of LSOAs in WGS84 longitude/latitude, such as "
                    "the ONS LSOA 2011 boundaries (properties LSOA11CD and LSOA11NM)."),
        validators=[FileExtensionValidator(["geojson", "json"], message=_(
            "Choose a .geojson or .json file. “%(extension)s” files cannot be imported."))],
    )
    imd = forms.FileField(label=_("IMD ranks and deciles (File 1)"), validators=[CSV_ONLY],
                          help_text=_("IoD2019 File 1 as CSV."))
    population = forms.FileField(label=_("Population (File 6)"), validators=[CSV_ONLY],
                                 help_text=_("IoD2019 File 6 as CSV."))
    domains = forms.FileField(label=_("Domains (File 2)"), required=False,
                              validators=[CSV_ONLY],
                              help_text=_("Optional: IoD2019 File 2 as CSV."))
    dry_run = forms.BooleanField(
        label=_("Dry run"), required=False,
        help_text=_("Check the files and show what would change, without saving anything."))

    report: DeprivationImportReport | None = None

    def clean(self):
        cleaned = super().clean()
        for name in ("boundaries", "imd", "population", "domains"):
            upload = cleaned.get(name)
            if upload and upload.size > MAX_FILE_BYTES:
                self.add_error(name, _("The file is larger than 20 MB."))
        return cleaned

    def run_import(self) -> DeprivationImportReport:
        """Import the uploaded files; problems become form errors (nothing is saved then)."""
        data = self.cleaned_data
        self.report = import_deprivation(
            boundaries=data["boundaries"].read(), imd=data["imd"].read(),
            population=data["population"].read(),
            domains=data["domains"].read() if data.get("domains") else None,
            dry_run=data.get("dry_run", False))
        for _line, message in self.report.problems:
            self.add_error(None, message)
        if self.report.problems.more_text():
            self.add_error(None, self.report.problems.more_text())
        return self.report
