"""Forms: community feedback intake, scoring weights, decisions, trend filters, imports."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.themes.models import Theme
from portal.uploads import check_file_size

from .models import FeedbackItem, ScoringWeights, SnapshotPriority

# The ways `feedback.feedback_trends` can count community feedback.
TREND_GROUPS = {"source": _("Source"), "neighbourhood": _("Neighbourhood"), "theme": _("Theme")}


class FeedbackItemForm(WagtailAdminModelForm):
    """Officers' intake of community feedback: neighbourhood and at least one theme needed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.was_flagged = bool(self.instance.pk and self.instance.safeguarding)
        if "neighbourhood" in self.fields:
            self.fields["neighbourhood"].error_messages["required"] = _(
                "Choose the neighbourhood this feedback is about.")
        if "themes" in self.fields:
            current = set(self.instance.themes.values_list("pk", flat=True)) \
                if self.instance.pk else set()
            self.fields["themes"].queryset = Theme.objects.filter(
                is_active=True) | Theme.objects.filter(pk__in=current)
            self.fields["themes"].error_messages["required"] = _(
                "Choose at least one theme, so this feedback counts as evidence.")
        if "text" in self.fields:
            self.fields["text"].error_messages["required"] = _("Enter what was said.")
        if "received_on" in self.fields:
            self.fields["received_on"].error_messages["required"] = _(
                "Enter the date the feedback was given.")
            self.fields["received_on"].error_messages["invalid"] = _(
                "Enter the date as a real date, for example 2026-03-27.")
        if "source" in self.fields:
            self.fields["source"].error_messages["required"] = _(
                "Choose where the feedback came from.")

    @property
    def newly_flagged(self) -> bool:
        return bool(self.cleaned_data.get("safeguarding")) and not self.was_flagged

    class Meta:
        model = FeedbackItem
        fields = ["source", "source_detail", "received_on", "neighbourhood", "text", "themes",
                  "sentiment", "people_count", "safeguarding"]
        widgets = {"themes": forms.CheckboxSelectMultiple}


class WeightsForm(forms.Form):
    """The multipliers, how much each source counts (0 or more each, not all 0), and whether
    need weighting is on. Errors go beside their field; the page lists them in a summary."""

    surveys = forms.DecimalField(label=_("Surveys"), max_digits=5, decimal_places=2)
    forums = forms.DecimalField(label=_("Forums"), max_digits=5, decimal_places=2)
    feedback = forms.DecimalField(label=_("Community feedback"), max_digits=5,
                                  decimal_places=2)
    need_weighting = forms.BooleanField(
        label=_("Count the most deprived areas more (proportionate universalism)"),
        required=False,
        help_text=_("Survey respondents living in the most deprived fifth of England count "
                    "1.5, the next fifth 1.25, everyone else 1. Off unless you turn it on."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for source in ScoringWeights.SOURCES:
            field = self.fields[source]
            field.help_text = _("1 counts each person once; 2 counts each person this source "
                                "heard from twice; 0 leaves the source out.")
            field.error_messages.update({
                "required": _("Enter a multiplier for %(source)s, for example 1.")
                % {"source": field.label},
                "invalid": _("Enter the multiplier for %(source)s as a number, for example 1 "
                             "or 0.5.") % {"source": field.label},
                "max_digits": _("Enter a multiplier below 1000."),
                "max_whole_digits": _("Enter a multiplier below 1000."),
                "max_decimal_places": _("Use at most two decimal places."),
            })
            field.widget.attrs.update({"inputmode": "decimal", "step": "0.01"})

    def clean(self):
        data = super().clean()
        if any(self.errors):
            return data
        row = ScoringWeights(**{source: data[source] for source in ScoringWeights.SOURCES})
        try:
            row.clean()
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                for message in errors:
                    self.add_error(field, message)
        return data


class DecisionForm(forms.Form):
    """Adopt or set aside one priority, with the reason."""

    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(SnapshotPriority.ADOPTED, _("Adopt")),
                 (SnapshotPriority.SET_ASIDE, _("Set aside"))],
        error_messages={"required": _("Choose whether to adopt this priority or set it aside.")},
    )
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Why: what in the evidence, or beyond it, led to this decision. "
                    "It is published with the priority."),
    )


class SnapshotForm(forms.Form):
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False,
                            help_text=_("For example: Spring 2026 engagement."))


class TrendsForm(forms.Form):
    group_by = forms.ChoiceField(label=_("Count by"), choices=list(TREND_GROUPS.items()),
                                 required=False)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date must be on or after the start date."))
        return data


MAX_POPULATION_FILE_BYTES = 5 * 1024 * 1024


class PopulationImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: neighbourhood (name or code), characteristic, category, people, "
                    "source (optional). Up to 5 MB."),
        error_messages={"required": _("Choose a CSV file to import.")},
    )
    dry_run = forms.BooleanField(label=_("Check the file only, do not save"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # A borough's figures are a few thousand rows; the size is known before reading.
        check_file_size(upload, MAX_POPULATION_FILE_BYTES, messages={"file_too_large": _(
            "The file is too big (%(size)s). Choose a CSV file of %(limit)s or less, or split "
            "it into several files.")})
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file must be a CSV saved as UTF-8 text.")) from None
