"""Public forms: registering for a forum and voting online. The rules live in `registrations`
and `votes`; these forms only clean what people typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.themes.names import theme_name
from portal.validators import NameField

from .models import ForumEventPage, Registration

# A field people never see: software that fills in every field gives itself away.
HONEYPOT = "website"


class RegistrationForm(forms.Form):
    name = NameField(
        label=_("Your name"), max_length=150,
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will email you a link to confirm your place."),
        error_messages={"required": _("Enter your email address."),
                        "invalid": _("Enter an email address in the correct format, like "
                                     "name@example.com")},
    )
    attendance_mode = forms.ChoiceField(
        label=_("How will you take part?"), widget=forms.RadioSelect,
        choices=Registration.MODE_CHOICES,
        error_messages={"required": _("Choose whether you will come in person or join "
                                      "online.")},
    )
    access_needs = forms.CharField(
        label=_("Access needs (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example step-free access, a British Sign Language or community "
                    "language interpreter, a hearing loop, large print or childcare."),
    )

    def __init__(self, *args, event, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if user is not None and user.is_authenticated:
            del self.fields["name"]
            del self.fields["email"]
        else:
            self.fields[HONEYPOT] = forms.CharField(
                label=_("Leave this field empty: it is a check for automated spam"),
                required=False, max_length=200,
                widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
            )
        if event.format != ForumEventPage.HYBRID:
            del self.fields["attendance_mode"]

    def is_spam(self) -> bool:
        """True when the hidden field was filled in (call after is_valid)."""
        return bool(getattr(self, "cleaned_data", {}).get(HONEYPOT, "").strip())


class VoteForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label=_("Which themes matter most to you?"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one theme to vote for."),
                        "invalid_choice": _("Choose from the themes listed.")},
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["themes"].choices = [(str(theme.pk), theme_name(theme))
                                          for theme in event.ballot()]
        self.fields["themes"].help_text = _("Choose up to %(limit)s.") % {
            "limit": event.votes_per_person}

