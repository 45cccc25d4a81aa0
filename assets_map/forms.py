import math

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.images import get_image_model

from portal.formfields import IdMultipleChoiceField
from portal.neighbourhoods.geocoding import Location, PostcodeError, geocode, normalise_postcode
from portal.neighbourhoods.geometry import point_in_uk
from portal.neighbourhoods.models import Neighbourhood
from portal.themes.models import Theme
from portal.themes.names import label_themes_in_language
from portal.uploads import PHOTO_FORMATS, CleanImageField
from portal.validators import NameField

from .category_names import label_categories_in_language
from .models import (
    ACCESSIBILITY_FEATURES,
    WEEKDAYS,
    AssetCategory,
    Organisation,
    OrganisationMembership,
)
from .photos import image_id_from_token, max_photo_bytes, max_photos, photo_token
from .search import in_covered_area


class OrganisationForm(forms.ModelForm):
    """Registering an organisation. A name much like one already registered ("The Harlesden
    Trust" for "Harlesden Trust Ltd") is shown with a link to ask to join that one instead,
    and needs a tick saying it is a different organisation."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "description", "charity_number", "company_number", "website",
                  "public_email", "public_phone"]
        field_classes = {"name": NameField}
        help_texts = {
            "charity_number": _("If you are a registered charity."),
            "company_number": _("If you are a registered company."),
        }
        error_messages = {"name": {"required": _("Enter the name of your organisation.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.data.get("name", "") if self.is_bound else ""
        self.duplicates = list(Organisation.objects.likely_duplicates(
            name, exclude_pk=self.instance.pk)[:5]) if name else []
        if self.duplicates:
            self.fields["different_organisation"] = forms.BooleanField(
                label=_("My organisation is a different one: register it"), required=False)

    def clean(self):
        cleaned = super().clean()
        if self.duplicates and not cleaned.get("different_organisation"):
            self.add_error("different_organisation", ngettext(
                "An organisation with a very similar name is already registered. Ask to "
                "join it instead, or tick the box if yours is a different organisation.",
                "Organisations with very similar names are already registered. Ask to join "
                "one of them instead, or tick the box if yours is a different organisation.",
                len(self.duplicates)))
        return cleaned


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person to add"),
        help_text=_("We email them an invitation. They become an editor of your organisation's "
                    "places and services when they accept it, signing in or creating an "
                    "account with this address."),
        error_messages={"required": _("Enter the email address of the person to add."),
                        "invalid": _("Enter an email address like name@example.org.")})

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation


class AssetForm(forms.Form):
    """An organisation's asset: where it is, what it offers, when it is open, how accessible."""

    name = NameField(label=_("Name"), max_length=200, error_messages={
        "required": _("Enter the name of the place or service.")})
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=AssetCategory.objects.all(), empty_label=_("Choose one"),
        error_messages={"required": _("Choose a category.")})
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False,
                              help_text=_("One sentence shown in lists."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    themes = IdMultipleChoiceField(
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_themes_in_language(self.fields["themes"])
        label_categories_in_language(self.fields["category"])
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

    def clean(self):
        cleaned = super().clean()
        self._clean_location(cleaned)
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
        next_step = _("You can give the latitude and longitude instead.")
        if text:
            try:
                cleaned["postcode"] = normalise_postcode(text, next_step)
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
            location = geocode(text, next_step)
        except PostcodeError as exc:
            self.add_error("postcode", exc.message)
            return
        cleaned["latitude"], cleaned["longitude"] = location.latitude, location.longitude
        cleaned["postcode"] = location.postcode

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        """Form initial values from a payload (see versions.payload)."""
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


class PhotoForm(forms.Form):
    """One photo of the gallery: a new upload, or one already uploaded (kept by a signed token).

    The photo's file is stored as soon as it is valid, even when something else on the page
    needs fixing, so nobody has to choose it again.
    """

    token = forms.CharField(required=False, widget=forms.HiddenInput)
    # Size first (from the upload's length, before anything reads it), then the extension,
    # then Pillow; the cleaned value is the re-encoded image, without EXIF or anything appended.
    file = CleanImageField(
        label=_("Photo"), required=False, max_bytes=max_photo_bytes,
        formats=PHOTO_FORMATS, extensions=["jpg", "jpeg", "png", "webp"],
        help_text=_("A JPEG, PNG or WebP image."),
        error_messages={
            "invalid_image": _("The photo must be a JPEG, PNG or WebP image. This file is not "
                               "an image, or it is damaged."),
            "file_too_large": _("The photo must be smaller than %(limit)s; this one is "
                                "%(size)s."),
            "file_too_many_pixels": _("The photo has too many pixels (%(pixels)s). Choose one "
                                      "of at most %(limit)s pixels, or make it smaller first."),
            "animated_image": _("The photo must be a still image: animated images keep moving "
                                "with no way to pause them."),
        })
    alt_text = forms.CharField(
        label=_("Describe the photo"), max_length=250, required=False,
        help_text=_("For people who cannot see it, for example “The library's entrance, with "
                    "a ramp”."))
    decorative = forms.BooleanField(
        label=_("This photo is decorative only (it shows nothing a description would add)"),
        required=False)
    caption = forms.CharField(label=_("Caption (optional)"), max_length=300, required=False,
                              help_text=_("Shown under the photo for everyone."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.image = None  # the stored image, set by the formset
        self.fields["file"].help_text = _("A JPEG, PNG or WebP image, up to %(limit)s.") % {
            "limit": filesizeformat(max_photo_bytes())}

    @property
    def image_id(self):
        return self.image.pk if self.image is not None else None

    def clean_token(self):
        token = self.cleaned_data.get("token")
        if token and image_id_from_token(token) is None:
            raise forms.ValidationError(_("This photo could not be found. Choose it again."))
        return token

    def clean(self):
        cleaned = super().clean()
        if self.formset_deleting():
            return cleaned
        if "file" in self.errors or "token" in self.errors:
            return cleaned  # one clear message about the file is enough
        has_photo = bool(cleaned.get("file") or cleaned.get("token"))
        if not has_photo:
            if cleaned.get("alt_text") or cleaned.get("caption"):
                self.add_error("file", _("Choose a photo to upload, or leave this photo's "
                                         "description and caption empty."))
            return cleaned
        if not cleaned.get("alt_text") and not cleaned.get("decorative"):
            self.add_error("alt_text", _("Describe the photo for people who cannot see it, or "
                                         "tick “decorative only”."))
        return cleaned

    def formset_deleting(self) -> bool:
        return bool(self.cleaned_data.get("DELETE"))

    def has_photo(self) -> bool:
        cleaned = getattr(self, "cleaned_data", {})
        return (not cleaned.get("DELETE")
                and bool(cleaned.get("file") or cleaned.get("token") or self.image))


class BasePhotoFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._attach_images()

    def _attach_images(self):
        """Look the kept photos' images up in one query."""
        tokens = {}
        for form in self.forms:
            token = (form.data.get(form.add_prefix("token")) if form.is_bound
                     else form.initial.get("token"))
            image_id = image_id_from_token(token) if token else None
            if image_id is not None:
                tokens[form] = image_id
        images = get_image_model().objects.in_bulk(set(tokens.values()))
        for form, image_id in tokens.items():
            form.image = images.get(image_id)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position in the gallery")
        form.fields["ORDER"].required = False
        form.fields["DELETE"].label = _("Remove this photo")

    def clean(self):
        if any(self.errors):
            return
        limit = max_photos()
        count = sum(1 for form in self.forms if form.has_photo())
        if count > limit:
            raise forms.ValidationError(ngettext(
                "An asset can have at most %(limit)d photo; remove %(extra)d.",
                "An asset can have at most %(limit)d photos; remove %(extra)d.",
                limit) % {"limit": limit, "extra": count - limit}, code="too_many")

    def new_upload_anchor(self) -> str:
        """Where the "too many photos" error links to: the first new upload."""
        for form in self.forms:
            if not form.image:
                return form["file"].auto_id
        return self.forms[0]["alt_text"].auto_id if self.forms else ""

    def photo_rows(self) -> list[dict]:
        """The gallery, in order, as payload rows (after the view has stored new uploads)."""
        rows = []
        for form in self.ordered_forms:
            if form.image is None or form.cleaned_data.get("DELETE"):
                continue
            rows.append({"image_id": form.image.pk,
                         "alt_text": form.cleaned_data.get("alt_text", ""),
                         "decorative": bool(form.cleaned_data.get("decorative")),
                         "caption": form.cleaned_data.get("caption", "")})
        return rows


def photo_formset(data=None, files=None, initial=None):
    """The photo rows of the asset form: the current photos, then up to three empty ones."""
    initial = initial or []
    extra = min(3, max(1, max_photos() - len(initial)))
    formset_class = forms.formset_factory(
        PhotoForm, formset=BasePhotoFormSet, extra=extra, can_order=True, can_delete=True,
        max_num=max_photos() + 3, absolute_max=max_photos() + 20)
    return formset_class(data, files, initial=initial, prefix="photos")


def photo_initial(rows: list[dict]) -> list[dict]:
    """Form initial values from a payload's photo rows."""
    return [{"token": photo_token(row["image_id"]), "alt_text": row.get("alt_text"),
             "decorative": row.get("decorative"), "caption": row.get("caption"),
             "ORDER": index + 1} for index, row in enumerate(rows)]


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
    # Filled in by the "Use my location" button (near-me.js); a postcode wins over them.
    lat = forms.CharField(required=False, widget=forms.HiddenInput, max_length=30)
    lng = forms.CharField(required=False, widget=forms.HiddenInput, max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_themes_in_language(self.fields["theme"])
        label_categories_in_language(self.fields["category"])

    def clean_postcode(self):
        text = self.cleaned_data.get("postcode", "").strip()
        if text:
            try:
                self.cleaned_data["location"] = geocode(
                    text, _("You can leave the postcode empty to see every place instead."))
            except PostcodeError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return text

    def clean(self):
        cleaned = super().clean()
        lat_text, lng_text = cleaned.get("lat", ""), cleaned.get("lng", "")
        cleaned["lat"] = cleaned["lng"] = None
        if self.data.get("postcode", "").strip() or not (lat_text or lng_text):
            return cleaned
        location = self._clean_my_location(lat_text, lng_text)
        if location:
            cleaned["location"] = location
            cleaned["lat"], cleaned["lng"] = location.latitude, location.longitude
        return cleaned

    def _clean_my_location(self, lat_text: str, lng_text: str):
        """Your location from the browser, or an error (on the postcode field, the way to
        search without it)."""
        try:
            lat, lng = float(lat_text), float(lng_text)
        except ValueError:
            self.add_error("postcode", _("We could not use your location: the latitude and "
                                         "longitude must be numbers. Search by postcode "
                                         "instead."))
            return None
        if not (math.isfinite(lat) and math.isfinite(lng)) or abs(lat) > 90 or abs(lng) > 180:
            self.add_error("postcode", _("We could not use your location: the latitude must be "
                                         "between -90 and 90 and the longitude between -180 "
                                         "and 180. Search by postcode instead."))
            return None
        if not in_covered_area(lat, lng):
            self.add_error("postcode", _("Your location is outside the area this map covers. "
                                         "Search by postcode instead."))
            return None
        return Location("", lat, lng)


class JoinSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Organisation name or charity number"), max_length=100,
        error_messages={"required": _("Enter part of the organisation's name, or its charity "
                                      "or company number.")})


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation's owners (optional)"), required=False,
        max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example, your role there. They see this and your email address."),
        error_messages={"max_length": _("Keep the message under 1,000 characters.")})


class JoinDecisionForm(forms.Form):
    """An owner's answer to one request to join (one form per request on the page)."""

    role = forms.ChoiceField(
        label=_("Role if you approve"), choices=OrganisationMembership.ROLE_CHOICES,
        initial=OrganisationMembership.EDITOR, widget=forms.RadioSelect, required=False,
        help_text=_("Editors edit places and services; owners can also answer requests."),
        error_messages={"required": _("Choose a role."),
                        "invalid_choice": _("Choose editor or owner.")})
    reason = forms.CharField(
        label=_("Reason if you decline (optional; emailed to them)"), required=False,
        max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
