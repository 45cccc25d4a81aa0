"""Forms of the neighbourhoods app."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .boundary_import import (
    BoundaryImportError,
    ImportReport,
    guess_property_names,
    import_boundaries,
    load_feature_collection,
)
from .models import Locality

MAX_BOUNDARY_FILE_BYTES = 5 * 1024 * 1024


class BoundaryImportForm(forms.Form):
    """Upload a GeoJSON FeatureCollection of boundaries; `run_import` does the work."""

    file = forms.FileField(
        label=_("Boundary file"),
        help_text=_("A GeoJSON FeatureCollection (.geojson or .json, up to 5 MB) in WGS84 "
                    "longitude/latitude, such as an ONS ward or LSOA boundary file."),
        validators=[FileExtensionValidator(["geojson", "json"], message=_(
            "Choose a .geojson or .json file. “%(extension)s” files cannot be imported."
        ))],
    )
    code_property = forms.CharField(
        label=_("Code property"), required=False, max_length=100,
        help_text=_("The feature property holding each neighbourhood's code, like WD13CD. "
                    "Leave empty for ONS ward, LSOA, MSOA or district files."),
    )
    name_property = forms.CharField(
        label=_("Name property"), required=False, max_length=100,
        help_text=_("The feature property holding each neighbourhood's name, like WD13NM. "
                    "Leave empty for ONS files."),
    )
    locality = forms.ModelChoiceField(
        label=_("Locality"), queryset=Locality.objects.all(), required=False,
        empty_label=_("Keep each neighbourhood's locality"),
        help_text=_("Put every imported neighbourhood in this locality."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"), required=False,
        help_text=_("Check the file and show what would change, without saving anything."),
    )

    feature_collection: dict | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BOUNDARY_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB. Choose a file of 5 MB or less, or simplify the "
                  "boundaries before you upload them.") % {"size": upload.size / 1024 / 1024},
                code="too_large",
            )
        try:
            self.feature_collection = load_feature_collection(upload.read())
        except BoundaryImportError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.feature_collection is None:
            return cleaned
        guessed_code, guessed_name = guess_property_names(self.feature_collection)
        cleaned["code_property"] = cleaned.get("code_property") or guessed_code or ""
        cleaned["name_property"] = cleaned.get("name_property") or guessed_name or ""
        return cleaned

    def run_import(self) -> ImportReport:
        """Import the validated file; problems become form errors, next to the field at fault."""
        report = import_boundaries(
            self.feature_collection,
            self.cleaned_data["code_property"],
            self.cleaned_data["name_property"],
            locality=self.cleaned_data.get("locality"),
            dry_run=self.cleaned_data.get("dry_run", False),
        )
        for problem in report.problems:
            field = {"document": "file"}.get(problem.parameter, problem.parameter)
            self.add_error(field, forms.ValidationError(problem.message, code=problem.code))
        return report


class BoundaryField(forms.JSONField):
    """The boundary as GeoJSON text; JSON nested too deeply to parse is an error on the field
    (Django's JSONField lets the parser's RecursionError through, a server error)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except RecursionError:
            raise ValidationError(
                _("The boundary is not a GeoJSON polygon: its arrays are nested too deeply to "
                  "read (a polygon's coordinates nest four arrays deep)."), code="too_deep",
            ) from None

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return InvalidJSONInput(data)  # shown again as typed, next to the message


class NeighbourhoodForm(WagtailAdminModelForm):
    """The neighbourhood snippet's form in the admin."""

    boundary = BoundaryField(
        label=_("boundary"),
        help_text=_("A GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )

