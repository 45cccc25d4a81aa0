from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    confirm_email = forms.CharField(
        label=_("Type your email address to confirm"),
        help_text=_("This cannot be undone."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    delete_free_text = forms.BooleanField(
        label=_("Also delete what I wrote in my own words"),
        help_text=_("The comments and other text you typed into surveys. Your other answers "
                    "(the choices you ticked) are kept without your name, so that results "
                    "already published stay right."),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_confirm_email(self):
        value = self.cleaned_data["confirm_email"].strip()
        if value.lower() != self.user.email.lower():
            raise forms.ValidationError(
                _("That is not the email address of this account. Type %(email)s to confirm.")
                % {"email": self.user.email}
            )
        return value


EMAIL_FORMAT_MESSAGE = _("Enter an email address in the correct format, like name@example.com")


class SpecificRequiredMessages:
    """Say which field is missing ("Enter your email address"), not "This field is required"
    three times over in the error summary, and word a badly formatted email address as every
    other form of the portal does."""

    required_messages: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.required_messages.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        for field in self.fields.values():
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = EMAIL_FORMAT_MESSAGE


class PortalSignupForm(SpecificRequiredMessages, SignupForm):
    required_messages = {
        "email": _("Enter your email address"),
        "password1": _("Enter a password"),
        "password2": _("Enter the password again"),
    }


class PortalLoginForm(SpecificRequiredMessages, LoginForm):
    required_messages = {
        "login": _("Enter your email address"),
        "password": _("Enter your password"),
    }


class PortalResetPasswordForm(SpecificRequiredMessages, ResetPasswordForm):
    required_messages = {"email": _("Enter your email address")}
