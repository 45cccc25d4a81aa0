from django import forms
from django.utils.translation import gettext_lazy as _

from portal.formfields import IdMultipleChoiceField
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from portal.themes.names import label_themes_in_language

from .models import Follower


class FollowForm(forms.Form):
    """What to follow and how often; an email address when the person is not signed in."""

    neighbourhoods = IdMultipleChoiceField(
        label=_("Neighbourhoods"), required=False, queryset=Neighbourhood.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("News for the whole area comes whatever you choose."))
    themes = IdMultipleChoiceField(
        label=_("Themes"), required=False, queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    frequency = forms.ChoiceField(label=_("How often"), choices=Follower.FREQUENCIES,
                                  initial=Follower.IMMEDIATE, widget=forms.RadioSelect)
    email = forms.EmailField(
        label=_("Email address"), max_length=254,
        help_text=_("We will email you a link to confirm. We use your address only for "
                    "these alerts."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("Enter your email address"),
                        "invalid": _("Enter an email address in the correct format, like "
                                     "name@example.com")})

    def __init__(self, *args, ask_email: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhoods"].queryset = Neighbourhood.objects.order_by("name")
        self.fields["themes"].queryset = Theme.objects.active().order_by("name")
        label_themes_in_language(self.fields["themes"])
        self.fields["neighbourhoods"].error_messages["invalid_choice"] = _(
            "Choose neighbourhoods from the list")
        self.fields["themes"].error_messages["invalid_choice"] = _("Choose themes from the list")
        for name in ("neighbourhoods", "themes"):
            self.fields[name].error_messages["invalid_pk_value"] = self.fields[name].error_messages[
                "invalid_choice"]
            self.fields[name].error_messages["invalid_list"] = self.fields[name].error_messages[
                "invalid_choice"]
        self.fields["frequency"].error_messages["invalid_choice"] = _(
            "Choose how often you want alerts")
        self.fields["frequency"].error_messages["required"] = _(
            "Choose how often you want alerts")
        if not ask_email:
            del self.fields["email"]

    def clean(self):
        data = super().clean()
        if ("neighbourhoods" in data and "themes" in data
                and not data["neighbourhoods"] and not data["themes"]):
            self.add_error("neighbourhoods", _("Choose at least one neighbourhood or theme"))
        return data
