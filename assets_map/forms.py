from django import forms
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.neighbourhoods.geocoding import PostcodeError, geocode, normalise_postcode
from portal.neighbourhoods.geometry import point_in_uk
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme

from .models import ACCESSIBILITY_FEATURES, WEEKDAYS, AssetCategory, Organisation

MAX_PHOTO_BYTES = 5 * 1024 * 1024


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "description", "charity_number", "company_number", "website",
                  "public_email", "public_phone"]
        help_texts = {
            "charity_number": _("If you are a registered charity."),
            "company_number": _("If you are a registered company."),
        }
        error_messages = {"name": {"required": _("Enter the name of your organisation.")}}


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person to add"),
        help_text=_("They need an account on this site already. They can edit your "
                    "organisation's places and services."),
        error_messages={"required": _("Enter the email address of the person to add."),
                        "invalid": _("Enter an email address like name@example.org.")})

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self):
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("Nobody has an account with that email address. Ask "
                                          "them to create one first."))
        if self.organisation.memberships.filter(user=user).exists():
            raise forms.ValidationError(_("They are already a member."))
        self.cleaned_data["user"] = user
        return email


class AssetForm(forms.Form):
    """An organisation's asset: where it is, what it offers, when it is open, how accessible."""

    name = forms.CharField(label=_("Name"), max_length=200, error_messages={
        "required": _("Enter the name of the place or service.")})
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=AssetCategory.objects.all(), empty_label=_("Choose one"),
        error_messages={"required": _("Choose a category.")})
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False,
                              help_text=_("One sentence shown in lists."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes it helps with"), queryset=Theme.objects.active(), required=False,
        widget=forms.CheckboxSelectMultiple)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=20, required=False,
        help_text=_("We place the asset on the map from its postcode, unless you give a "
                    "latitude and longitude below."))
    latitude = forms.FloatField(label=_("Latitude (optional)"), required=False,
                                help_text=_("For example, 51.5387"))
    longitude = forms.FloatField(label=_("Longitude (optional)"), required=False,
                                 help_text=_("For example, -0.2505"))
    hours_notes = forms.CharField(label=_("Notes on opening hours"), max_length=300,
                                  required=False,
                                  help_text=_("For example, closed on bank holidays."))
    step_free_access = forms.BooleanField(label=_("Step-free access"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Accessible toilet"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    bsl = forms.BooleanField(label=_("British Sign Language (BSL)"), required=False)
    languages = forms.CharField(label=_("Languages spoken"), max_length=200, required=False,
                                help_text=_("For example, English, Polish, Somali"))
    public_email = forms.EmailField(
        label=_("Public email"), required=False,
        help_text=_("Published on the asset page. Use the organisation's address, not a "
                    "person's own."))
    public_phone = forms.CharField(label=_("Public phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    is_hub = forms.BooleanField(
        label=_("This is a hub"), required=False,
        help_text=_("Several organisations' services are offered here."))
    photo = forms.ImageField(
        label=_("Photo (optional)"), required=False,
        help_text=_("A JPEG, PNG or WebP image of the place, up to 5 MB."),
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
        error_messages={"invalid_image": _("The photo must be a JPEG, PNG or WebP image. This "
                                           "file is not an image, or it is damaged.")})
    photo_alt = forms.CharField(
        label=_("Describe the photo"), max_length=200, required=False,
        help_text=_("For people who cannot see it, for example “The library's entrance, with "
                    "a ramp”."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day, label in WEEKDAYS:
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": label}, required=False,
                widget=forms.TimeInput(attrs={"type": "time"}))
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": label}, required=False,
                widget=forms.TimeInput(attrs={"type": "time"}))

    def main_fields(self):
        return [self[name] for name in ("name", "category", "summary", "description", "themes")]

    def location_fields(self):
        return [self[name] for name in ("address", "postcode", "latitude", "longitude")]

    def hours_rows(self):
        return [(label, self[f"opens_{day}"], self[f"closes_{day}"]) for day, label in WEEKDAYS]

    def access_fields(self):
        return [self[name] for name, _label in ACCESSIBILITY_FEATURES] + [self["languages"]]

    def contact_fields(self):
        return [self[name] for name in ("public_email", "public_phone", "website", "is_hub",
                                        "hours_notes")]

    def photo_fields(self):
        return [self["photo"], self["photo_alt"]]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(
                _("The photo must be smaller than %(limit)s; this one is %(size)s.")
                % {"limit": filesizeformat(MAX_PHOTO_BYTES), "size": filesizeformat(photo.size)})
        return photo

    def clean(self):
        cleaned = super().clean()
        self._clean_location(cleaned)
        if cleaned.get("photo") and not cleaned.get("photo_alt"):
            self.add_error("photo_alt", _("Describe the photo for people who cannot see it."))
        hours = []
        for day, _label in WEEKDAYS:
            opens, closes = cleaned.get(f"opens_{day}"), cleaned.get(f"closes_{day}")
            if opens and closes:
                if closes <= opens:
                    self.add_error(f"closes_{day}", _("The closing time must be after the "
                                                      "opening time."))
                else:
                    hours.append((day, opens, closes))
            elif opens or closes:
                missing = f"closes_{day}" if opens else f"opens_{day}"
                self.add_error(missing, _("Enter both an opening and a closing time, or "
                                          "neither."))
        cleaned["hours"] = hours
        return cleaned

    def _clean_location(self, cleaned):
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        text = cleaned.get("postcode") or ""
        if {"latitude", "longitude", "postcode"} & set(self.errors):
            return
        if text:
            try:
                cleaned["postcode"] = normalise_postcode(text)
            except PostcodeError as exc:
                self.add_error("postcode", exc.message)
                return
        if lat is not None or lng is not None:
            if lat is None or lng is None:
                self.add_error("latitude" if lat is None else "longitude",
                               _("Enter both a latitude and a longitude, or neither."))
                return
            if not point_in_uk(lat, lng):
                if point_in_uk(lng, lat):
                    self.add_error("latitude", _("These look like a longitude and a latitude "
                                                 "the wrong way round. Swap them."))
                else:
                    self.add_error("latitude", _("This location is outside the United Kingdom. "
                                                 "Check the latitude and longitude."))
            return
        if not text:
            self.add_error("postcode", _("Enter a postcode, or a latitude and longitude."))
            return
        try:
            location = geocode(text)
        except PostcodeError as exc:
            self.add_error("postcode", exc.message)
            return
        cleaned["latitude"], cleaned["longitude"] = location.latitude, location.longitude
        cleaned["postcode"] = location.postcode

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        """Form initial values from a payload (see services.payload)."""
        initial = dict(data["fields"])
        initial["category"] = initial.pop("category_id")
        initial["themes"] = data["themes"]
        for day, opens, closes in data["hours"]:
            initial[f"opens_{day}"], initial[f"closes_{day}"] = opens, closes
        return initial


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Service name"), max_length=200, required=False)
    description = forms.CharField(label=_("What it offers"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    eligibility = forms.CharField(label=_("Who it is for"), max_length=300, required=False)
    cost = forms.CharField(label=_("Cost"), max_length=200, required=False,
                           help_text=_("For example, free"))
    how_to_access = forms.CharField(label=_("How to access it"), max_length=300, required=False,
                                    help_text=_("For example, drop in, or book by phone"))

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(name) for name in ("description", "eligibility", "cost",
                                              "how_to_access")) and not cleaned.get("name"):
            self.add_error("name", _("Enter the name of the service."))
        return cleaned


ServiceFormSet = forms.formset_factory(ServiceForm, extra=1, max_num=20)


class AssetFilterForm(forms.Form):
    """Filters shared by the map, the list and the GeoJSON endpoint (all GET parameters)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    postcode = forms.CharField(label=_("Near postcode"), required=False, max_length=10,
                               help_text=_("Sorts the results by distance, for example NW10 8SE"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=AssetCategory.objects.all(),
                                      to_field_name="slug", required=False, empty_label=_("All"))
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.active(),
                                   to_field_name="slug", required=False, empty_label=_("All"))
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Neighbourhood.objects.all(), to_field_name="slug",
        required=False, empty_label=_("All"))
    features = forms.MultipleChoiceField(
        label=_("Accessibility"), choices=ACCESSIBILITY_FEATURES, required=False,
        widget=forms.CheckboxSelectMultiple)
    hubs = forms.BooleanField(label=_("Hubs only"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)

    def clean_postcode(self):
        text = self.cleaned_data.get("postcode", "").strip()
        if text:
            try:
                self.cleaned_data["location"] = geocode(text)
            except PostcodeError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return text
