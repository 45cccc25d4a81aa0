"""Forms of the feedback importer: the upload (with its source) and the column mapping."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from priorities.models import FeedbackItem

from .importing_files import FileProblem, read_table
from .importing_rows import DATE_FORMATS, fields
from .models import ImportRun, ImportSource


class UploadForm(forms.Form):
    """Choose or name the source, and the file; the file is read here, so a file that cannot
    be imported is refused before anything is stored."""

    source = forms.ModelChoiceField(
        ImportSource.objects.all(), required=False, label=gettext_lazy("Source"),
        empty_label=gettext_lazy("A new source (name it below)"),
        help_text=gettext_lazy("Where the file comes from. Its column mapping is remembered."))
    new_name = forms.CharField(label=gettext_lazy("Name of a new source"), required=False,
                               max_length=120)
    new_channel = forms.ChoiceField(
        label=gettext_lazy("Channel of a new source"), required=False,
        choices=[("", gettext_lazy("Choose a channel")), *FeedbackItem.SOURCE_CHOICES])
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        error_messages={
            "required": gettext_lazy("Choose a CSV or XLSX file to import."),
            "empty": gettext_lazy("The file is empty. Choose the CSV or XLSX file with the "
                                  "feedback in it.")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.table = read_table(upload, upload.name)
        except FileProblem as problem:
            raise ValidationError(str(problem)) from None
        return upload

    def clean(self):
        data = super().clean()
        if data.get("source") is None:
            name = (data.get("new_name") or "").strip()
            if not name:
                self.add_error("new_name", _("Choose a source, or enter the name of a new one."))
            elif ImportSource.objects.filter(name__iexact=name).exists():
                self.add_error("new_name", _("There is already a source called “%(name)s”: "
                                             "choose it in the list.") % {"name": name})
            if not data.get("new_channel"):
                self.add_error("new_channel", _("Choose the channel of the new source."))
        return data

    def save(self, user) -> ImportRun:
        data = self.cleaned_data
        source = data["source"] or ImportSource.objects.create(
            name=data["new_name"].strip(), channel=data["new_channel"])
        upload = data["file"]
        upload.seek(0)
        return ImportRun.objects.create(source=source, file=upload, original_name=upload.name,
                                        created_by=user, state=ImportRun.UPLOADED)


def field_name(key: str) -> str:
    return key.replace(":", "__")


class MappingForm(forms.Form):
    """For each field, the column of the file that holds it; required fields must be mapped."""

    def __init__(self, *args, headings: list[str], initial_mapping: dict, date_format: str,
                 **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Not in the file")), *((h, h) for h in headings)]
        self.items = fields()
        for item in self.items:
            self.fields[field_name(item.key)] = forms.ChoiceField(
                label=item.label, choices=choices, required=False,
                initial=initial_mapping.get(item.key, ""))
            self.fields[field_name(item.key)].required_field = item.required
        self.fields["date_format"] = forms.ChoiceField(
            label=_("How dates like 03/10/2026 are written"), choices=DATE_FORMATS,
            required=False, initial=date_format)

    def clean(self):
        data = super().clean()
        for item in self.items:
            if item.required and not data.get(field_name(item.key)):
                self.add_error(field_name(item.key), _(
                    "Choose the column that holds the %(field)s: every row needs it.") % {
                    "field": str(item.label).lower()})
        return data

    def mapping(self) -> dict[str, str]:
        return {item.key: self.cleaned_data[field_name(item.key)] for item in self.items
                if self.cleaned_data.get(field_name(item.key))}
