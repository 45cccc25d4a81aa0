"""The officers' short progress-update form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActionUpdate, PlanAction


class ActionUpdateForm(forms.ModelForm):
    """Status now, what happened, and what the highlight report should share."""

    class Meta:
        model = ActionUpdate
        fields = ["action", "date", "status", "note", "next_steps", "learning", "help_needed",
                  "issue"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
            "learning": forms.Textarea(attrs={"rows": 2}),
            "help_needed": forms.Textarea(attrs={"rows": 2}),
            "issue": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "action": {"required": _("Choose the action this update is about.")},
            "status": {"required": _("Choose the action's status now.")},
            "note": {"required": _("Say what happened this month.")},
            "date": {"required": _("Enter the date of the update."),
                     "invalid": _("Enter a real date, for example 30/06/2025.")},
        }

    def __init__(self, *args, plan=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["action"].queryset = PlanAction.objects.filter(plan=plan).order_by(
            "sort_order")
        self.fields["action"].label_from_instance = lambda action: action.title
        self.fields["action"].error_messages["invalid_choice"] = _(
            "Choose one of this plan's actions.")

    def save(self, commit=True):
        """Save the update as the officer's (who entered it is never shown publicly)."""
        self.instance.created_by = self.user
        return super().save(commit=commit)
